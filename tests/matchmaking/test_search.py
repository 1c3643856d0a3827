"""Ranking, filters, explanations, visibility and hostile needs, through the selectors."""

import pytest
from django.http import Http404

from clusterhub.matchmaking.selectors import (
    MatchFilters,
    match_organizations,
    similar_organizations,
)

pytestmark = pytest.mark.django_db

NEED_IT = "cerchiamo materiali compostabili per vaschette alimentari con barriera all'ossigeno"


def ranked(found):
    return [r.organization.name for r in found.results]


def test_an_italian_need_ranks_the_packaging_labs_first_an_english_profile_included(corpus, member):
    found = match_organizations(viewer=member, query=NEED_IT)

    top_two = set(ranked(found)[:2])
    assert top_two == {"Laboratorio Materiali Compostabili", "Green Packaging Lab"}
    assert "Centro Robotica Avanzata" not in ranked(found)[:3]


def test_an_english_need_finds_the_italian_profile(corpus, member):
    found = match_organizations(viewer=member, query="compostable food trays", k=3)

    assert "Laboratorio Materiali Compostabili" in ranked(found)


def test_each_result_says_which_signal_found_it_and_why(corpus, member):
    found = match_organizations(viewer=member, query=NEED_IT)
    best = found.results[0]

    assert best.signal in ("lexical", "semantic", "both")
    assert best.reasons, "the best result explains itself"
    marked = [s.text.lower() for r in best.reasons for s in r.segments if s.marked]
    assert any(
        word.startswith(("compost", "vaschett", "barrier", "ossigen", "oxygen")) for word in marked
    )
    # The pieces put back together are the passage itself.
    for reason in best.reasons:
        assert "".join(s.text for s in reason.segments) == reason.text


def test_the_english_profile_is_carried_by_meaning(corpus, member):
    found = match_organizations(viewer=member, query=NEED_IT)
    green = next(r for r in found.results if r.organization.name == "Green Packaging Lab")

    assert green.dense_rank is not None


@pytest.mark.parametrize(
    ("query", "filters", "allowed", "expected"),
    [
        (
            "cerchiamo un'officina per la fresatura CNC di precisione",
            MatchFilters(kind="firm"),
            {"Officina Meccanica Srl", "Caseificio Esempio Srl"},
            "Officina Meccanica Srl",
        ),
        (
            NEED_IT,
            MatchFilters(htn=True),
            {"Laboratorio Materiali Compostabili", "Centro Robotica Avanzata"},
            "Laboratorio Materiali Compostabili",
        ),
        (
            NEED_IT,
            MatchFilters(province="ITH55"),
            {"Green Packaging Lab", "Centro Robotica Avanzata"},
            "Green Packaging Lab",
        ),
        (
            NEED_IT,
            MatchFilters(cluster="agrifood"),
            {"Laboratorio Materiali Compostabili", "Caseificio Sociale Valle"},
            "Laboratorio Materiali Compostabili",
        ),
    ],
    ids=["kind", "htn", "province", "cluster"],
)
def test_filters_narrow_the_results(corpus, member, query, filters, allowed, expected):
    found = match_organizations(viewer=member, query=query, filters=filters)

    assert ranked(found)[0] == expected
    assert set(ranked(found)) <= allowed


def test_filters_that_match_nobody_say_so(corpus, member):
    found = match_organizations(
        viewer=member, query=NEED_IT, filters=MatchFilters(kind="association")
    )

    assert found.results == []
    assert found.message


def test_a_hidden_profile_never_reaches_someone_who_may_not_see_it(corpus, member, officer):
    """The member belongs to agrifood; the hidden lab is a member of mech only."""
    for_member = match_organizations(viewer=member, query=NEED_IT, k=50)
    for_officer = match_organizations(viewer=officer, query=NEED_IT, k=50)

    assert "Laboratorio Riservato Imballaggi" not in ranked(for_member)
    assert "Laboratorio Riservato Imballaggi" in ranked(for_officer)


def test_a_hidden_profile_is_not_similar_to_anything_for_an_anonymous_visitor(
    corpus, django_user_model
):
    from django.contrib.auth.models import AnonymousUser

    results = similar_organizations(viewer=AnonymousUser(), organization_id=corpus["compost"].pk)

    names = [r.organization.name for r in results]
    assert "Laboratorio Riservato Imballaggi" not in names
    assert "Laboratorio Materiali Compostabili" not in names  # never similar to itself
    assert names[0] == "Green Packaging Lab"


def test_the_similar_list_of_a_hidden_profile_is_a_404_for_who_may_not_see_it(corpus, member):
    with pytest.raises(Http404):
        similar_organizations(viewer=member, organization_id=corpus["hidden"].pk)


def test_similar_organizations_name_what_they_share(corpus, officer):
    results = similar_organizations(viewer=officer, organization_id=corpus["compost"].pk)
    hidden = next(r for r in results if r.organization.name == "Laboratorio Riservato Imballaggi")

    assert "Packaging" in hidden.shared


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "?!?... ;;; ---",
        "x" * 10_000,
        "'; DROP TABLE registry_organization; --",
        "<script>alert(1)</script> imballaggi",
        "\x00\x01 robot",
        "🙂" * 50,
    ],
    ids=["empty", "blank", "punctuation", "huge", "sql", "html", "control", "emoji"],
)
def test_hostile_needs_are_answered_cleanly(corpus, member, query):
    found = match_organizations(viewer=member, query=query)

    assert len(found.query) <= 1000
    if not found.results:
        assert found.message


def test_a_need_without_words_is_not_searched(corpus, member):
    found = match_organizations(viewer=member, query="?!?... ;;;")

    assert not found.searched
    assert found.results == []
