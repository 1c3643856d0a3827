"""`load_demo`: the real organizations of the preset, their clusters and one account per role.

The demo is loaded once for this module, in a transaction rolled back at its end.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from clusterhub.core import demo
from clusterhub.core.access import Role, role_of
from clusterhub.people.models import ClusterRole, OrganizationRole, Person
from clusterhub.registry.models import Membership, Organization, WorkingGroup

PRESET = Path(settings.CLUSTERHUB_REGION_PRESET)


@pytest.fixture(scope="module", autouse=True)
def loaded(django_db_setup, django_db_blocker):
    # The same fast hasher as tests/conftest.py, for the accounts made before any test starts.
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        output = io.StringIO()
        call_command("load_demo", force=True, stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def clusters_of(name):
    organization = Organization.objects.get(name=name)
    return set(organization.memberships.values_list("cluster__slug", flat=True))


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Membership, WorkingGroup, Person, ClusterRole, OrganizationRole)
    }


def test_it_loads_the_81_high_technology_network_labs_with_their_competences():
    labs = Organization.objects.filter(source="htn")
    assert labs.count() == 81
    assert labs.filter(htn_accredited=True, kind="research_lab").count() == 81
    apm = labs.get(name="APM")
    assert set(apm.competences.values_list("code", flat=True)) == {"3", "4", "6", "66", "67", "70"}
    assert (apm.postcode, apm.city, apm.nuts3) == ("44122", "Ferrara", "ITH56")
    assert apm.website == "http://www.apmlab.com"


def test_it_loads_the_emilia_romagna_organizations_of_the_cordis_files():
    cordis = Organization.objects.filter(source="cordis")
    assert cordis.count() == 26
    unibo = cordis.get(pic="999993953")
    assert unibo.kind == "university"
    assert clusters_of(unibo.name) >= {"agrifood", "greentech"}
    assert cordis.get(name="BARILLA G. E R.  FRATELLI SPA".replace("  ", " ")).kind == "firm"
    # Found only among the H2020 clean-tech participants.
    assert clusters_of("COMUNE DI MODENA") == {"greentech"}


def test_it_assigns_clusters_from_the_competence_areas_in_the_preset():
    assert clusters_of("CRPA LAB") == {"agrifood", "greentech"}
    assert clusters_of("APM") == {"mech", "greentech"}
    # Cultural heritage competences also place a lab in the creative industries.
    assert "create" in clusters_of("TEKNEHUB")
    labs_with_competences = Organization.objects.filter(source="htn", competences__isnull=False)
    assert not labs_with_competences.filter(memberships__isnull=True).exists()


def test_it_creates_working_groups_of_the_clusters_members():
    for slug in ("agrifood", "build", "mech", "health", "create", "greentech", "innovate"):
        groups = WorkingGroup.objects.filter(cluster__slug=slug)
        assert groups.count() == 2
        for group in groups:
            assert group.organizations.exists()
            assert not group.organizations.exclude(memberships__cluster__slug=slug).exists()


def test_it_creates_one_account_per_role_with_the_demo_password():
    expected = {
        demo.OFFICER_EMAIL: Role.OFFICER,
        demo.MANAGER_EMAIL: Role.MANAGER,
        demo.ORG_ADMIN_EMAIL: Role.ORG_ADMIN,
        demo.MEMBER_EMAIL: Role.MEMBER,
    }
    for email, role in expected.items():
        person = Person.objects.get(email=email)
        assert role_of(person) == role
        assert person.check_password(demo.DEMO_PASSWORD)
    manager = Person.objects.get(email=demo.MANAGER_EMAIL)
    assert list(manager.cluster_roles.values_list("cluster__slug", flat=True)) == ["agrifood"]
    admin_role = OrganizationRole.objects.get(person__email=demo.ORG_ADMIN_EMAIL)
    assert admin_role.organization.name == "CRPA LAB"
    assert admin_role.organization.memberships.filter(cluster__slug="agrifood").exists()
    superuser = Person.objects.get(email=demo.ADMIN_EMAIL)
    assert superuser.is_superuser and superuser.is_staff


def test_it_creates_nothing_twice():
    first = counts()
    summary = demo.demo_load(preset_path=PRESET)
    assert counts() == first
    assert (summary.organizations_created, summary.memberships_created) == (0, 0)
    assert (summary.working_groups_created, summary.accounts_created) == (0, 0)
    assert summary.organizations_present == first["Organization"]


def test_it_keeps_edits_made_since_the_first_load():
    Membership.objects.filter(organization__name="APM", cluster__slug="mech").update(
        status="suspended"
    )
    demo.demo_load(preset_path=PRESET)
    assert Membership.objects.get(organization__name="APM", cluster__slug="mech").status == (
        "suspended"
    )


def test_it_prints_the_login_of_every_role(loaded):
    for email in (demo.OFFICER_EMAIL, demo.MANAGER_EMAIL, demo.ORG_ADMIN_EMAIL, demo.MEMBER_EMAIL):
        assert email in loaded
    assert demo.ADMIN_EMAIL in loaded
    assert demo.DEMO_PASSWORD in loaded


def test_every_demo_organization_with_a_known_place_is_in_a_province():
    """Old generic postcodes ("41100") and CORDIS rows without one are placed by their city."""
    unplaced = Organization.objects.filter(territory__isnull=True)
    assert list(unplaced.values_list("city", flat=True)) == [""]
    assert Organization.objects.get(name="VILLANI SPA").nuts3 == "ITH54"
