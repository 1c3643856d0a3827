"""The consultation's rules: who takes part, when, one ballot per organization and item, the
points budget, amendments accepted or rejected with a reason shown to all."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterhub.agenda import services
from clusterhub.agenda.consultation import (
    amendment_accept,
    amendment_propose,
    amendment_reject,
    ballot_cast,
    ballot_withdraw,
    comment_create,
    points_used,
)
from clusterhub.agenda.models import AmendmentStatus, Ballot, ItemEvent, ItemEventKind
from clusterhub.agenda.services import StaleItemError
from clusterhub.registry.models import MembershipStatus
from tests.agenda.consult_helpers import close, consultation, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_version(agrifood, manager):
    return consultation(agrifood, manager)


def test_a_member_comments_for_their_organization(open_version, member, member_org):
    _version, (alfa, _beta) = open_version
    comment = comment_create(item=alfa, actor=member, text="  Serve\x07 più formazione.\r\n ")
    assert comment.organization == member_org
    assert comment.text == "Serve più formazione."


def test_an_empty_or_overlong_comment_is_refused(open_version, member):
    _version, (alfa, _beta) = open_version
    with pytest.raises(ValidationError, match="cannot be blank"):
        comment_create(item=alfa, actor=member, text=" \n ")
    with pytest.raises(ValidationError, match="At most 2000"):
        comment_create(item=alfa, actor=member, text="x" * 2001)
    assert not alfa.comments.exists()


def test_people_outside_the_member_organizations_cannot_take_part(
    open_version, manager, officer, mech
):
    _version, (alfa, _beta) = open_version
    someone_of_mech = voter(mech)
    for person in (manager, officer, someone_of_mech):
        with pytest.raises(PermissionDenied, match="member organizations"):
            ballot_cast(item=alfa, actor=person, value=1)
        with pytest.raises(PermissionDenied):
            comment_create(item=alfa, actor=person, text="Ciao")
    assert not Ballot.objects.exists()


def test_an_organization_whose_membership_ended_cannot_vote(open_version, member, member_org):
    _version, (alfa, _beta) = open_version
    member_org.memberships.update(status=MembershipStatus.ENDED)
    with pytest.raises(PermissionDenied):
        ballot_cast(item=alfa, actor=member, value=1)


def test_votes_after_closing_are_refused(open_version, member):
    version, (alfa, _beta) = open_version
    ballot_cast(item=alfa, actor=member, value=1)
    close(version)
    with pytest.raises(ValidationError, match="consultation closed"):
        ballot_cast(item=alfa, actor=member, value=0)
    with pytest.raises(ValidationError, match="consultation closed"):
        ballot_withdraw(item=alfa, actor=member)
    with pytest.raises(ValidationError, match="consultation closed"):
        comment_create(item=alfa, actor=member, text="Tardi")
    with pytest.raises(ValidationError, match="consultation closed"):
        amendment_propose(item=alfa, actor=member, title="Altro", rationale="Tardi")
    assert Ballot.objects.get().value == 1


def test_nothing_is_taken_before_opening_or_on_a_draft(agrifood, mech, manager, officer, member):
    version, (alfa, _beta) = consultation(agrifood, manager)
    version.consultation_opens_at = timezone.now() + timedelta(days=1)
    version.save(update_fields=["consultation_opens_at"])
    with pytest.raises(ValidationError, match="not opened yet"):
        ballot_cast(item=alfa, actor=member, value=1)
    draft = services.version_create(cluster=mech, actor=officer, title="Bozza")
    draft_item = services.item_create(version=draft, actor=officer, title="T", objective="O")
    with pytest.raises(ValidationError, match="not in consultation"):
        ballot_cast(item=draft_item, actor=member, value=1)


def test_an_organization_has_one_ballot_per_item_and_may_change_it(open_version, member, org_admin):
    _version, (alfa, _beta) = open_version
    ballot_cast(item=alfa, actor=member, value=1)
    ballot_cast(item=alfa, actor=org_admin, value=0)  # same organization, another person
    ballot = Ballot.objects.get()
    assert (ballot.value, ballot.cast_by) == (0, org_admin)


def test_approval_takes_only_one_or_zero(open_version, member):
    _version, (alfa, _beta) = open_version
    for bad in (2, -1, "sì", None):
        with pytest.raises(ValidationError, match="Vote 1"):
            ballot_cast(item=alfa, actor=member, value=bad)
    assert not Ballot.objects.exists()


def test_points_stay_within_the_budget_of_the_organization(agrifood, manager, member, member_org):
    version, (alfa, beta) = consultation(agrifood, manager, method="points", budget=10)
    ballot_cast(item=alfa, actor=member, value=7)
    with pytest.raises(ValidationError, match="3 of its 10 points left"):
        ballot_cast(item=beta, actor=member, value=4)
    ballot_cast(item=beta, actor=member, value=3)
    ballot_cast(item=alfa, actor=member, value=5)  # changing a ballot frees its points
    assert points_used(version, member_org) == 8
    with pytest.raises(ValidationError, match="between 0 and 10"):
        ballot_cast(item=alfa, actor=member, value=11)


def test_withdrawing_a_ballot_frees_it(agrifood, manager, member, member_org):
    version, (alfa, _beta) = consultation(agrifood, manager, method="points", budget=5)
    ballot_cast(item=alfa, actor=member, value=5)
    assert ballot_withdraw(item=alfa, actor=member) is True
    assert ballot_withdraw(item=alfa, actor=member) is False
    assert points_used(version, member_org) == 0


def test_accepting_an_amendment_rewrites_the_item_and_records_why(open_version, member, manager):
    _version, (alfa, _beta) = open_version
    amendment = amendment_propose(
        item=alfa,
        actor=member,
        title="Alfa per le PMI",
        objective="Su Alfa, per le piccole imprese.",
        rationale="Le PMI sono il 90% dei soci.",
    )
    assert amendment.status == AmendmentStatus.PENDING
    revision = alfa.revision

    amendment_accept(amendment=amendment, actor=manager, reason="Giusto, accolto.")

    alfa.refresh_from_db()
    amendment.refresh_from_db()
    assert (alfa.title, alfa.objective) == ("Alfa per le PMI", "Su Alfa, per le piccole imprese.")
    assert alfa.revision == revision + 1
    assert amendment.status == AmendmentStatus.ACCEPTED
    assert amendment.decision_reason == "Giusto, accolto."
    assert amendment.decided_by == manager
    event = ItemEvent.objects.filter(item=alfa).order_by("-id").first()
    assert event.kind == ItemEventKind.AMENDED
    assert "Giusto, accolto." in event.note
    assert event.after["title"] == "Alfa per le PMI"


def test_rejecting_an_amendment_keeps_the_item_and_the_reason(open_version, member, manager):
    _version, (alfa, _beta) = open_version
    amendment = amendment_propose(item=alfa, actor=member, title="Altro", rationale="Perché sì.")
    amendment_reject(amendment=amendment, actor=manager, reason="Fuori tema.")
    alfa.refresh_from_db()
    amendment.refresh_from_db()
    assert alfa.title == "Alfa"
    assert (amendment.status, amendment.decision_reason) == ("rejected", "Fuori tema.")
    with pytest.raises(ValidationError, match="already rejected"):
        amendment_accept(amendment=amendment, actor=manager, reason="Ci ho ripensato.")


def test_a_decision_needs_a_manager_and_a_reason(open_version, member, manager):
    _version, (alfa, _beta) = open_version
    amendment = amendment_propose(item=alfa, actor=member, title="Altro", rationale="Perché.")
    with pytest.raises(PermissionDenied, match="managers"):
        amendment_accept(amendment=amendment, actor=member, reason="Io accetto.")
    with pytest.raises(ValidationError, match="cannot be blank"):
        amendment_reject(amendment=amendment, actor=manager, reason="   ")
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PENDING


def test_accepting_on_a_stale_revision_changes_nothing(open_version, member, manager):
    _version, (alfa, _beta) = open_version
    amendment = amendment_propose(item=alfa, actor=member, title="Proposta", rationale="Perché.")
    read_at = alfa.revision
    services.item_update(item=alfa, actor=manager, revision=read_at, title="Modificato")
    with pytest.raises(StaleItemError):
        amendment_accept(amendment=amendment, actor=manager, reason="Ok", revision=read_at)
    alfa.refresh_from_db()
    amendment.refresh_from_db()
    assert alfa.title == "Modificato"
    assert amendment.status == AmendmentStatus.PENDING


def test_an_amendment_must_propose_a_change_and_say_why(open_version, member):
    _version, (alfa, _beta) = open_version
    with pytest.raises(ValidationError, match="differ"):
        amendment_propose(item=alfa, actor=member, title="Alfa", rationale="Uguale.")
    with pytest.raises(ValidationError, match="cannot be blank"):
        amendment_propose(item=alfa, actor=member, title="Nuovo", rationale="")
    assert not alfa.amendments.exists()


def test_an_approved_version_takes_no_accepted_amendment(open_version, member, manager):
    version, (alfa, _beta) = open_version
    amendment = amendment_propose(item=alfa, actor=member, title="Tardiva", rationale="Perché.")
    close(version)
    services.version_approve(version=version, actor=manager)
    with pytest.raises(ValidationError, match="frozen"):
        amendment_accept(amendment=amendment, actor=manager, reason="Ok")
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.PENDING


def test_ballots_count_as_votes_in_the_organizations_engagement(open_version, member, member_org):
    from clusterhub.engagement.selectors import organization_engagement

    _version, (alfa, beta) = open_version
    ballot_cast(item=alfa, actor=member, value=1)
    ballot_cast(item=beta, actor=member, value=0)
    ballot_cast(item=beta, actor=member, value=1)  # a changed ballot is not a new vote

    votes = organization_engagement(member_org).breakdown.part("votes")
    assert votes.available
    assert votes.count == 2
    assert votes.points == 4.0
