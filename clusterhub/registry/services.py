"""Writes to the registry. Every write goes through here, from the UI, the API and imports."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from analytics.textnorm import normalize_name, normalize_words
from clusterhub.matchmaking.hooks import match_index_changed_on_commit
from clusterhub.regions.models import Cluster, Competence, S3Theme
from clusterhub.regions.selectors import TerritoryLocator
from clusterhub.registry.identifiers import clean_pic, clean_vat_number
from clusterhub.registry.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
)

# Fields a caller may set on an organization; everything else is derived or protected.
EDITABLE_FIELDS = (
    "name",
    "kind",
    "htn_accredited",
    "is_public",
    "vat_number",
    "pic",
    "ateco_code",
    "size_class",
    "street",
    "postcode",
    "city",
    "country",
    "website",
    "description",
    "competence_notes",
    "equipment",
)


class StaleVersionError(Exception):
    """The organization changed since the caller read it (HTTP 409)."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            f"This organization was changed by someone else (now at version {current_version}); "
            "reload it and apply your change again."
        )
        self.current_version = current_version


def search_text_from(
    organization: Organization, *, territory_name: str, taxonomy_names: Iterable[str]
) -> str:
    """Everything the directory search should match, normalised for both backends.

    Takes the related names as plain values so that bulk imports compute it without queries.
    """
    parts = [
        organization.name,
        organization.city,
        organization.postcode,
        organization.description,
        organization.competence_notes,
        organization.equipment,
        organization.vat_number,
        organization.pic,
        territory_name,
        *taxonomy_names,
    ]
    return normalize_words(" ".join(p for p in parts if p))


def search_text_for(organization: Organization) -> str:
    """The search text of a saved or unsaved organization (see `search_text_from`)."""
    taxonomy_names: list[str] = []
    if organization.pk:
        for competence in organization.competences.all():
            taxonomy_names += [competence.name_it, competence.name_en]
        for theme in organization.s3_themes.all():
            taxonomy_names += [theme.name_it, theme.name_en]
    territory = organization.territory
    return search_text_from(
        organization,
        territory_name=territory.name if territory else "",
        taxonomy_names=taxonomy_names,
    )


def _clean_identifiers(values: dict[str, Any]) -> None:
    if "vat_number" in values:
        values["vat_number"] = clean_vat_number(values["vat_number"] or "")
    if "pic" in values:
        values["pic"] = clean_pic(values["pic"] or "")


def _locate(organization: Organization) -> None:
    """Set province and NUTS-3 from the address, when the region knows it."""
    territory = TerritoryLocator().locate(postcode=organization.postcode, city=organization.city)
    organization.territory = territory
    organization.nuts3 = territory.nuts3 if territory else ""


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str,
    competences: Sequence[Competence] = (),
    s3_themes: Sequence[S3Theme] = (),
    source: str = "manual",
    **fields: Any,
) -> Organization:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    _clean_identifiers(fields)
    organization = Organization(name=name.strip(), kind=kind, source=source, **fields)
    organization.normalized_name = normalize_name(organization.name)
    _locate(organization)
    organization.full_clean()
    organization.save()
    if competences:
        organization.competences.set(competences)
    if s3_themes:
        organization.s3_themes.set(s3_themes)
    organization.search_text = search_text_for(organization)
    organization.save(update_fields=["search_text"])
    match_index_changed_on_commit([organization.pk])
    return organization


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    expected_version: int | None = None,
    competences: Sequence[Competence] | None = None,
    s3_themes: Sequence[S3Theme] | None = None,
    **fields: Any,
) -> Organization:
    """Change an organization. With `expected_version`, refuse to overwrite a newer edit."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersionError(locked.version)
    _clean_identifiers(fields)
    for field, value in fields.items():
        setattr(locked, field, value)
    if "name" in fields:
        locked.name = locked.name.strip()
        locked.normalized_name = normalize_name(locked.name)
    if "postcode" in fields or "city" in fields:
        _locate(locked)
    locked.full_clean()
    if competences is not None:
        locked.competences.set(competences)
    if s3_themes is not None:
        locked.s3_themes.set(s3_themes)
    locked.search_text = search_text_for(locked)
    locked.version = F("version") + 1
    changed = [
        *fields,
        "normalized_name",
        "territory",
        "nuts3",
        "search_text",
        "version",
        "updated_at",
    ]
    locked.save(update_fields=sorted(set(changed) & {f.name for f in Organization._meta.fields}))
    locked.refresh_from_db()
    match_index_changed_on_commit([locked.pk])
    return locked


@transaction.atomic
def organization_refresh_derived(*, organization: Organization) -> None:
    """Recompute what the services derive (normalised name, province, search text) after a
    write that bypassed them, such as the back office, and bump the version so that edit
    forms opened before it notice."""
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    locked.normalized_name = normalize_name(locked.name)
    _locate(locked)
    locked.search_text = search_text_for(locked)
    locked.version = F("version") + 1
    locked.save(update_fields=["normalized_name", "territory", "nuts3", "search_text", "version"])
    match_index_changed_on_commit([locked.pk])


@transaction.atomic
def membership_upsert(
    *,
    organization: Organization,
    cluster: Cluster,
    role: str = MembershipRole.MEMBER,
    status: str = MembershipStatus.ACTIVE,
    since: date | None = None,
    until: date | None = None,
) -> tuple[Membership, bool]:
    """Create the membership of an organization in a cluster, or update it. Returns (m, created)."""
    membership = (
        Membership.objects.select_for_update()
        .filter(organization=organization, cluster=cluster)
        .first()
    )
    created = membership is None
    if membership is None:
        membership = Membership(organization=organization, cluster=cluster)
    membership.role = role
    membership.status = status
    membership.since = since
    membership.until = until
    membership.full_clean()
    if created:
        membership.save()
    else:
        membership.save(update_fields=["role", "status", "since", "until", "updated_at"])
    return membership, created
