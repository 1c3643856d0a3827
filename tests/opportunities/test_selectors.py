from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from clusterhub.matchmaking.documents import build_document, documents_queryset, text_hash
from clusterhub.matchmaking.models import OrganizationEmbedding
from clusterhub.opportunities.ranking import CLUSTER_BOOST, THEME_BOOST
from clusterhub.opportunities.selectors import (
    OpportunityFilters,
    archived_opportunities,
    open_opportunities,
    opportunity_list,
    ranked_opportunities_for,
)
from clusterhub.regions.models import S3Theme
from clusterhub.registry.services import organization_update

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_an_opportunity_archives_itself_the_day_after_its_deadline(make_opportunity):
    call = make_opportunity(title="Closes today", deadline=TODAY)

    assert list(open_opportunities(on=TODAY)) == [call]
    assert list(archived_opportunities(on=TODAY)) == []
    tomorrow = TODAY + timedelta(days=1)
    assert list(open_opportunities(on=tomorrow)) == []
    assert list(archived_opportunities(on=tomorrow)) == [call]


def test_the_feed_filters_by_cluster_kind_and_theme_area(make_opportunity, agrifood, mech):
    area = S3Theme.objects.filter(level=1).first()
    theme = area.children.first()
    food = make_opportunity(title="Food", clusters=[agrifood], s3_themes=[theme])
    make_opportunity(title="Machines", clusters=[mech], kind="internationalization")
    make_opportunity(title="Old food", clusters=[agrifood], deadline=TODAY - timedelta(days=3))

    assert list(opportunity_list(OpportunityFilters(cluster="agrifood"))) == [food]
    assert [o.title for o in opportunity_list(OpportunityFilters(kind="internationalization"))] == [
        "Machines"
    ]
    assert list(opportunity_list(OpportunityFilters(theme=area.code))) == [food]
    assert [o.title for o in opportunity_list(OpportunityFilters(archived=True))] == ["Old food"]


def test_the_call_about_the_organizations_field_ranks_first(make_opportunity, member_org):
    organization_update(
        organization=member_org,
        description="Caseificio: produzione di formaggi, latte e derivati lattiero-caseari.",
    )
    make_opportunity(
        title="Space propulsion systems",
        description="Electric thrusters and launchers for small satellites.",
    )
    dairy = make_opportunity(
        title="Innovation in dairy production",
        description="Cheese making, milk processing and shelf life of dairy products.",
    )

    ranked = ranked_opportunities_for(member_org, limit=10)

    assert ranked[0].opportunity == dairy
    assert ranked[0].score.similarity > ranked[1].score.similarity
    assert [r.rank for r in ranked] == [1, 2]


def test_the_parts_of_the_score_show_shared_clusters_and_themes(
    make_opportunity, member_org, agrifood, mech
):
    theme = S3Theme.objects.filter(level=2).first()
    member_org.s3_themes.set([theme])
    mine = make_opportunity(title="Call", clusters=[agrifood], s3_themes=[theme])
    theirs = make_opportunity(title="Call", clusters=[mech])

    ranked = {r.opportunity: r.score for r in ranked_opportunities_for(member_org)}

    assert ranked[mine].shared_clusters == (agrifood,)
    assert ranked[mine].shared_themes == (theme,)
    assert ranked[mine].cluster_boost == CLUSTER_BOOST
    assert ranked[mine].theme_boost == THEME_BOOST
    assert ranked[theirs].cluster_boost == 0 and ranked[theirs].theme_boost == 0
    assert ranked[mine].total == pytest.approx(
        ranked[mine].similarity + CLUSTER_BOOST + THEME_BOOST
    )


def test_closed_and_older_opportunities_are_not_ranked(make_opportunity, member_org):
    make_opportunity(title="Closed", deadline=TODAY - timedelta(days=1))
    old = make_opportunity(title="Old")
    since = timezone.now()
    new = make_opportunity(title="New")

    assert {r.opportunity for r in ranked_opportunities_for(member_org)} == {old, new}
    assert [r.opportunity for r in ranked_opportunities_for(member_org, created_after=since)] == [
        new
    ]


def test_the_profile_vector_stored_by_the_match_index_is_used(make_opportunity, member_org):
    call = make_opportunity(title="Anything at all")
    fields = dict(build_document(documents_queryset([member_org.pk]).get()).fields)
    OrganizationEmbedding.objects.create(
        organization=member_org,
        encoder="use-m3",
        text_hash=text_hash(fields),
        dim=512,
        vector=bytes(call.vector),  # the call's own vector: similarity 1
    )

    [ranked] = ranked_opportunities_for(member_org)

    assert ranked.score.similarity == pytest.approx(1.0, abs=1e-4)
    stale = np.zeros(512, dtype="<f4").tobytes()
    OrganizationEmbedding.objects.filter(organization=member_org).update(
        vector=stale, text_hash="another profile"
    )
    [ranked] = ranked_opportunities_for(member_org)
    assert ranked.score.similarity < 0.99
