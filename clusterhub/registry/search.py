"""Full-text search over organizations' `search_text`, on SQLite (FTS5) or PostgreSQL.

`search_text` is stored lower-case and accent-free (see `search_text_for`), so queries
are normalised the same way and both backends match on word prefixes: "robot"
finds "robotica", "citta" finds "città".
"""

import re

from django.db import connection
from django.db.models import BooleanField, F, Func, QuerySet, Value
from django.db.models.expressions import RawSQL

from analytics.textnorm import strip_accents

_TOKEN = re.compile(r"[0-9a-z]+")
MAX_TERMS = 12


class _TextMatches(Func):
    """`to_tsvector('simple', search_text) @@ to_tsquery('simple', query)` on PostgreSQL.

    The same expression as the GIN index (migration 0002), applied to the row itself: a
    semi-join on the table would make the planner recompute the vector row by row.
    """

    template = "(to_tsvector('simple', %(expressions)s))"
    arg_joiner = ") @@ to_tsquery('simple', "
    output_field = BooleanField()


def query_terms(query: str) -> list[str]:
    return _TOKEN.findall(strip_accents(query).lower())[:MAX_TERMS]


def filter_by_text(queryset: QuerySet, query: str) -> QuerySet:  # type: ignore[type-arg]
    """Organizations whose search text contains every term of `query` as a word prefix."""
    terms = query_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return queryset.filter(_TextMatches(F("search_text"), Value(tsquery)))
    match = " ".join(f'"{term}"*' for term in terms)
    return queryset.filter(
        id__in=RawSQL(
            "SELECT rowid FROM registry_organization_fts WHERE registry_organization_fts MATCH %s",
            [match],
        )
    )
