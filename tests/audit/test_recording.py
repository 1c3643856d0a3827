"""Each recorded change writes one entry with its actor, object, cluster and before/after,
in the transaction of the change, from every path: services, API, back office, invitations."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from clusterhub.audit.context import acting_as
from clusterhub.audit.models import AuditAction, AuditEntry
from clusterhub.contributions.models import Contribution
from clusterhub.contributions.services import (
    contribution_approve,
    contribution_close,
    contribution_merge,
)
from clusterhub.people.models import ClusterRole, OrganizationRole
from clusterhub.people.services import invitation_accept, invitation_create
from clusterhub.people.tokens import token_create
from clusterhub.projects.importing import import_projects
from clusterhub.projects.merging import organization_merge
from clusterhub.registry.importing import import_organizations
from clusterhub.registry.models import Membership
from clusterhub.registry.services import membership_upsert
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    PersonFactory,
)
from tests.projects.helpers import INRAE_CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def mark():
    """`new = mark()` remembers this point; `new()` lists the entries written since, oldest
    first."""

    def here():
        last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        return lambda: list(AuditEntry.objects.filter(id__gt=last).order_by("id"))

    return here


# --- Roles ------------------------------------------------------------------------------


def test_a_cluster_role_granted_and_revoked(officer, agrifood, mark):
    person = PersonFactory(email="new.manager@example.org")
    start = mark()
    with acting_as(officer):
        role = ClusterRole.objects.create(person=person, cluster=agrifood)
        role.delete()

    granted, revoked = start()
    assert (granted.action, granted.actor, granted.actor_label) == (
        AuditAction.ROLE_GRANTED,
        officer,
        "officer@example.org",
    )
    assert (granted.target_type, granted.target_id) == ("people.person", str(person.pk))
    assert granted.cluster == agrifood
    assert granted.before == {}
    assert granted.after == {
        "person": "new.manager@example.org",
        "cluster": "agrifood",
        "role": "manager",
    }
    assert revoked.action == AuditAction.ROLE_REVOKED
    assert revoked.before == granted.after
    assert revoked.after == {}


def test_an_organization_admin_lowered_to_member_is_a_revocation(org_admin, officer, mark):
    role = OrganizationRole.objects.get(person=org_admin)
    start = mark()
    with acting_as(officer):
        role.role = "member"
        role.save()
        role.save()  # saved again without a change: no second entry

    [entry] = start()
    assert entry.action == AuditAction.ROLE_REVOKED
    assert (entry.before, entry.after) == ({"role": "admin"}, {"role": "member"})
    assert entry.actor == officer


def test_the_regional_officer_flag(member, officer, mark):
    start = mark()
    with acting_as(officer):
        member.is_regional_officer = True
        member.save()
        member.is_regional_officer = False
        member.save(update_fields=["is_regional_officer"])
        member.full_name = "Only a name"
        member.save(update_fields=["full_name"])  # not a flag: nothing recorded

    granted, revoked = start()
    assert (granted.action, granted.before, granted.after) == (
        AuditAction.ROLE_GRANTED,
        {"is_regional_officer": False},
        {"is_regional_officer": True},
    )
    assert (revoked.action, revoked.after) == (
        AuditAction.ROLE_REVOKED,
        {"is_regional_officer": False},
    )
    assert granted.target_label == "member@example.org"


def test_an_accepted_invitation_names_the_inviter(org_admin, member_org, mark):
    start = mark()
    _invitation, token = invitation_create(
        inviter=org_admin,
        email="invited@example.org",
        role="member",
        organization=member_org,
        site_url="http://testserver",
    )
    invitation_accept(token=token, full_name="Invited", password="a-long-pass-phrase-42")

    [entry] = start()
    assert entry.action == AuditAction.ROLE_GRANTED
    assert entry.actor == org_admin
    assert entry.target_label == f"invited@example.org · {member_org.name}"
    assert entry.after == {
        "person": "invited@example.org",
        "organization": member_org.pk,
        "role": "member",
    }
    assert entry.note == "invitation accepted by invited@example.org"


def test_the_back_office_records_its_actor_and_path(client, agrifood, mark):
    staff = PersonFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    person = PersonFactory(email="promoted@example.org")
    start = mark()
    client.force_login(staff)

    response = client.post(
        reverse("admin:people_clusterrole_add"),
        {"person": person.pk, "cluster": agrifood.pk, "role": "manager"},
    )

    assert response.status_code == 302
    [entry] = start()
    assert (entry.action, entry.actor) == (AuditAction.ROLE_GRANTED, staff)
    assert entry.note == "POST " + reverse("admin:people_clusterrole_add")


# --- Memberships -----------------------------------------------------------------------


def test_membership_created_changed_and_ended(manager, member_org, mech, mark):
    start = mark()
    with acting_as(manager):
        membership_upsert(organization=member_org, cluster=mech, status="invited")
        membership_upsert(organization=member_org, cluster=mech, status="active")
        membership_upsert(organization=member_org, cluster=mech, status="active")  # no change
        membership_upsert(
            organization=member_org, cluster=mech, status="ended", until=date(2026, 6, 30)
        )

    created, activated, ended = start()
    assert {e.action for e in (created, activated, ended)} == {AuditAction.MEMBERSHIP_CHANGED}
    assert created.before == {}
    assert created.after == {
        "organization": member_org.pk,
        "cluster": "mech",
        "role": "member",
        "status": "invited",
        "since": None,
        "until": None,
    }
    assert (activated.before, activated.after) == ({"status": "invited"}, {"status": "active"})
    assert (ended.before, ended.after) == (
        {"status": "active", "until": None},
        {"status": "ended", "until": "2026-06-30"},
    )
    assert ended.cluster == mech
    assert (ended.target_type, ended.target_id) == ("registry.organization", str(member_org.pk))
    assert ended.actor == manager


def test_an_api_token_caller_is_the_actor(client, manager, member_org, agrifood, mark):
    membership = Membership.objects.get(organization=member_org, cluster=agrifood)
    _token, key = token_create(person=manager, name="script")
    start = mark()

    response = client.patch(
        f"/api/clusters/agrifood/memberships/{membership.pk}",
        {"status": "suspended"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )

    assert response.status_code == 200, response.content
    [entry] = start()
    assert (entry.actor, entry.before, entry.after) == (
        manager,
        {"status": "active"},
        {"status": "suspended"},
    )


def test_a_change_and_its_entry_are_kept_or_dropped_together(officer, agrifood, mark):
    person = PersonFactory(email="rolled.back@example.org")
    start = mark()
    with pytest.raises(RuntimeError), transaction.atomic():
        with acting_as(officer):
            ClusterRole.objects.create(person=person, cluster=agrifood)
        assert len(start()) == 1  # written inside the transaction...
        raise RuntimeError("the rest of the operation fails")
    assert start() == []  # ...and gone with it
    assert not ClusterRole.objects.filter(person=person).exists()


# --- Moderation, merges, imports -------------------------------------------------------


def _contribution(organization, cluster, title):
    contribution = Contribution.objects.create(
        organization=organization, kind="need", title=title, text="Cerchiamo un laboratorio."
    )
    contribution.clusters.set([cluster])
    return contribution


def test_moderation_steps(manager, member_org, agrifood, mark):
    first = _contribution(member_org, agrifood, "Imballaggi compostabili")
    second = _contribution(member_org, agrifood, "Vaschette compostabili")
    third = _contribution(member_org, agrifood, "Fuori tema")
    start = mark()

    contribution_approve(contribution=first, actor=manager)
    contribution_merge(contribution=second, into=first, actor=manager)
    contribution_close(contribution=third, actor=manager, reason="Fuori tema per il cluster")

    approved, merged, closed = start()
    assert (approved.action, approved.actor, approved.cluster) == (
        AuditAction.MODERATION,
        manager,
        agrifood,
    )
    assert (approved.target_type, approved.target_id) == (
        "contributions.contribution",
        str(first.pk),
    )
    assert approved.before["status"] == "pending"
    assert approved.after["status"] == "approved"
    assert merged.action == AuditAction.MERGE
    assert merged.after["merged_into"] == first.pk
    assert merged.after["status"] == "merged"
    assert closed.after["status"] == "closed"
    assert closed.note == "Fuori tema per il cluster"


def test_an_organization_merge(officer, member_org, agrifood, mark):
    duplicate = OrganizationFactory(name="Caseificio Esempio S.r.l.", pic="999999999")
    MembershipFactory(organization=duplicate, cluster=agrifood)  # the kept one has it already
    OrganizationRoleFactory(organization=duplicate, person__email="dup.person@example.org")
    start = mark()

    organization_merge(kept=member_org, merged=duplicate, actor=officer, reason="same VAT")

    entries = start()
    merge = entries[-1]
    assert (merge.action, merge.actor, merge.note) == (AuditAction.MERGE, officer, "same VAT")
    assert merge.target_id == str(member_org.pk)
    assert merge.before["merged"]["name"] == "Caseificio Esempio S.r.l."
    assert merge.after["kept"] == member_org.pk
    assert merge.after["moved"]["people.OrganizationRole.organization"] == 1
    assert "pic" in merge.after["filled"]
    # The duplicate's membership of agrifood was dropped (the kept one stays): recorded too.
    [dropped] = [e for e in entries if e.action == AuditAction.MEMBERSHIP_CHANGED]
    assert dropped.after == {}
    assert dropped.before["status"] == "active"


def test_a_registry_import(manager, agrifood, tmp_path, mark):
    path = tmp_path / "soci.csv"
    path.write_text(
        "Ragione sociale;CAP;Città;Tipo;Cluster\n"
        "Alfa Srl;41121;Modena;impresa;agrifood\n"
        "Beta Srl;41121;Modena;impresa;agrifood\n",
        encoding="utf-8",
    )
    start = mark()

    dry = import_organizations(path, dry_run=True, actor=manager, cluster=agrifood)
    assert dry.ok and start() == []  # a dry run records nothing
    report = import_organizations(path, dry_run=False, actor=manager, cluster=agrifood)

    assert report.committed, report.errors
    [entry] = start()
    assert (entry.action, entry.actor, entry.cluster) == (AuditAction.IMPORT, manager, agrifood)
    assert entry.target_type == "registry.organization"
    assert entry.note == "soci.csv"
    assert entry.after == {
        "file": "soci.csv",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "memberships_created": 2,
        "memberships_updated": 0,
    }


def test_a_failed_import_records_nothing(manager, agrifood, tmp_path, mark):
    path = tmp_path / "broken.csv"
    path.write_text("Ragione sociale;Tipo\nAlfa Srl;boh\n", encoding="utf-8")
    start = mark()
    report = import_organizations(path, dry_run=False, actor=manager, cluster=agrifood)
    assert not report.committed
    assert start() == []


def test_a_projects_import(officer, mark):
    start = mark()
    report = import_projects(INRAE_CSV, dry_run=False, actor=officer)

    assert report.committed, report.errors
    imports = [e for e in start() if e.action == AuditAction.IMPORT]
    assert len(imports) == 1
    entry = imports[0]
    assert (entry.actor, entry.target_type) == (officer, "projects.project")
    assert entry.after["projects_created"] == 3
    assert entry.after["participations_created"] == 46
    assert len(entry.after["files"]) == 2
