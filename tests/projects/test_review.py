"""The review queue: confirming links the participant and merges its duplicate, with history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusterhub.people.models import OrganizationRole
from clusterhub.projects.importing import import_projects
from clusterhub.projects.models import MatchStatus, ParticipantMatch, Participation
from clusterhub.projects.services import match_confirm, match_reject
from clusterhub.registry.models import Membership, Organization, OrganizationMerge
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory
from tests.projects.factories import ParticipantMatchFactory, ParticipationFactory
from tests.projects.helpers import CLEANTECH, INRAE_JSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(agrifood, mech):
    """RI.NOVA of Cesena, imported as its own organization, queued against the registry's
    Ri.Nova registered in Parma; both have members, roles and memberships."""
    kept = OrganizationFactory(name="Ri.Nova Soc. Coop.", city="Parma", postcode="43121")
    MembershipFactory(organization=kept, cluster=agrifood, role="member")
    import_projects(INRAE_JSON, dry_run=False)
    match = ParticipantMatch.objects.get()
    duplicate = match.participation.organization
    MembershipFactory(organization=duplicate, cluster=mech, role="board")
    MembershipFactory(organization=duplicate, cluster=agrifood, role="board")
    person = PersonFactory(email="ri.nova@example.org")
    OrganizationRole.objects.create(person=person, organization=duplicate, role="admin")
    return match, kept, duplicate, person


def test_confirming_merges_the_duplicate_into_the_kept_organization(queued, officer, agrifood):
    match, kept, duplicate, person = queued
    duplicate_id = duplicate.pk

    match_confirm(match=match, actor=officer)

    assert not Organization.objects.filter(pk=duplicate_id).exists()
    participation = Participation.objects.get(name="RI.NOVA SOCIETA COOPERATIVA")
    assert (participation.organization, participation.match_method) == (kept, "review")
    kept.refresh_from_db()
    assert kept.pic == "972429463"  # filled from the duplicate
    assert set(kept.memberships.values_list("cluster__slug", "role")) == {
        ("agrifood", "member"),  # the kept organization's own membership stays
        ("mech", "board"),  # moved from the duplicate
    }
    assert OrganizationRole.objects.get(person=person).organization == kept
    history = OrganizationMerge.objects.get()
    assert (history.kept, history.merged_id, history.merged_by) == (kept, duplicate_id, officer)
    assert history.merged_name == "RI.NOVA SOCIETA COOPERATIVA"
    assert history.snapshot["organization"]["pic"] == "972429463"
    assert history.snapshot["moved"]["registry.Membership.organization"] == 1
    assert history.snapshot["moved"]["projects.Participation.organization"] == 1
    # The duplicate's agrifood membership: the kept one's stays, the other is in the history.
    dropped = history.snapshot["kept_instead"]["registry.Membership.organization"]
    assert [(row["role"], row["cluster_id"]) for row in dropped] == [("board", agrifood.pk)]
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (MatchStatus.CONFIRMED, officer)


def test_rejecting_keeps_them_apart(queued, manager):
    match, kept, duplicate, _person = queued

    match_reject(match=match, actor=manager)

    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED
    assert Organization.objects.filter(pk=duplicate.pk).exists()
    assert Participation.objects.get(name="RI.NOVA SOCIETA COOPERATIVA").organization == duplicate
    assert not OrganizationMerge.objects.exists()


def test_a_decided_match_cannot_be_decided_again(queued, officer):
    match, *_ = queued
    match_reject(match=match, actor=officer)

    with pytest.raises(ValidationError, match="already rejected"):
        match_confirm(match=match, actor=officer)


def test_confirming_a_participant_of_unknown_place_only_links_it(officer):
    dtm = OrganizationFactory(name="DTM", city="Modena")
    import_projects(CLEANTECH, dry_run=False)
    match = ParticipantMatch.objects.get()

    match_confirm(match=match, actor=officer)

    participation = match.participation
    participation.refresh_from_db()
    assert (participation.organization, participation.in_region) == (dtm, True)
    assert not OrganizationMerge.objects.exists()


def test_the_same_participant_in_other_projects_is_decided_at_once(officer):
    candidate = OrganizationFactory(name="Consorzio Esempio")
    first = ParticipantMatchFactory(candidate=candidate, participation__name="CONSORZIO X")
    second = ParticipantMatchFactory(
        candidate=candidate,
        participation__name="CONSORZIO X",
        participation__participant_key=first.participation.participant_key,
    )
    other_candidate = ParticipantMatchFactory(participation=second.participation)

    match_confirm(match=first, actor=officer)

    second.refresh_from_db()
    other_candidate.refresh_from_db()
    assert second.status == MatchStatus.CONFIRMED
    assert second.participation.organization == candidate
    assert other_candidate.status == MatchStatus.REJECTED


# --- Pages ---------------------------------------------------------------------------------


def _match_in(cluster):
    candidate = OrganizationFactory(name=f"Candidate of {cluster.slug}")
    MembershipFactory(organization=candidate, cluster=cluster)
    return ParticipantMatchFactory(candidate=candidate, participation=ParticipationFactory())


def test_a_manager_reviews_the_candidates_of_their_clusters_only(client, manager, agrifood, mech):
    own, other = _match_in(agrifood), _match_in(mech)
    client.force_login(manager)

    page = client.get(reverse("projects:review_queue"))

    assert page.status_code == 200
    assert own.candidate.name in page.content.decode()
    assert other.candidate.name not in page.content.decode()
    refused = client.post(reverse("projects:match_decide", args=[other.pk]), {"action": "confirm"})
    assert refused.status_code == 404
    done = client.post(reverse("projects:match_decide", args=[own.pk]), {"action": "confirm"})
    assert done.status_code == 302
    own.refresh_from_db()
    assert own.status == MatchStatus.CONFIRMED
    assert own.participation.organization == own.candidate


def test_an_officer_reviews_every_candidate(client, officer, mech):
    match = _match_in(mech)
    client.force_login(officer)

    response = client.post(reverse("projects:match_decide", args=[match.pk]), {"action": "reject"})

    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED


def test_members_may_not_review(client, member, agrifood):
    match = _match_in(agrifood)
    client.force_login(member)

    assert client.get(reverse("projects:review_queue")).status_code == 403
    assert (
        client.post(reverse("projects:match_decide", args=[match.pk]), {"action": "confirm"})
    ).status_code == 403
    match.refresh_from_db()
    assert match.status == MatchStatus.PENDING
    assert Membership.objects.filter(organization=match.candidate).count() == 1
