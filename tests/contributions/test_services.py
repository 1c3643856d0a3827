import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from clusterhub.contributions.models import (
    TEXT_MAX_LENGTH,
    Contribution,
    ContributionAction,
    ContributionStatus,
    Endorsement,
)
from clusterhub.contributions.services import (
    comment_add,
    contribution_approve,
    contribution_close,
    contribution_create,
    contribution_merge,
    contribution_reopen,
    endorsement_add,
    endorsement_toggle,
)
from tests.contributions.conftest import CHEESE, SPINDLES_EN, SPINDLES_IT
from tests.factories import OrganizationRoleFactory

pytestmark = pytest.mark.django_db


# --- Posting ------------------------------------------------------------------------------


def test_a_posted_contribution_waits_for_moderation_with_its_language_and_vector(post):
    contribution = post(title=CHEESE[0], text=CHEESE[1])

    assert contribution.status == ContributionStatus.PENDING
    assert contribution.language == "it"
    assert len(contribution.embedding) == 512 * 2  # float16
    assert contribution.history.get().action == ContributionAction.POSTED


def test_an_english_text_is_recognised_as_english(post):
    assert post(title=SPINDLES_EN[0], text=SPINDLES_EN[1]).language == "en"


def test_it_refuses_a_cluster_the_organization_is_not_a_member_of(post, mech):
    with pytest.raises(ValidationError) as error:
        post(clusters=[mech])

    assert "clusters" in error.value.message_dict
    assert not Contribution.objects.exists()


def test_it_refuses_posting_for_an_organization_the_author_does_not_belong_to(
    member, other_org, mech
):
    with pytest.raises(PermissionDenied):
        contribution_create(
            author=member,
            organization=other_org,
            kind="need",
            title="Something",
            text="Something",
            clusters=[mech],
        )


@pytest.mark.parametrize("title", ["", "   ", "\x00\x01\x02"])
def test_it_refuses_a_blank_title_and_stores_nothing(post, title):
    with pytest.raises(ValidationError) as error:
        post(title=title)

    assert "title" in error.value.message_dict
    assert not Contribution.objects.exists()


def test_it_refuses_a_text_over_the_limit(post):
    with pytest.raises(ValidationError) as error:
        post(text="a" * (TEXT_MAX_LENGTH + 1))

    assert "text" in error.value.message_dict


def test_control_characters_are_dropped_and_html_is_kept_as_text(post):
    contribution = post(
        title="<script>alert(1)</script>\x07 Titolo\r\ncon a capo",
        text="<b>grassetto</b>\x1b\r\nseconda riga",
    )

    assert contribution.title == "<script>alert(1)</script> Titolo con a capo"
    assert contribution.text == "<b>grassetto</b>\nseconda riga"


def test_a_near_duplicate_of_the_same_cluster_is_flagged_for_the_managers(post, manager):
    first = post(title=SPINDLES_IT[0], text=SPINDLES_IT[1], approve_by=manager)
    unrelated = post(title=CHEESE[0], text=CHEESE[1])

    twin = post(title=SPINDLES_EN[0], text=SPINDLES_EN[1])

    assert unrelated.suspected_duplicate is None
    assert twin.suspected_duplicate == first
    assert twin.duplicate_score >= 0.75


def test_a_twin_in_another_cluster_is_not_flagged(post, mech, mech_person, other_org):
    post(title=SPINDLES_IT[0], text=SPINDLES_IT[1])

    elsewhere = contribution_create(
        author=mech_person,
        organization=other_org,
        kind="need",
        title=SPINDLES_EN[0],
        text=SPINDLES_EN[1],
        clusters=[mech],
    )

    assert elsewhere.suspected_duplicate is None


# --- Endorsing ----------------------------------------------------------------------------


def test_another_member_organization_endorses_an_approved_contribution(post, manager, peer):
    contribution = post(approve_by=manager)

    endorsement = endorsement_add(contribution=contribution, person=peer)

    assert endorsement.organization == peer.organization_roles.get().organization
    assert endorsement_add(contribution=contribution, person=peer) == endorsement  # once


def test_the_database_keeps_one_endorsement_per_organization(post, manager, peer, peer_org):
    contribution = post(approve_by=manager)
    endorsement_add(contribution=contribution, person=peer)

    with pytest.raises(IntegrityError):
        Endorsement.objects.create(contribution=contribution, organization=peer_org)


def test_endorsing_toggles(post, manager, peer):
    contribution = post(approve_by=manager)

    assert endorsement_toggle(contribution=contribution, person=peer) is True
    assert endorsement_toggle(contribution=contribution, person=peer) is False
    assert not contribution.endorsements.exists()


def test_the_posting_organization_and_pending_contributions_are_not_endorsed(
    post, manager, member, peer
):
    pending = post(title="In attesa")
    approved = post(approve_by=manager)

    with pytest.raises(PermissionDenied):
        endorsement_add(contribution=pending, person=peer)
    with pytest.raises(PermissionDenied):
        endorsement_add(contribution=approved, person=member)


def test_an_organization_outside_the_clusters_does_not_endorse(post, manager, mech_person):
    contribution = post(approve_by=manager)

    with pytest.raises(PermissionDenied):
        endorsement_add(contribution=contribution, person=mech_person)


# --- Comments -----------------------------------------------------------------------------


def test_a_comment_is_signed_by_the_commenters_organization(post, manager, peer, peer_org):
    contribution = post(approve_by=manager)

    comment = comment_add(contribution=contribution, author=peer, text="  Anche noi!  ")
    staff = comment_add(contribution=contribution, author=manager, text="Ne parliamo al tavolo.")

    assert (comment.organization, comment.text) == (peer_org, "Anche noi!")
    assert staff.organization is None


@pytest.mark.parametrize("text", ["", " \n ", "x" * 2001])
def test_an_empty_or_huge_comment_is_refused(post, manager, peer, text):
    contribution = post(approve_by=manager)

    with pytest.raises(ValidationError):
        comment_add(contribution=contribution, author=peer, text=text)
    assert not contribution.comments.exists()


# --- Moderation ---------------------------------------------------------------------------


def test_approving_twice_is_refused(post, manager):
    contribution = post(approve_by=manager)

    with pytest.raises(ValidationError):
        contribution_approve(contribution=contribution, actor=manager)


def test_closing_needs_a_reason_kept_in_the_history(post, manager):
    contribution = post()
    with pytest.raises(ValidationError):
        contribution_close(contribution=contribution, actor=manager, reason="  ")

    closed = contribution_close(contribution=contribution, actor=manager, reason="Fuori tema")

    assert (closed.status, closed.close_reason) == ("closed", "Fuori tema")
    event = closed.history.get(action=ContributionAction.CLOSED)
    assert (event.actor, event.before["status"], event.after["status"]) == (
        manager,
        "pending",
        "closed",
    )
    reopened = contribution_reopen(contribution=closed, actor=manager)
    assert (reopened.status, reopened.close_reason) == ("pending", "")


def test_merging_moves_endorsements_without_duplicates_and_keeps_history(
    post, manager, peer, peer_org, member_org, agrifood
):
    kept = post(title=SPINDLES_IT[0], text=SPINDLES_IT[1], approve_by=manager)
    duplicate = post(title=SPINDLES_EN[0], text=SPINDLES_EN[1], approve_by=manager)
    third = OrganizationRoleFactory(organization__name="Terza Srl", role="member").person
    third.organization_roles.get().organization.memberships.create(cluster=agrifood)
    endorsement_add(contribution=duplicate, person=peer)
    endorsement_add(contribution=duplicate, person=third)
    endorsement_add(contribution=kept, person=peer)
    comment = comment_add(contribution=duplicate, author=peer, text="Commento sul doppione")

    merged = contribution_merge(contribution=duplicate, into=kept, actor=manager)

    assert (merged.status, merged.merged_into) == ("merged", kept)
    endorsers = set(kept.endorsements.values_list("organization__name", flat=True))
    assert endorsers == {"Latteria Vicina Srl", "Terza Srl"}  # peer once; not member_org itself
    assert not duplicate.endorsements.exists()
    assert comment in duplicate.comments.all()  # comments stay on the merged page
    event = duplicate.history.get(action=ContributionAction.MERGED)
    assert event.actor == manager
    assert event.after["merged_into"] == kept.pk
    assert event.after["duplicate_endorsements_dropped"] == [peer_org.pk]
    assert kept.history.filter(action=ContributionAction.ABSORBED).exists()


def test_the_duplicates_organization_endorses_the_kept_one(post, manager, peer, peer_org):
    from clusterhub.contributions.services import contribution_create as create

    kept = post(title=SPINDLES_IT[0], text=SPINDLES_IT[1], approve_by=manager)
    duplicate = create(
        author=peer,
        organization=peer_org,
        kind="need",
        title=SPINDLES_EN[0],
        text=SPINDLES_EN[1],
        clusters=list(kept.clusters.all()),
    )

    contribution_merge(contribution=duplicate, into=kept, actor=manager)

    assert list(kept.endorsements.values_list("organization", flat=True)) == [peer_org.pk]


def test_a_merge_into_itself_or_into_a_closed_one_is_refused(post, manager):
    first = post(title="Uno")
    second = post(title="Due")
    contribution_close(contribution=second, actor=manager, reason="Spam")

    with pytest.raises(ValidationError):
        contribution_merge(contribution=first, into=first, actor=manager)
    with pytest.raises(ValidationError):
        contribution_merge(contribution=first, into=second, actor=manager)
    first.refresh_from_db()
    assert first.status == "pending"
