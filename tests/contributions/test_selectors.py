import pytest
from django.http import Http404

from clusterhub.contributions.selectors import (
    contribution_activity_by_organization,
    contribution_get,
    contributions_of_cluster,
    contributions_visible_to,
)
from clusterhub.contributions.services import comment_add, endorsement_add
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_pending_contribution_is_seen_by_its_organization_and_managers_only(
    post, member, org_admin, manager, officer, peer, mech_person
):
    pending = post()

    for person in (member, org_admin, manager, officer):
        assert contributions_visible_to(person).filter(pk=pending.pk).exists(), person
    for person in (peer, mech_person, PersonFactory()):
        assert not contributions_visible_to(person).filter(pk=pending.pk).exists(), person


def test_an_approved_members_only_contribution_is_seen_by_its_clusters_members(
    post, manager, peer, mech_person, client
):
    approved = post(approve_by=manager)

    assert contributions_visible_to(peer).filter(pk=approved.pk).exists()
    assert not contributions_visible_to(mech_person).filter(pk=approved.pk).exists()
    with pytest.raises(Http404):
        contribution_get(viewer=mech_person, contribution_id=approved.pk)


def test_a_public_approved_contribution_is_seen_by_anonymous_visitors(post, manager):
    from django.contrib.auth.models import AnonymousUser

    public = post(visibility="public", approve_by=manager)
    post(title="Solo soci", approve_by=manager)

    visible = set(contributions_visible_to(AnonymousUser()).values_list("pk", flat=True))
    assert visible == {public.pk}


def test_other_apps_read_a_clusters_contributions_by_kind_and_the_activity_of_organizations(
    post, manager, peer, agrifood, member_org, peer_org
):
    training = post(kind="training", title="Corso HACCP", approve_by=manager)
    post(kind="need", title="Altro bisogno", approve_by=manager)
    post(kind="training", title="Ancora in attesa")
    endorsement_add(contribution=training, person=peer)
    comment_add(contribution=training, author=peer, text="Ci siamo")

    found = list(contributions_of_cluster(agrifood, kind="training"))

    assert [c.title for c in found] == ["Corso HACCP"]
    assert (found[0].endorsement_count, found[0].comment_count) == (1, 1)
    activity = contribution_activity_by_organization()
    assert activity[member_org.pk] == {"contributions": 3, "endorsements": 0, "comments": 0}
    assert activity[peer_org.pk] == {"contributions": 0, "endorsements": 1, "comments": 1}
