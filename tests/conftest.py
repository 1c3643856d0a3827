"""Shared fixtures: the real region preset, and one person for each role of the access matrix.

Roles (see clusterhub.core.access.Role):
- `officer`: regional officer, sees every cluster.
- `manager`: manages the agrifood cluster only.
- `org_admin`: admin of `member_org`, an active member of agrifood.
- `member`: member user of `member_org`.
- `other_org`: an active member of the mech cluster, for tenant-isolation tests.
"""

import pytest
from django.utils import translation

from clusterhub.regions.models import Cluster
from tests.factories import (
    ClusterRoleFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    PersonFactory,
    load_region_preset,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production hashes are slow on purpose; tests sign in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _no_test_touches_the_development_match_index(tmp_path_factory):
    """Module and session fixtures (the demo loader) index too: never into var/index."""
    from django.conf import settings as django_settings

    django_settings.CLUSTERHUB_INDEX_DIR = tmp_path_factory.mktemp("match-index-session")


@pytest.fixture(autouse=True)
def _match_index_in_a_temporary_directory(settings, tmp_path_factory):
    """No test reads or writes the development match index (var/index): a search builds
    its own from the test database."""
    settings.CLUSTERHUB_INDEX_DIR = tmp_path_factory.mktemp("match-index")


@pytest.fixture(scope="session", autouse=True)
def _rate_limit_counters_in_a_temporary_directory(tmp_path_factory):
    """Each test process counts in its own directory, never in var/ratelimit."""
    from django.conf import settings as django_settings
    from django.core.cache import caches

    location = str(tmp_path_factory.mktemp("ratelimit"))
    django_settings.CACHES["ratelimit"]["LOCATION"] = location
    caches["ratelimit"]._dir = location


# The property-based API runs call each operation hundreds of times a second: abuse by design.
# The limits are off there; tests/limits tests them.
UNLIMITED_MODULES = frozenset({"tests.api.test_schemathesis"})


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters(request):
    """Each test starts with no request counted against the abuse limits."""
    from django.core.cache import caches

    caches["ratelimit"].clear()
    if request.module.__name__ in UNLIMITED_MODULES:
        settings = request.getfixturevalue("settings")
        settings.CLUSTERHUB_RATE_LIMITS = dict.fromkeys(settings.CLUSTERHUB_RATE_LIMITS, "")


@pytest.fixture(autouse=True)
def _no_page_copy_outlives_its_test(request):
    """Each test starts with no cached page. On PostgreSQL the generation changes at COMMIT,
    which a test inside a transaction never reaches, so a copy could outlive the data it
    shows: there copies are served only in tests that commit (transactional_db)."""
    from django.core.cache import caches
    from django.db import connection

    caches["pages"].clear()
    marker = request.node.get_closest_marker("django_db")
    committed = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if connection.vendor == "postgresql" and not committed:
        request.getfixturevalue("settings").CLUSTERHUB_PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in Italian leaves Italian active in the test thread (LocaleMiddleware never
    resets it), and later tests, management commands included, would then speak Italian."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real region preset (clusters, taxonomies)."""
    with django_db_blocker.unblock():
        load_region_preset()


@pytest.fixture(scope="module")
def region_preset_after_flush(django_db_blocker):
    """A transactional test flushes the database when it ends: put the preset back once the
    module is done, for the tests that come after it."""
    yield
    with django_db_blocker.unblock():
        load_region_preset()


@pytest.fixture
def agrifood(db):
    return Cluster.objects.get(slug="agrifood")


@pytest.fixture
def mech(db):
    return Cluster.objects.get(slug="mech")


@pytest.fixture
def member_org(agrifood):
    org = OrganizationFactory(name="Caseificio Esempio Srl", postcode="41121", city="Modena")
    MembershipFactory(organization=org, cluster=agrifood)
    return org


@pytest.fixture
def other_org(mech):
    org = OrganizationFactory(name="Meccanica Esempio Spa", postcode="40126", city="Bologna")
    MembershipFactory(organization=org, cluster=mech)
    return org


@pytest.fixture
def officer(db):
    return PersonFactory(email="officer@example.org", is_regional_officer=True)


@pytest.fixture
def manager(agrifood):
    role = ClusterRoleFactory(cluster=agrifood, person__email="manager@example.org")
    return role.person


@pytest.fixture
def org_admin(member_org):
    role = OrganizationRoleFactory(
        organization=member_org, role="admin", person__email="orgadmin@example.org"
    )
    return role.person


@pytest.fixture
def member(member_org):
    role = OrganizationRoleFactory(
        organization=member_org, role="member", person__email="member@example.org"
    )
    return role.person


@pytest.fixture
def person_for_role(request, officer, manager, org_admin, member):
    """Look up the person playing a role by its name; None for anonymous."""
    people = {"officer": officer, "manager": manager, "org_admin": org_admin, "member": member}
    return lambda role: people.get(str(role))
