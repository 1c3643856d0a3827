"""API of the registry: organizations, cluster memberships, open-data export."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from clusterhub.api import (
    BODY_ERRORS,
    ERRORS,
    ID,
    MAX_ID,
    NO_NUL,
    NOT_BLANK,
    SLUG,
    ConflictOut,
    FieldErrors,
    Page,
    auth_for,
)
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Competence, S3Theme
from clusterhub.registry.exporting import csv_download, json_download
from clusterhub.registry.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Organization,
    OrganizationKind,
    SizeClass,
)
from clusterhub.registry.selectors import (
    DirectoryFilters,
    cluster_get_for_manager,
    cluster_memberships_for_manager,
    membership_get_for_manager,
    organization_directory_loaded,
    organization_get_for_editor,
    organization_public_get,
)
from clusterhub.registry.services import (
    membership_upsert,
    organization_create,
    organization_update,
)

router = Router(tags=["registry"])

CODE_PATTERN = r"^[-A-Za-z0-9_.]*$"
LONG_TEXT = 20_000


# --- Schemas -----------------------------------------------------------------------------


class DirectoryQuery(Schema):
    q: str = Field("", max_length=200, description="Words of name, city, competences, ...")
    cluster: str = Field("", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$")
    kind: OrganizationKind | None = None
    territory: str = Field("", max_length=5, pattern=r"^[A-Z0-9]*$", description="NUTS-3 code")
    s3_theme: str = Field("", max_length=32, pattern=CODE_PATTERN)
    competence: str = Field("", max_length=32, pattern=CODE_PATTERN)
    htn_accredited: bool | None = None

    def filters(self) -> DirectoryFilters:
        return DirectoryFilters(
            q=self.q,
            cluster=self.cluster,
            kind=self.kind or "",
            territory=self.territory,
            s3_theme=self.s3_theme,
            competence=self.competence,
            htn_accredited=self.htn_accredited,
        )


class TermOut(Schema):
    code: str
    name: str


class PublicMembershipOut(Schema):
    cluster: str
    cluster_name: str
    role: str
    since: date | None

    @staticmethod
    def resolve_cluster(membership: Membership) -> str:
        return membership.cluster.slug

    @staticmethod
    def resolve_cluster_name(membership: Membership) -> str:
        return membership.cluster.name


class OrganizationSummaryOut(Schema):
    id: int
    name: str
    kind: str
    htn_accredited: bool
    city: str
    postcode: str
    province: str
    nuts3: str
    website: str
    clusters: list[str]
    competences: list[str]

    @staticmethod
    def resolve_province(organization: Organization) -> str:
        return organization.territory.name if organization.territory else ""

    @staticmethod
    def resolve_clusters(organization: Organization) -> list[str]:
        return [m.cluster.slug for m in organization.public_memberships]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_competences(organization: Organization) -> list[str]:
        return [c.code for c in organization.competences.all()]


class _OrganizationFields(Schema):
    """The public fields of an organization, shared by the API and the open-data export."""

    id: int
    name: str
    kind: str
    htn_accredited: bool
    vat_number: str
    pic: str
    ateco_code: str
    size_class: str
    street: str
    postcode: str
    city: str
    province: str
    nuts3: str
    country: str
    website: str
    description: str


class OrganizationOut(_OrganizationFields):
    is_public: bool
    competences: list[TermOut]
    competence_notes: str
    equipment: str
    s3_themes: list[TermOut]
    memberships: list[PublicMembershipOut]
    version: int = Field(description="Send it back with a change: a stale version gets 409.")
    updated_at: datetime

    @staticmethod
    def resolve_province(organization: Organization) -> str:
        return organization.territory.name if organization.territory else ""

    @staticmethod
    def resolve_competences(organization: Organization) -> list[Competence]:
        return list(organization.competences.all())

    @staticmethod
    def resolve_s3_themes(organization: Organization) -> list[S3Theme]:
        return list(organization.s3_themes.all())

    @staticmethod
    def resolve_memberships(organization: Organization) -> list[Membership]:
        return organization.public_memberships  # type: ignore[attr-defined,no-any-return]


def _text(max_length: int, **kwargs: Any) -> Any:
    """An optional text field of a write body: absent means "leave as it is"."""
    return Field(None, max_length=max_length, pattern=NO_NUL, **kwargs)


class _OrganizationFieldsIn(Schema):
    """What a caller may set on an organization; anything else in the body is refused."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=255, pattern=NOT_BLANK)
    kind: OrganizationKind = Field(None)
    htn_accredited: bool = Field(None)
    is_public: bool = Field(None, description="Listed in the public directory and open data.")
    vat_number: str = _text(16, description="Italian VAT number (11 digits, check digit)")
    pic: str = _text(12, description="EU Participant Identification Code (9 digits)")
    ateco_code: str = _text(8)
    size_class: SizeClass | None = Field(None)
    street: str = _text(255)
    postcode: str = _text(10)
    city: str = _text(120)
    country: str = Field(None, pattern=r"^[A-Z]{2}$")
    website: str = _text(500)
    description: str = _text(LONG_TEXT)
    competence_notes: str = _text(LONG_TEXT)
    equipment: str = _text(LONG_TEXT)
    competences: list[str] = Field(
        None, max_length=200, description="Competence codes (see /api/taxonomy/competences)"
    )
    s3_themes: list[str] = Field(
        None, max_length=200, description="S3 theme codes (see /api/taxonomy/s3-themes)"
    )


class OrganizationPatchIn(_OrganizationFieldsIn):
    version: int = Field(..., ge=1, le=2**31 - 1, description="The version you last read.")


class OrganizationCreateIn(_OrganizationFieldsIn):
    name: str = Field(..., min_length=1, max_length=255, pattern=NOT_BLANK)
    kind: OrganizationKind
    cluster: str = Field(
        "",
        max_length=50,
        pattern=r"^[-a-zA-Z0-9_]*$",
        description="Slug of a cluster you manage: the organization becomes its member.",
    )
    membership_role: MembershipRole = MembershipRole.MEMBER
    membership_status: MembershipStatus = MembershipStatus.ACTIVE


class MembershipOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    cluster: str
    role: str
    status: str
    since: date | None
    until: date | None
    updated_at: datetime

    @staticmethod
    def resolve_organization_name(membership: Membership) -> str:
        return membership.organization.name

    @staticmethod
    def resolve_cluster(membership: Membership) -> str:
        return membership.cluster.slug


class MembershipCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organization_id: int = Field(..., ge=1, le=MAX_ID)
    role: MembershipRole = MembershipRole.MEMBER
    status: MembershipStatus = MembershipStatus.ACTIVE
    since: date | None = None
    until: date | None = None


class MembershipPatchIn(Schema):
    """Fields to change; absent fields keep their value, `null` clears a date."""

    model_config = ConfigDict(extra="forbid")

    role: MembershipRole = Field(None)
    status: MembershipStatus = Field(None)
    since: date | None = None
    until: date | None = None


class OpenDataRecordOut(_OrganizationFields):
    competences: list[str]
    competence_notes: str
    equipment: str
    s3_themes: list[str]
    clusters: list[str]
    updated_at: str


class OpenDataOut(Schema):
    title: str
    licence: str
    licence_url: str
    attribution: str
    sources: list[str]
    generated_at: str
    organizations: list[OpenDataRecordOut]


# --- Helpers -----------------------------------------------------------------------------


def _terms(model: type[Competence] | type[S3Theme], codes: list[str], field: str) -> list[Any]:
    """Taxonomy terms by code; an unknown code is a 422 naming it."""
    terms = list(model.objects.filter(code__in=set(codes)))
    unknown = sorted(set(codes) - {term.code for term in terms})
    if unknown:
        raise FieldErrors({field: [f"Unknown code(s): {', '.join(unknown)}."]})
    return terms


def _organization_arguments(payload: _OrganizationFieldsIn, exclude: set[str]) -> dict[str, Any]:
    """The service arguments for the fields the caller sent, taxonomy codes resolved."""
    data = payload.model_dump(exclude_unset=True, exclude=exclude)
    if data.get("size_class") is None and "size_class" in data:
        data["size_class"] = ""
    if "competences" in data:
        data["competences"] = _terms(Competence, data["competences"], "competences")
    if "s3_themes" in data:
        data["s3_themes"] = _terms(S3Theme, data["s3_themes"], "s3_themes")
    return data


# --- Organizations -----------------------------------------------------------------------


@router.get(
    "/organizations",
    response={200: list[OrganizationSummaryOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
@paginate(Page)
def list_organizations(request: HttpRequest, filters: Query[DirectoryQuery]) -> Any:
    """The directory as the caller may see it, filtered and searched (words match as prefixes)."""
    return organization_directory_loaded(filters.filters(), viewer=request.user)


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_organization(request: HttpRequest, organization_id: int = ID) -> Organization:
    """An organization's profile (404 for a hidden one the caller may not see)."""
    return organization_public_get(organization_id=organization_id, viewer=request.user)


@router.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, 409: ConflictOut, **BODY_ERRORS},
    auth=auth_for(Policy.ORG_ADMIN),
)
@access(Policy.ORG_ADMIN)
def update_organization(
    request: HttpRequest, payload: OrganizationPatchIn, organization_id: int = ID
) -> Organization:
    """Change an organization you administer (or whose cluster you manage).

    Send the `version` you read: if someone changed the organization since, the answer
    is 409 and nothing is written.
    """
    organization = organization_get_for_editor(user=request.user, organization_id=organization_id)
    arguments = _organization_arguments(payload, exclude={"version"})
    organization_update(organization=organization, expected_version=payload.version, **arguments)
    return organization_public_get(organization_id=organization.pk, viewer=request.user)


@router.post(
    "/organizations",
    response={201: OrganizationOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def create_organization(request: HttpRequest, payload: OrganizationCreateIn) -> Status:
    """Add an organization to the registry, as a member of a cluster you manage.

    Cluster managers must name one of their clusters; regional officers may leave it out.
    """
    cluster = None
    if payload.cluster:
        cluster = cluster_get_for_manager(user=request.user, slug=payload.cluster)
    elif not request.user.is_regional_officer:  # type: ignore[union-attr]
        raise FieldErrors({"cluster": ["Name the cluster you manage that the organization joins."]})
    arguments = _organization_arguments(
        payload, exclude={"cluster", "membership_role", "membership_status"}
    )
    with transaction.atomic():
        organization = organization_create(source="api", **arguments)
        if cluster is not None:
            membership_upsert(
                organization=organization,
                cluster=cluster,
                role=payload.membership_role,
                status=payload.membership_status,
            )
    return Status(
        201, organization_public_get(organization_id=organization.pk, viewer=request.user)
    )


# --- Memberships -------------------------------------------------------------------------


@router.get(
    "/clusters/{slug}/memberships",
    response={200: list[MembershipOut], **ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
@paginate(Page)
def list_memberships(request: HttpRequest, slug: str = SLUG) -> Any:
    """Every membership of a cluster you manage, invited and suspended ones included."""
    cluster = cluster_get_for_manager(user=request.user, slug=slug)
    return cluster_memberships_for_manager(cluster=cluster).select_related("cluster")


@router.post(
    "/clusters/{slug}/memberships",
    response={200: MembershipOut, 201: MembershipOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def upsert_membership(
    request: HttpRequest, payload: MembershipCreateIn, slug: str = SLUG
) -> Status:
    """Make an organization a member of a cluster you manage (201), or update it (200)."""
    cluster = cluster_get_for_manager(user=request.user, slug=slug)
    organization = organization_public_get(
        organization_id=payload.organization_id, viewer=request.user
    )
    membership, created = membership_upsert(
        organization=organization,
        cluster=cluster,
        role=payload.role,
        status=payload.status,
        since=payload.since,
        until=payload.until,
    )
    return Status(201 if created else 200, membership)


@router.patch(
    "/clusters/{slug}/memberships/{membership_id}",
    response={200: MembershipOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def update_membership(
    request: HttpRequest, payload: MembershipPatchIn, slug: str = SLUG, membership_id: int = ID
) -> Membership:
    """Change the role, status or dates of a membership of a cluster you manage."""
    membership = membership_get_for_manager(
        user=request.user, slug=slug, membership_id=membership_id
    )
    changes = payload.model_dump(exclude_unset=True)
    membership, _created = membership_upsert(
        organization=membership.organization,
        cluster=membership.cluster,
        role=changes.get("role") or membership.role,
        status=changes.get("status") or membership.status,
        since=changes.get("since", membership.since),
        until=changes.get("until", membership.until),
    )
    return membership


# --- Open data ---------------------------------------------------------------------------


@router.get(
    "/export/organizations.csv",
    response={200: None, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
    tags=["open data"],
    openapi_extra={
        "responses": {
            200: {
                "description": "CSV, UTF-8, one row per organization, lists separated by '; '.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
@access(Policy.PUBLIC)
def export_organizations_csv(
    request: HttpRequest, filters: Query[DirectoryQuery]
) -> StreamingHttpResponse:
    """The public directory as open data (CSV): public facts about organizations only."""
    return csv_download(organization_directory_loaded(filters.filters()))


@router.get(
    "/export/organizations.json",
    response={200: OpenDataOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
    tags=["open data"],
)
@access(Policy.PUBLIC)
def export_organizations_json(
    request: HttpRequest, filters: Query[DirectoryQuery]
) -> StreamingHttpResponse:
    """The public directory as open data (JSON), with its licence and attribution."""
    return json_download(organization_directory_loaded(filters.filters()))
