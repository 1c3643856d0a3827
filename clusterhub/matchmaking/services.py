"""Writes of matchmaking: saved searches. (The index follows the profiles: see hooks.py.)"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from clusterhub.matchmaking.models import SavedSearch
from clusterhub.matchmaking.selectors import (
    MatchFilters,
    MatchResult,
    clean_query,
    explain_results,
    has_words,
    match_organizations,
)

logger = logging.getLogger(__name__)

# How deep in the ranking a saved search looks for matches to report.
SAVED_SEARCH_DEPTH = 20


# --- Saved searches ------------------------------------------------------------------------


@transaction.atomic
def saved_search_create(
    *,
    person: object,
    query: str,
    filters: MatchFilters = MatchFilters(),  # noqa: B008
) -> SavedSearch:
    """Save a need; what it finds today is known, later matches will be new.

    Saving the same need with the same filters again returns the search already saved.
    """
    text = clean_query(query)
    for existing in SavedSearch.objects.filter(person=person, query=text):
        if existing.filters == filters.to_dict():
            return existing
    saved = SavedSearch(person=person, query=text, filters=filters.to_dict())
    saved.full_clean()
    found = match_organizations(
        viewer=person, query=text, filters=filters, k=SAVED_SEARCH_DEPTH, explain=False
    )
    saved.known_result_ids = [r.organization.pk for r in found.results]
    saved.last_checked_at = timezone.now()
    saved.save()
    return saved


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch) -> None:
    saved_search.delete()


def saved_search_new_matches(
    saved_search: SavedSearch, *, mark_seen: bool = True
) -> list[MatchResult]:
    """Organizations that match the saved search now and were not reported before.

    Searches as the search's owner (what they may see today). With `mark_seen` (the digest),
    the new matches become known and `last_checked_at` moves to now.
    """
    if not has_words(saved_search.query):
        return []
    found = match_organizations(
        viewer=saved_search.person,
        query=saved_search.query,
        filters=MatchFilters.from_dict(saved_search.filters or {}),
        k=SAVED_SEARCH_DEPTH,
        explain=False,
    )
    known = set(saved_search.known_result_ids or [])
    new = explain_results(found.query, [r for r in found.results if r.organization.pk not in known])
    if mark_seen:
        saved_search_mark_seen(
            saved_search=saved_search, organization_ids=[r.organization.pk for r in new]
        )
    return new


@transaction.atomic
def saved_search_mark_seen(
    *, saved_search: SavedSearch, organization_ids: Iterable[int]
) -> SavedSearch:
    """Record these organizations as reported for this search, and the check as done now."""
    locked = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    known = list(locked.known_result_ids or [])
    known += [pk for pk in organization_ids if pk not in set(known)]
    locked.known_result_ids = known
    locked.last_checked_at = timezone.now()
    locked.save(update_fields=["known_result_ids", "last_checked_at"])
    saved_search.known_result_ids = locked.known_result_ids
    saved_search.last_checked_at = locked.last_checked_at
    return locked
