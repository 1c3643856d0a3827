"""Linking CORDIS participants to the registry's organizations.

Where a participant is (`RegionLocator`): its NUTS code, when the file has one, decides (in the
region when it starts with the region's NUTS-2 code, from `regions.Region`); else its postcode
(the region's postcode table), else its city (the preset's cities of each province; a trailing
province abbreviation or name, as in "San Lazzaro di Savena BO", is understood). A participant
with no address at all is "unknown".

Which organization it is (`Linker.link`), in order:

1. same PIC, else same VAT number as a registry organization: linked (wherever it is);
2. for a participant in the region, or with no address in a project that has participants from
   the region's country: the same normalised name (`analytics.textnorm.normalize_name`) and a
   city that agrees (same city or province, or one of them unknown): linked; the same name in
   another city, or several organizations with that name: uncertain;
3. otherwise a similar name (`name_similarity` >= REVIEW_THRESHOLD) or the same short name:
   uncertain;
4. uncertain candidates become `ParticipantMatch`es in the review queue (never one a reviewer
   already rejected for this participant);
5. a participant located in the region that was not linked becomes a new organization
   (source "cordis", kind from its activity type, created by the registry service so that its
   derived fields are right); if it also had uncertain candidates, confirming one later merges
   this new organization into it (`services.match_confirm`). A participant of unknown place
   never creates an organization.

Participants outside the region stay on their participation only. A linked participation is
`in_region`. The registry is read once into memory (`OrganizationIndex`), so linking costs no
query a row.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from analytics.textnorm import normalize_name, normalize_words
from clusterhub.projects.models import (
    ActivityType,
    MatchMethod,
    MatchStatus,
    ParticipantMatch,
    Participation,
)
from clusterhub.regions.models import Region, Territory
from clusterhub.regions.selectors import TerritoryLocator
from clusterhub.registry.identifiers import clean_vat_number, pic_problem, vat_number_problem
from clusterhub.registry.models import Organization, OrganizationKind
from clusterhub.registry.services import organization_create

REVIEW_THRESHOLD = 0.6  # name similarity from which a candidate is worth a reviewer's look
SHORT_NAME_SCORE = 0.85
MAX_CANDIDATES = 3

KIND_OF_ACTIVITY = {
    ActivityType.HES: OrganizationKind.UNIVERSITY,
    ActivityType.REC: OrganizationKind.RESEARCH_LAB,
    ActivityType.PRC: OrganizationKind.FIRM,
    ActivityType.PUB: OrganizationKind.PUBLIC_BODY,
    ActivityType.OTH: OrganizationKind.ASSOCIATION,
}

# Why a candidate is uncertain (ParticipantMatch.reason); labels in views_review.REASONS.
SAME_NAME_OTHER_CITY = "same_name_other_city"
SAME_NAME_SEVERAL = "same_name_several"
SIMILAR_NAME = "similar_name"
SAME_SHORT_NAME = "same_short_name"

# Words that many organizations share: they count little towards a name's similarity.
GENERIC_WORDS = frozenset(
    """
    di del della dei degli delle dell e ed per la il lo le i gli in da de des du der den und
    of the and for van von y et
    universita university universite universitat universitaet universidad universidade
    universiteit uniwersytet studi studiorum istituto institute institut instituto centro
    center centre centrum fondazione foundation fundacion stiftung consiglio nazionale
    national nacional ricerca ricerche research recherche investigacion forschung azienda
    agenzia agency comune regione provincia provinciale regionale italia italiana italiano
    italy european europea europe scienze sciences science scientific tecnologie technology
    technologies technologico technische ente dipartimento department laboratorio laboratory
    laboratori laboratories lab labs
    consortium gruppo group international internazionale servizi services systems sistemi
    industrie industries engineering ingegneria studies innovation innovazione
    """.split()
)
GENERIC_WEIGHT = 0.3


# --- Where -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    in_region: bool | None  # None: the file gives no address
    nuts3: str = ""
    city: str = ""  # the city without a trailing province ("San Lazzaro di Savena BO")


class RegionLocator:
    """Places a participant in or out of the region, from the region's configuration."""

    def __init__(self) -> None:
        region = Region.objects.first()
        self.nuts2 = region.nuts2.upper() if region else ""
        self.country = region.country.upper() if region else ""
        self.territories = TerritoryLocator()
        self.by_nuts3 = {t.nuts3: t for t in Territory.objects.all()}
        self.by_abbreviation = {
            t.abbreviation.lower(): t for t in self.by_nuts3.values() if t.abbreviation
        }
        self.by_name = {normalize_words(t.name): t for t in self.by_nuts3.values()}

    def city(self, city: str) -> tuple[Territory | None, str]:
        """The territory of a city name, and the name without a trailing province."""
        words = normalize_words(city.replace("(", " ").replace(")", " "))
        found = self.territories.by_city.get(words)
        if found is not None:
            return found, city.strip()
        parts = words.split()
        raw_parts = city.replace("(", " ").replace(")", " ").split()
        for size in (1, 2, 3):
            if len(parts) <= size:
                break
            tail, head = " ".join(parts[-size:]), parts[:-size]
            territory = self.by_name.get(tail) or (
                self.by_abbreviation.get(tail) if size == 1 and len(tail) == 2 else None
            )
            if territory is not None:
                cleaned = " ".join(raw_parts[: len(raw_parts) - size]) or city.strip()
                inner = self.territories.by_city.get(" ".join(head))
                return inner or territory, cleaned
        return None, city.strip()

    def locate(self, *, country: str, nuts: str, postcode: str, city: str) -> Location:
        country = country.upper()
        if nuts:
            code = nuts.upper()
            if self.nuts2 and code.startswith(self.nuts2):
                _, cleaned = self.city(city) if city else (None, "")
                return Location(True, code[:5] if len(code) >= 5 else "", cleaned)
            return Location(False, "", city.strip())
        if country and self.country and country != self.country:
            return Location(False, "", city.strip())
        if postcode:
            territory = self.territories.by_postcode.get(postcode.strip())
            if territory is not None:
                cleaned = self.city(city)[1] if city else ""
                return Location(True, territory.nuts3, cleaned)
        if city:
            territory, cleaned = self.city(city)
            if territory is not None:
                return Location(True, territory.nuts3, cleaned)
            return Location(False if country or postcode else None, "", cleaned)
        if postcode:
            return Location(False if country else None)
        return Location(None)

    def cities_agree(self, first: str, second: str) -> bool:
        """The same place, as far as names tell: the same city, or cities of one province,
        or one of them unknown."""
        if not first.strip() or not second.strip():
            return True
        first_territory, first_city = self.city(first)
        second_territory, second_city = self.city(second)
        if normalize_words(first_city) == normalize_words(second_city):
            return True
        return first_territory is not None and first_territory == second_territory


# --- Names -------------------------------------------------------------------------------


# Legal forms of other countries: a participant of unknown place named so is not local.
FOREIGN_LEGAL_FORMS = frozenset(
    "ltd limited gmbh inc llc bv nv oy oyj ab aps ag plc sarl sl slu ad doo kft sro zrt "
    "bvba sprl asbl ev ug kg ohg lda sp zoo as".split()
)


def _tokens(name: str) -> list[str]:
    return [t for t in name.split() if len(t) > 1]


def _weights(tokens: Iterable[str], weight: dict[str, float], default: float) -> dict[str, float]:
    return {
        t: (GENERIC_WEIGHT if t in GENERIC_WORDS else weight.get(t, default)) for t in set(tokens)
    }


def name_similarity(
    first: str, second: str, weight: dict[str, float] | None = None, default: float = 1.0
) -> float:
    """How alike two normalised names are, 0-1.

    The words in common, weighted (rare words by `weight` weigh more, `GENERIC_WORDS` little,
    one-letter words nothing), measured half against the shorter name and half against both;
    two long names spelt almost alike score their character similarity.

    >>> round(name_similarity("crpa", "fondazione crpa studi ricerche"), 2)
    0.76
    >>> round(name_similarity("universita studi di milano", "universita studi di parma"), 2)
    0.39
    >>> round(name_similarity("consorzio agrario di parma", "consorzio agrario parma"), 2)
    0.95
    """
    weight = weight or {}
    a = _weights(_tokens(first), weight, default)
    b = _weights(_tokens(second), weight, default)
    if not a or not b:
        return 0.0
    common = sum(a[t] for t in a.keys() & b.keys())
    union = sum(a.values()) + sum(b[t] for t in b.keys() - a.keys())
    containment = common / min(sum(a.values()), sum(b.values()))
    score = 0.5 * containment + 0.5 * common / union
    if min(len(first), len(second)) >= 10:
        spelling = difflib.SequenceMatcher(None, first, second).ratio()
        if spelling >= 0.92:
            score = max(score, spelling)
    return min(score, 1.0)


def short_names(name: str, short_name: str) -> set[str]:
    """Normalised short names of a participant: its short name, and acronyms in brackets
    ("DESIGN AND TECHNOLOGIES ... (DTM) SRL")."""
    found = {normalize_name(short_name)} if short_name.strip() else set()
    found |= {normalize_name(m) for m in re.findall(r"\(([^()]{2,20})\)", name)}
    return {s for s in found if len(s) > 1}


@dataclass
class _Entry:
    pk: int
    name: str
    normalized_name: str
    city: str


class OrganizationIndex:
    """The registry's organizations by PIC, VAT number, normalised name and name word."""

    MAX_POSTINGS = 2000  # a word this common finds no candidates by itself

    def __init__(self, rows: Iterable[tuple[int, str, str, str, str, str]]) -> None:
        self.entries: dict[int, _Entry] = {}
        self.by_pic: dict[str, int] = {}
        self.by_vat: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for pk, name, normalized, pic, vat, city in rows:
            self.add(pk, name, normalized, pic, vat, city)

    @classmethod
    def from_registry(cls) -> OrganizationIndex:
        return cls(
            Organization.objects.values_list(
                "pk", "name", "normalized_name", "pic", "vat_number", "city"
            ).iterator(chunk_size=5000)
        )

    def add(self, pk: int, name: str, normalized: str, pic: str, vat: str, city: str) -> None:
        self.entries[pk] = _Entry(pk, name, normalized, city)
        if pic:
            self.by_pic[pic] = pk
        if vat:
            self.by_vat[vat] = pk
        self.by_name[normalized].append(pk)
        for token in set(normalized.split()):
            self.postings[token].append(pk)

    def weight(self, token: str) -> float:
        count = len(self.postings.get(token, ()))
        return math.log((len(self.entries) + 1) / (count + 1)) + 1

    def similar(self, normalized: str, *, exclude: set[int]) -> list[tuple[int, float]]:
        """Organizations whose names are similar (score >= REVIEW_THRESHOLD), best first."""
        tokens = [t for t in set(_tokens(normalized)) if t not in GENERIC_WORDS]
        candidates: set[int] = set()
        for token in sorted(tokens, key=lambda t: len(self.postings.get(t, ()))):
            posting = self.postings.get(token, ())
            if len(posting) <= self.MAX_POSTINGS:
                candidates.update(posting)
        weights = {t: self.weight(t) for t in normalized.split()}
        scored = []
        for pk in candidates - exclude:
            other = self.entries[pk].normalized_name
            for token in other.split():
                if token not in weights:
                    weights[token] = self.weight(token)
            score = name_similarity(normalized, other, weights)
            if score >= REVIEW_THRESHOLD:
                scored.append((pk, round(score, 3)))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:MAX_CANDIDATES]


# --- Linking -----------------------------------------------------------------------------


@dataclass
class LinkItem:
    """A participation to link, with what the file says about where it is."""

    participation: Participation
    location: Location
    may_be_in_region: bool = True


@dataclass
class LinkOutcome:
    linked: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    organizations_created: int = 0
    matches_queued: int = 0


class Linker:
    """Decides, and unless `apply` is off stores, the links of a batch of participations."""

    def __init__(self, locator: RegionLocator, *, apply: bool) -> None:
        self.locator = locator
        self.apply = apply
        self._index: OrganizationIndex | None = None
        self._rejected: set[tuple[str, int]] | None = None
        self._existing_matches: set[tuple[int, int]] = set()
        self.outcome = LinkOutcome()
        self._placeholder = 0  # ids of organizations a dry run would create

    @property
    def index(self) -> OrganizationIndex:
        if self._index is None:
            self._index = OrganizationIndex.from_registry()
        return self._index

    @property
    def rejected(self) -> set[tuple[str, int]]:
        """(participant key, organization) pairs a reviewer has already said are different."""
        if self._rejected is None:
            self._rejected = set(
                ParticipantMatch.objects.filter(status=MatchStatus.REJECTED).values_list(
                    "participation__participant_key", "candidate_id"
                )
            )
        return self._rejected

    def link(self, items: list[LinkItem]) -> None:
        if not items:
            return
        ids = [i.participation.pk for i in items if i.participation.pk]
        if ids:
            self._existing_matches = set(
                ParticipantMatch.objects.filter(participation_id__in=ids).values_list(
                    "participation_id", "candidate_id"
                )
            )
        linked: list[Participation] = []
        matches: list[ParticipantMatch] = []
        for item in items:
            organization_id, method, candidates = self._decide(item)
            participation = item.participation
            for candidate_id, score, reason in candidates:
                pair = (participation.pk, candidate_id)
                if pair in self._existing_matches:
                    continue
                self._existing_matches.add(pair)
                self.outcome.matches_queued += 1
                if self.apply:
                    matches.append(
                        ParticipantMatch(
                            participation=participation,
                            candidate_id=candidate_id,
                            score=score,
                            reason=reason,
                        )
                    )
            if organization_id is None:
                continue
            self.outcome.linked[method] += 1
            participation.organization_id = organization_id if organization_id > 0 else None
            participation.match_method = method
            participation.in_region = True
            linked.append(participation)
        if self.apply:
            Participation.objects.bulk_update(
                linked, ["organization", "match_method", "in_region"], batch_size=500
            )
            ParticipantMatch.objects.bulk_create(matches, batch_size=500)

    def _decide(self, item: LinkItem) -> tuple[int | None, str, list[tuple[int, float, str]]]:
        """(organization or None, how, uncertain candidates)."""
        p, location = item.participation, item.location
        index = self.index
        if p.pic and p.pic in index.by_pic:
            return index.by_pic[p.pic], MatchMethod.PIC, []
        vat = clean_vat_number(p.vat_number) if p.country in ("", self.locator.country) else ""
        if vat and vat in index.by_vat:
            return index.by_vat[vat], MatchMethod.VAT, []
        searchable = location.in_region is True or (
            location.in_region is None
            and item.may_be_in_region
            and p.country in ("", self.locator.country)
            and not (set(normalize_words(p.name).split()) & FOREIGN_LEGAL_FORMS)
        )
        if not searchable:
            return None, "", []
        normalized = normalize_name(p.name)
        rejected = self.rejected
        candidates: list[tuple[int, float, str]] = []
        same_name = [
            pk
            for pk in index.by_name.get(normalized, [])
            if (p.participant_key, pk) not in rejected
        ]
        if same_name:
            agreeing = [
                pk for pk in same_name if self.locator.cities_agree(index.entries[pk].city, p.city)
            ]
            if len(agreeing) == 1:
                return agreeing[0], MatchMethod.NAME, []
            reason = SAME_NAME_SEVERAL if len(same_name) > 1 else SAME_NAME_OTHER_CITY
            candidates = [(pk, 1.0, reason) for pk in same_name[:MAX_CANDIDATES] if pk > 0]
        else:
            exclude = {pk for key, pk in rejected if key == p.participant_key}
            candidates = [
                (pk, score, SIMILAR_NAME)
                for pk, score in index.similar(normalized, exclude=exclude)
                if pk > 0
            ]
            known = {pk for pk, _score, _reason in candidates}
            for short in sorted(short_names(p.name, p.short_name)):
                for pk in index.by_name.get(short, []):
                    if pk > 0 and pk not in known and pk not in exclude:
                        known.add(pk)
                        candidates.append((pk, SHORT_NAME_SCORE, SAME_SHORT_NAME))
            candidates.sort(key=lambda c: -c[1])
            candidates = candidates[:MAX_CANDIDATES]
        if location.in_region is not True:
            return None, "", candidates
        return self._create(p, location), MatchMethod.CREATED, candidates

    def _create(self, p: Participation, location: Location) -> int:
        """A new registry organization for a participant of the region (or its placeholder
        id in a dry run); later participants with its PIC or name link to it."""
        pic = p.pic if p.pic and not pic_problem(p.pic) else ""
        vat = clean_vat_number(p.vat_number) if p.country in ("", "IT") else ""
        vat = vat if vat and not vat_number_problem(vat) and vat not in self.index.by_vat else ""
        city = location.city or p.city
        if city.isupper():
            city = city.title()
        fields: dict[str, Any] = {
            "pic": pic,
            "vat_number": vat,
            "city": city[:120],
            "country": (p.country or self.locator.country or "IT")[:2],
        }
        if p.postcode and p.postcode.strip().isdigit() and len(p.postcode.strip()) == 5:
            fields["postcode"] = p.postcode.strip()
        name = p.name.strip()[:255]
        self.outcome.organizations_created += 1
        if self.apply:
            try:
                organization = organization_create(
                    name=name,
                    kind=KIND_OF_ACTIVITY.get(p.activity_type, OrganizationKind.ASSOCIATION),
                    source="cordis",
                    **fields,
                )
            except ValidationError:
                # An identifier the registry refuses: keep the organization without it.
                fields.update(pic="", vat_number="")
                organization = organization_create(
                    name=name,
                    kind=KIND_OF_ACTIVITY.get(p.activity_type, OrganizationKind.ASSOCIATION),
                    source="cordis",
                    **fields,
                )
            pk = organization.pk
        else:
            self._placeholder -= 1
            pk = self._placeholder
        self.index.add(pk, name, normalize_name(name), pic, vat, fields["city"])
        return pk
