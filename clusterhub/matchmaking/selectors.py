"""Reads of matchmaking: ranked organizations for a need, similar profiles, consortia.

The HTML views, the API and `manage.py match` all call these. Filters and visibility are
decided here, from the database, and handed to the index as the ids it may return: an
organization the caller may not see never reaches a result, a similar list, a consortium
or an explanation.
"""

import logging
import time
from dataclasses import dataclass, field, replace
from itertools import product
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from clusterhub.matchmaking.documents import FIELD_LABELS, documents_by_id
from clusterhub.matchmaking.engine import Explanation, Hit
from clusterhub.matchmaking.indexing import current_index
from clusterhub.matchmaking.models import (
    DEFAULT_CONSORTIUM_ROLES,
    QUERY_MAX_LENGTH,
    ROLE_KINDS,
    ConsortiumRole,
    SavedSearch,
)
from clusterhub.regions.models import Competence
from clusterhub.registry.models import Membership, MembershipStatus, Organization
from clusterhub.registry.selectors import (
    DirectoryFilters,
    organization_directory,
    organizations_visible_to,
)

logger = logging.getLogger(__name__)

DEFAULT_K = 20
MAX_K = 50
SIMILAR_K = 6
# Candidates weighed for each role of a consortium.
CONSORTIUM_CANDIDATES = 5
# How much one more cluster in a consortium weighs against relevance (1.0 = a top match).
CROSS_CLUSTER_BONUS = 0.15


# --- Values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchFilters:
    """What a search is narrowed to; every field is optional."""

    cluster: str = ""  # cluster slug
    kind: str = ""  # OrganizationKind
    province: str = ""  # NUTS-3 code
    htn: bool | None = None  # High Technology Network accreditation

    def to_dict(self) -> dict[str, Any]:
        """The filters in use, for a saved search or a link."""
        data: dict[str, Any] = {
            "cluster": self.cluster,
            "kind": self.kind,
            "province": self.province,
        }
        if self.htn is not None:
            data["htn"] = self.htn
        return {key: value for key, value in data.items() if value not in ("", None)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MatchFilters":
        htn = data.get("htn")
        return cls(
            cluster=str(data.get("cluster") or ""),
            kind=str(data.get("kind") or ""),
            province=str(data.get("province") or ""),
            htn=htn if isinstance(htn, bool) else None,
        )

    def directory_filters(self) -> DirectoryFilters:
        return DirectoryFilters(
            cluster=self.cluster,
            kind=self.kind,
            territory=self.province,
            htn_accredited=self.htn,
        )


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool


@dataclass(frozen=True)
class Reason:
    """A passage of a profile that matched, with the query's terms located in it."""

    field: str
    text: str
    highlights: tuple[tuple[int, int], ...]
    score: float = 0.0

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))

    @property
    def segments(self) -> list[Segment]:
        """The text cut into plain and highlighted pieces (templates escape each piece)."""
        pieces: list[Segment] = []
        position = 0
        for start, end in merged_spans(self.highlights, len(self.text)):
            if start > position:
                pieces.append(Segment(self.text[position:start], False))
            pieces.append(Segment(self.text[start:end], True))
            position = end
        if position < len(self.text):
            pieces.append(Segment(self.text[position:], False))
        return pieces


def merged_spans(spans: tuple[tuple[int, int], ...], length: int) -> list[tuple[int, int]]:
    """Spans inside the text, sorted, overlaps joined."""
    clean = sorted((max(0, int(s)), min(length, int(e))) for s, e in spans if int(e) > int(s))
    merged: list[tuple[int, int]] = []
    for start, end in clean:
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class MatchResult:
    organization: Organization
    rank: int
    score: float
    signal: str  # "lexical", "semantic" or "both"
    lexical_rank: int | None = None
    dense_rank: int | None = None
    reasons: tuple[Reason, ...] = ()
    matched_terms: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()  # for similar organizations: competences and themes in common


@dataclass(frozen=True)
class MatchResults:
    query: str
    filters: MatchFilters
    results: list[MatchResult] = field(default_factory=list)
    message: str = ""  # why there is nothing to show, when there is nothing
    searched: bool = False  # False when the query had nothing to search for
    elapsed_ms: float = 0.0


# --- Helpers -------------------------------------------------------------------------------


def clean_query(query: str) -> str:
    """One line of text at most QUERY_MAX_LENGTH long, NULs and control characters gone."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(query or ""))
    return " ".join(text.split())[:QUERY_MAX_LENGTH]


def has_words(query: str) -> bool:
    return any(ch.isalnum() for ch in query)


def _public_memberships() -> Prefetch:
    active = Membership.objects.filter(status=MembershipStatus.ACTIVE).select_related("cluster")
    return Prefetch(
        "memberships", queryset=active.order_by("cluster__position"), to_attr="public_memberships"
    )


def _cards(ids: list[int]) -> dict[int, Organization]:
    """Organizations with what a result card shows, by id."""
    return (
        Organization.objects.select_related("territory")
        .prefetch_related(
            _public_memberships(),
            Prefetch("competences", queryset=Competence.objects.order_by("position", "code")),
        )
        .defer("search_text")
        .in_bulk(ids)
    )


def allowed_ids(viewer: object, filters: MatchFilters) -> set[int]:
    """Ids of the organizations this viewer may see that pass the filters."""
    queryset = organization_directory(filters.directory_filters(), viewer=viewer)
    return set(queryset.order_by().values_list("id", flat=True))


def _reasons(explanation: Explanation) -> tuple[Reason, ...]:
    """The passages worth showing: the name only where it matched words (the card shows it)."""
    return tuple(
        Reason(
            field=passage.field,
            text=passage.text,
            highlights=tuple(passage.highlights),
            score=float(passage.score),
        )
        for passage in explanation.passages
        if passage.field != "name" or passage.highlights
    )


def _results(query: str, hits: list[Hit], *, explain: bool) -> list[MatchResult]:
    cards = _cards([hit.id for hit in hits])
    results = [
        MatchResult(
            organization=cards[hit.id],
            rank=rank,
            score=float(hit.score),
            signal=hit.signal,
            lexical_rank=hit.lexical_rank,
            dense_rank=hit.dense_rank,
        )
        # An organization deleted since the index was saved is skipped.
        for rank, hit in enumerate((h for h in hits if h.id in cards), start=1)
    ]
    return explain_results(query, results) if explain and query else results


# --- Search --------------------------------------------------------------------------------


def match_organizations(
    *,
    viewer: object,
    query: str,
    filters: MatchFilters = MatchFilters(),  # noqa: B008 (frozen)
    k: int = DEFAULT_K,
    explain: bool = True,
) -> MatchResults:
    """Organizations ranked for a need written in Italian or English, with the reasons."""
    started = time.perf_counter()
    text = clean_query(query)
    k = max(1, min(int(k), MAX_K))
    if not has_words(text):
        message = _("Describe what you are looking for in a few words.")
        return MatchResults(query=text, filters=filters, message=str(message))
    allowed = allowed_ids(viewer, filters)
    if not allowed:
        message = _("No organization matches these filters.")
        return MatchResults(query=text, filters=filters, message=str(message), searched=True)
    hits = current_index().search(text, k=k, allowed=allowed)
    results = _results(text, hits, explain=explain)
    elapsed = (time.perf_counter() - started) * 1000
    logger.debug("match %r: %d results in %.0f ms", text[:80], len(results), elapsed)
    message = "" if results else str(_("No organization matches this need yet."))
    return MatchResults(
        query=text,
        filters=filters,
        results=results,
        message=message,
        searched=True,
        elapsed_ms=elapsed,
    )


def similar_organizations(
    *, viewer: object, organization_id: int, k: int = SIMILAR_K
) -> list[MatchResult]:
    """Profiles most like this one, among those the viewer may see (404 if this one is not)."""
    visible = organizations_visible_to(viewer)
    organization = (
        visible.filter(pk=organization_id).prefetch_related("competences", "s3_themes").first()
    )
    if organization is None:
        raise Http404("No such organization")
    allowed = set(visible.exclude(pk=organization_id).values_list("id", flat=True))
    index = current_index()
    if organization_id not in index or not allowed:
        return []
    hits = index.similar(organization_id, k=max(1, min(int(k), MAX_K)), allowed=allowed)
    results = _results("", hits, explain=False)
    own_terms = {c.pk: c for c in organization.competences.all()}
    own_themes = {t.pk: t for t in organization.s3_themes.all()}
    theme_links = Organization.s3_themes.through.objects.filter(
        organization_id__in=[r.organization.pk for r in results], s3theme_id__in=list(own_themes)
    ).values_list("organization_id", "s3theme_id")
    themes_of: dict[int, list[int]] = {}
    for organization_pk, theme_pk in theme_links:
        themes_of.setdefault(organization_pk, []).append(theme_pk)
    shared_results = []
    for result in results:
        shared = [c.name for c in result.organization.competences.all() if c.pk in own_terms]
        shared += [own_themes[t].name for t in themes_of.get(result.organization.pk, [])]
        shared_results.append(replace(result, shared=tuple(shared)))
    return shared_results


# --- Consortium ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsortiumMember:
    role: str
    result: MatchResult
    alternatives: tuple[MatchResult, ...] = ()

    @property
    def role_label(self) -> str:
        return str(ConsortiumRole(self.role).label)

    @property
    def cluster_ids(self) -> set[int]:
        return _cluster_ids(self.result.organization)


@dataclass(frozen=True)
class Consortium:
    query: str
    roles: tuple[str, ...]
    members: list[ConsortiumMember] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # roles nobody visible can fill
    message: str = ""
    searched: bool = False

    @property
    def gap_labels(self) -> list[str]:
        return [str(ConsortiumRole(role).label) for role in self.gaps]

    @property
    def clusters(self) -> list[Any]:
        """The clusters the members belong to, each once, in the members' order."""
        seen: dict[int, Any] = {}
        for member in self.members:
            for membership in member.result.organization.public_memberships:  # type: ignore[attr-defined]
                seen.setdefault(membership.cluster_id, membership.cluster)
        return list(seen.values())


def _cluster_ids(organization: Organization) -> set[int]:
    return {m.cluster_id for m in getattr(organization, "public_memberships", [])}


def _best_combination(
    candidates: list[list[MatchResult]], *, cross_cluster: bool
) -> list[MatchResult]:
    """One candidate per role: most relevant overall, more clusters preferred."""
    relevance = []
    for role_candidates in candidates:
        top = max((c.score for c in role_candidates), default=0.0) or 1.0
        relevance.append({id(c): c.score / top for c in role_candidates})
    best: list[MatchResult] = []
    best_value = float("-inf")
    for combination in product(*candidates):
        ids = [c.organization.pk for c in combination]
        if len(set(ids)) != len(ids):
            continue
        value = sum(relevance[i][id(c)] for i, c in enumerate(combination))
        if cross_cluster:
            clusters: set[int] = set()
            for c in combination:
                clusters |= _cluster_ids(c.organization)
            value += CROSS_CLUSTER_BONUS * max(0, min(len(clusters), len(combination)) - 1)
        if value > best_value + 1e-9:
            best, best_value = list(combination), value
    return best


def suggest_consortium(
    *,
    viewer: object,
    query: str,
    roles: tuple[str, ...] | list[str] = DEFAULT_CONSORTIUM_ROLES,
    province: str = "",
    cross_cluster: bool = True,
) -> Consortium:
    """A small consortium for a call or a project idea: one organization per role, each with
    its reason, preferring members of different clusters."""
    text = clean_query(query)
    wanted = tuple(dict.fromkeys(str(r) for r in roles if str(r) in ROLE_KINDS)) or tuple(
        str(r) for r in DEFAULT_CONSORTIUM_ROLES
    )
    if not has_words(text):
        message = _("Describe the call or the project idea in a few words.")
        return Consortium(query=text, roles=wanted, message=str(message))
    visible = organization_directory(DirectoryFilters(territory=province), viewer=viewer)
    kind_of = dict(visible.order_by().values_list("id", "kind"))
    index = current_index()
    candidates: list[list[MatchResult]] = []
    filled: list[str] = []
    gaps: list[str] = []
    for role in wanted:
        allowed = {pk for pk, kind in kind_of.items() if kind in ROLE_KINDS[role]}
        hits = index.search(text, k=CONSORTIUM_CANDIDATES, allowed=allowed) if allowed else []
        results = _results(text, hits, explain=False)
        if results:
            candidates.append(results)
            filled.append(role)
        else:
            gaps.append(role)
    chosen = _best_combination(candidates, cross_cluster=cross_cluster) if candidates else []
    explained = {r.organization.pk: r for r in explain_results(text, chosen)}
    members = [
        ConsortiumMember(
            role=role,
            result=explained.get(result.organization.pk, result),
            alternatives=tuple(
                c for c in role_candidates if c.organization.pk != result.organization.pk
            )[:3],
        )
        for role, result, role_candidates in zip(filled, chosen, candidates, strict=False)
    ]
    message = "" if members else str(_("No organization matches this idea yet."))
    return Consortium(
        query=text, roles=wanted, members=members, gaps=gaps, message=message, searched=True
    )


def explain_results(query: str, results: list[MatchResult]) -> list[MatchResult]:
    """The same results with their reasons: the passages that match `query`."""
    if not results:
        return []
    documents = documents_by_id([r.organization.pk for r in results])
    index = current_index()
    explained = []
    for result in results:
        document = documents.get(result.organization.pk)
        if document is None:
            explained.append(result)
            continue
        explanation = index.explain(query, document)
        explained.append(
            replace(
                result,
                reasons=_reasons(explanation),
                matched_terms=tuple(explanation.matched_terms),
            )
        )
    return explained


# --- Saved searches ------------------------------------------------------------------------


def saved_searches_of(person: object) -> QuerySet[SavedSearch]:
    if not getattr(person, "is_authenticated", False):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(person=person)


def saved_search_get_for_person(*, person: object, saved_search_id: int) -> SavedSearch:
    """One of this person's saved searches, or 404 (another person's is never found)."""
    saved = saved_searches_of(person).filter(pk=saved_search_id).first()
    if saved is None:
        raise Http404("No such saved search")
    return saved
