"""Saved searches and their matches new since last time (what the weekly digest reports)."""

import pytest
from django.http import Http404

from clusterhub.matchmaking.selectors import (
    MatchFilters,
    match_organizations,
    saved_search_get_for_person,
)
from clusterhub.matchmaking.services import saved_search_create, saved_search_new_matches
from clusterhub.regions.models import Competence
from clusterhub.registry.services import organization_create

pytestmark = pytest.mark.django_db

NEED = "vaschette compostabili con barriera all'ossigeno"


@pytest.fixture
def saved(corpus, member):
    return saved_search_create(person=member, query=NEED, filters=MatchFilters(kind="research_lab"))


def test_what_a_search_finds_when_saved_is_already_known(saved, corpus, member):
    found = match_organizations(
        viewer=member, query=NEED, filters=MatchFilters(kind="research_lab"), k=20
    )

    assert saved.last_checked_at is not None
    assert saved.known_result_ids == [r.organization.pk for r in found.results]
    assert corpus["compost"].pk in saved.known_result_ids
    assert saved.filters == {"kind": "research_lab"}
    assert saved_search_new_matches(saved) == []


def test_a_lab_that_joins_later_is_a_new_match_once(
    saved, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = organization_create(
            name="Nuovo Laboratorio Bioplastiche",
            kind="research_lab",
            description="Vaschette compostabili per alimenti con alta barriera all'ossigeno.",
            competences=[Competence.objects.get(code="33")],
        )

    preview = saved_search_new_matches(saved, mark_seen=False)
    assert [r.organization.pk for r in preview] == [newcomer.pk]
    assert preview[0].reasons  # the digest can say why

    reported = saved_search_new_matches(saved)
    assert [r.organization.pk for r in reported] == [newcomer.pk]
    assert saved_search_new_matches(saved) == []


def test_new_matches_respect_the_saved_filters(
    saved, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organization_create(
            name="Impresa Vaschette Srl",
            kind="firm",
            description="Vaschette compostabili con barriera all'ossigeno.",
        )

    assert saved_search_new_matches(saved) == []


def test_a_hidden_newcomer_is_not_reported_to_who_may_not_see_it(
    saved, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organization_create(
            name="Laboratorio Nascosto",
            kind="research_lab",
            is_public=False,
            description="Vaschette compostabili con barriera all'ossigeno.",
        )

    assert saved_search_new_matches(saved) == []


def test_another_persons_saved_search_is_not_found(saved, officer):
    with pytest.raises(Http404):
        saved_search_get_for_person(person=officer, saved_search_id=saved.pk)


def test_saving_the_same_search_twice_keeps_one(saved, member):
    again = saved_search_create(
        person=member, query=f"  {NEED} ", filters=MatchFilters(kind="research_lab")
    )

    assert again.pk == saved.pk
    other = saved_search_create(person=member, query=NEED)
    assert other.pk != saved.pk
