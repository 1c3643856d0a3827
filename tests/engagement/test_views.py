"""The engagement pages, the invitation, the CSV, the API and the sign-in record."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusterhub.engagement.models import LoginEvent, ReEngagementInvitation
from clusterhub.events.models import Event
from clusterhub.opportunities.services import opportunity_create
from clusterhub.privacy.services import consent_give
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_terms(db):
    """The people of the test (fixtures listed before this one) accepted the terms when they
    were invited: the terms allow their cluster's service messages."""
    from clusterhub.people.models import Person

    for person in Person.objects.all():
        consent_give(person=person, purpose="terms")


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def workshop(agrifood):
    start = timezone.now() + timedelta(days=20)
    event = Event.objects.create(
        title="Workshop on food packaging",
        kind="workshop",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status="published",
        visibility="members",
    )
    event.clusters.set([agrifood])
    return event


@pytest.fixture
def open_call(agrifood, officer):
    return opportunity_create(
        actor=officer,
        kind="financing",
        title="Regional call for food innovation",
        programme="PR FESR",
        deadline=timezone.localdate() + timedelta(days=40),
        clusters=[agrifood],
        embed=False,
    )


def test_the_cluster_page_shows_the_funnel_and_the_quiet_members_with_suggestions(
    manager, member_org, workshop, open_call
):
    response = client_for(manager).get(reverse("engagement:cluster", args=["agrifood"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Caseificio Esempio Srl" in page
    assert 'data-status-count="dormant">1<' in page
    assert "Workshop on food packaging" in page
    assert "Regional call for food innovation" in page
    assert 'data-mchart="by_kind"' in page


def test_invite_emails_the_organizations_people_once_in_the_cooldown(
    manager, member, org_admin, member_org, workshop, open_call, accepted_terms
):
    org_admin.language = "en"
    org_admin.save(update_fields=["language"])
    client = client_for(manager)
    url = reverse("engagement:invite", args=["agrifood", member_org.pk])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert first.status_code == 200
    assert sorted(message.to[0] for message in mail.outbox) == [
        "member@example.org",
        "orgadmin@example.org",
    ]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    # Each in the person's language: the cluster's name is translated (the app's strings
    # too, once the Italian catalogue has them).
    assert "Agrifood and foodtech" in subjects["orgadmin@example.org"]
    assert "Agroalimentare" in subjects["member@example.org"]
    assert "Workshop on food packaging" in mail.outbox[0].body
    assert "Regional call for food innovation" in mail.outbox[0].body
    invitation = ReEngagementInvitation.objects.get()
    assert invitation.recipients == 2
    assert invitation.suggestions["event"]["title"] == "Workshop on food packaging"
    assert "already invited" in second.content.decode()
    assert len(mail.outbox) == 2
    assert ReEngagementInvitation.objects.count() == 1


def test_an_invitation_older_than_the_cooldown_lets_the_manager_invite_again(
    manager, member, member_org, accepted_terms
):
    client = client_for(manager)
    url = reverse("engagement:invite", args=["agrifood", member_org.pk])
    client.post(url)
    ReEngagementInvitation.objects.update(sent_at=timezone.now() - timedelta(days=15))

    client.post(url)

    assert ReEngagementInvitation.objects.count() == 2
    assert len(mail.outbox) == 2


def test_an_organization_without_people_is_not_invited_and_nothing_is_recorded(manager, agrifood):
    lonely = OrganizationFactory(name="Nobody Here Srl")
    MembershipFactory(organization=lonely, cluster=agrifood)

    response = client_for(manager).post(
        reverse("engagement:invite", args=["agrifood", lonely.pk]), follow=True
    )

    assert "there is no one to invite" in response.content.decode()
    assert mail.outbox == []
    assert not ReEngagementInvitation.objects.exists()


def test_the_csv_has_every_member_with_its_parts(manager, member_org, agrifood):
    formula = OrganizationFactory(name="=HYPERLINK(1)")
    MembershipFactory(organization=formula, cluster=agrifood)

    response = client_for(manager).get(reverse("engagement:cluster_csv", args=["agrifood"]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert {row["name"] for row in rows} == {"Caseificio Esempio Srl", "'=HYPERLINK(1)"}
    own = next(row for row in rows if row["organization_id"] == str(member_org.pk))
    assert own["status"] == "dormant"
    assert own["profile_freshness_points"] == "15.0"
    assert own["attendance_points"] == "0.0"


def test_the_organization_page_shows_each_part_of_the_score(member, member_org):
    response = client_for(member).get(reverse("engagement:organization", args=[member_org.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-part="attendance"' in page
    assert 'data-part="freshness"' in page
    assert 'data-part="votes"' in page  # ballots in agenda consultations
    assert "Not available yet" not in page
    assert 'data-mchart="trend"' in page


def test_a_member_never_sees_another_organizations_engagement(member, other_org):
    client = client_for(member)

    page = client.get(reverse("engagement:organization", args=[other_org.pk]))
    api = client.get(f"/api/engagement/organizations/{other_org.pk}")

    assert (page.status_code, api.status_code) == (404, 404)
    assert other_org.name not in page.content.decode()


def test_signing_in_records_one_sign_in_day_per_organization(member, member_org):
    second = OrganizationFactory(name="Second Srl")
    member.organization_roles.create(organization=second, role="member")

    for _ in range(3):
        Client().post(
            reverse("people:login"),
            {"username": "member@example.org", "password": "correct-horse-battery"},
        )

    events = LoginEvent.objects.filter(person=member)
    assert sorted(event.organization.name for event in events) == [
        "Caseificio Esempio Srl",
        "Second Srl",
    ]
    assert {event.day for event in events} == {timezone.localdate()}


def test_the_api_gives_the_funnel_and_every_member(manager, member_org, member):
    LoginEvent.objects.create(
        person=member, organization=member_org, at=timezone.now(), day=date.today()
    )

    data = client_for(manager).get("/api/engagement/clusters/agrifood").json()

    assert data["funnel"] == {
        "kind": "",
        "members": 1,
        "ever_active": 1,
        "active_recently": 1,
        "contributing": 0,
    }
    assert data["members"][0]["name"] == "Caseificio Esempio Srl"
    assert data["members"][0]["status"] == "active"


def test_the_api_gives_an_organizations_parts_and_history(member, member_org):
    data = client_for(member).get(f"/api/engagement/organizations/{member_org.pk}").json()

    assert data["score"] == data["score_parts"]["total"] == 15.0 + 1.0  # fresh profile + sign-in
    assert [part["key"] for part in data["score_parts"]["parts"]][-1] == "votes"
    assert len(data["history"]) == 12


def test_the_api_refuses_a_malformed_slug_or_id_naming_the_problem(officer):
    client = client_for(officer)

    bad_slug = client.get("/api/engagement/clusters/not%20a%20slug")
    bad_id = client.get("/api/engagement/organizations/0")

    assert bad_slug.status_code == bad_id.status_code == 422
    assert bad_slug.json()["detail"][0]["loc"][-1] == "slug"
    assert bad_id.json()["detail"][0]["loc"][-1] == "organization_id"


def test_inviting_needs_a_post(manager, member_org):
    url = reverse("engagement:invite", args=["agrifood", member_org.pk])

    assert client_for(manager).get(url).status_code == 405
    assert not ReEngagementInvitation.objects.exists()
