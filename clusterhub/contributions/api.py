"""API of contributions: list, read, check a draft, post, endorse, comment, moderate.

The same services as the HTML pages: a contribution outside the caller's reach is 404, a
write the caller may not make 403 (with the reason), bad data 422 naming the field.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict, StringConstraints

from clusterhub.api import (
    BODY_ERRORS,
    ERRORS,
    ID,
    MAX_ID,
    NO_NUL,
    NOT_BLANK,
    FieldErrors,
    Page,
    auth_for,
)
from clusterhub.contributions.models import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Comment,
    Contribution,
    ContributionKind,
    ContributionStatus,
    ContributionVisibility,
)
from clusterhub.contributions.selectors import (
    ContributionFilters,
    contribution_comments,
    contribution_endorsements,
    contribution_get,
    contribution_get_for_moderator,
    contribution_list,
    posting_organizations,
)
from clusterhub.contributions.services import (
    comment_add,
    contribution_approve,
    contribution_check,
    contribution_close,
    contribution_create,
    contribution_merge,
    contribution_reopen,
    endorsement_add,
    endorsement_remove,
)
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster, Competence, S3Theme

router = Router(tags=["contributions"])

SLUG = r"^[-a-zA-Z0-9_]*$"
SlugItem = Annotated[
    str, StringConstraints(min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")
]
CodeItem = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=NO_NUL)]


# --- Schemas -----------------------------------------------------------------------------


class ContributionQuery(Schema):
    cluster: str = Field("", max_length=50, pattern=SLUG, description="Cluster slug")
    kind: ContributionKind | None = None
    status: ContributionStatus | None = Field(
        None, description="Default: approved ones, and your own pending ones"
    )
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Words of title or text")
    mine: bool = Field(False, description="Only your organizations' contributions")

    def filters(self) -> ContributionFilters:
        return ContributionFilters(
            cluster=self.cluster,
            kind=self.kind or "",
            status=self.status or "",
            q=self.q.strip(),
            mine=self.mine,
        )


class ContributionSummaryOut(Schema):
    id: int
    kind: ContributionKind
    title: str
    language: str
    status: ContributionStatus
    visibility: ContributionVisibility
    organization_id: int
    organization: str
    clusters: list[str] = Field(description="Cluster slugs")
    s3_themes: list[str] = Field(description="S3 theme codes")
    competences: list[str] = Field(description="Competence codes")
    merged_into: int | None
    endorsements: int
    comments: int
    created_at: datetime
    url: str

    @staticmethod
    def resolve_organization(obj: Contribution) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_clusters(obj: Contribution) -> list[str]:
        return [cluster.slug for cluster in obj.clusters.all()]

    @staticmethod
    def resolve_s3_themes(obj: Contribution) -> list[str]:
        return [theme.code for theme in obj.s3_themes.all()]

    @staticmethod
    def resolve_competences(obj: Contribution) -> list[str]:
        return [competence.code for competence in obj.competences.all()]

    @staticmethod
    def resolve_merged_into(obj: Contribution) -> int | None:
        return obj.merged_into_id

    @staticmethod
    def resolve_endorsements(obj: Contribution) -> int:
        return int(getattr(obj, "endorsement_count", 0))

    @staticmethod
    def resolve_comments(obj: Contribution) -> int:
        return int(getattr(obj, "comment_count", 0))

    @staticmethod
    def resolve_url(obj: Contribution) -> str:
        return reverse("contributions:detail", kwargs={"contribution_id": obj.pk})


class CommentOut(Schema):
    id: int
    organization: str | None
    text: str
    created_at: datetime

    @staticmethod
    def resolve_organization(obj: Comment) -> str | None:
        return obj.organization.name if obj.organization else None


class ContributionOut(ContributionSummaryOut):
    text: str
    close_reason: str
    endorsed_by: list[str] = Field(description="Names of the endorsing organizations")
    comment_list: list[CommentOut]


class _Text:
    @staticmethod
    def title() -> Any:
        return Field(..., min_length=1, max_length=TITLE_MAX_LENGTH, pattern=NOT_BLANK)

    @staticmethod
    def text() -> Any:
        return Field(..., min_length=1, max_length=TEXT_MAX_LENGTH, pattern=NOT_BLANK)


class DraftIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=TITLE_MAX_LENGTH, pattern=NO_NUL)
    text: str = Field(..., max_length=TEXT_MAX_LENGTH, pattern=NO_NUL)
    clusters: list[SlugItem] = Field(
        default_factory=list, max_length=20, description="Slugs: similar ones are searched there"
    )


class TagOut(Schema):
    code: str
    name: str
    confidence: float


class SimilarContributionOut(Schema):
    id: int
    title: str
    status: ContributionStatus
    similarity: float
    url: str


class DraftCheckOut(Schema):
    language: str
    s3_themes: list[TagOut]
    competences: list[TagOut]
    similar: list[SimilarContributionOut] = Field(
        description="Contributions you may see that say much the same: endorse one instead?"
    )


class ContributionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ContributionKind
    title: str = _Text.title()
    text: str = _Text.text()
    clusters: list[SlugItem] = Field(
        ...,
        min_length=1,
        max_length=20,
        description="Slugs of your organization's clusters (an unknown one: 404)",
    )
    visibility: ContributionVisibility = ContributionVisibility.MEMBERS
    organization_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Needed only if you belong to several organizations"
    )
    s3_themes: list[CodeItem] | None = Field(
        None,
        max_length=50,
        description="S3 theme codes (unknown: 404); left out: the themes suggested by the text",
    )
    competences: list[CodeItem] | None = Field(
        None,
        max_length=50,
        description="Competence codes (unknown: 404); left out: those suggested by the text",
    )


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., min_length=1, max_length=COMMENT_MAX_LENGTH, pattern=NOT_BLANK)


class ModerationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["approve", "close", "reopen", "merge"]
    reason: str = Field(
        "", max_length=REASON_MAX_LENGTH, pattern=NO_NUL, description="Needed to close"
    )
    into: int | None = Field(None, ge=1, le=MAX_ID, description="Needed to merge: the kept one")


# --- Helpers -----------------------------------------------------------------------------


def _terms(model: type[Competence] | type[S3Theme], codes: list[str], what: str) -> list[Any]:
    """Taxonomy terms by code; an unknown code is a 404 naming it, like any missing object."""
    terms = list(model.objects.filter(code__in=set(codes), level=2))
    unknown = sorted(set(codes) - {term.code for term in terms})
    if unknown:
        raise HttpError(404, f"Unknown {what}: {', '.join(unknown)}.")
    return terms


def _clusters(slugs: list[str], *, strict: bool = True) -> list[Cluster]:
    """Clusters by slug: an unknown one is a 404 (strict), or is left out (a draft check)."""
    clusters = list(Cluster.objects.filter(slug__in=set(slugs)))
    unknown = sorted(set(slugs) - {cluster.slug for cluster in clusters})
    if unknown and strict:
        raise HttpError(404, f"Unknown cluster(s): {', '.join(unknown)}.")
    return clusters


def _full(request: HttpRequest, contribution_id: int) -> Contribution:
    """The contribution as `ContributionOut` reads it, endorsements and comments loaded."""
    contribution = contribution_get(viewer=request.user, contribution_id=contribution_id)
    contribution.endorsed_by = [  # type: ignore[attr-defined]
        e.organization.name for e in contribution_endorsements(contribution)
    ]
    contribution.comment_list = contribution_comments(contribution)  # type: ignore[attr-defined]
    return contribution


# --- Operations --------------------------------------------------------------------------


@router.get(
    "/contributions",
    response={200: list[ContributionSummaryOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
@paginate(Page)
def list_contributions(request: HttpRequest, filters: Query[ContributionQuery]) -> Any:
    """Contributions the caller may see, newest first (anonymous: public approved ones)."""
    return contribution_list(viewer=request.user, filters=filters.filters())


@router.get(
    "/contributions/{contribution_id}",
    response={200: ContributionOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_contribution(request: HttpRequest, contribution_id: int = ID) -> Any:
    """One contribution with its endorsements and comments (404 outside your reach)."""
    return _full(request, contribution_id)


@router.post(
    "/contributions/drafts/check",
    response={200: DraftCheckOut, **BODY_ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def check_contribution(request: HttpRequest, payload: DraftIn) -> Any:
    """Read a draft without saving it: its language, suggested tags, similar contributions."""
    check = contribution_check(
        viewer=request.user,
        title=payload.title,
        text=payload.text,
        clusters=_clusters(payload.clusters, strict=False),
    )
    return {
        "language": check.language,
        "s3_themes": [
            {"code": t.code, "name": t.name, "confidence": c} for t, c in check.tags.themes
        ],
        "competences": [
            {"code": t.code, "name": t.name, "confidence": c} for t, c in check.tags.competences
        ],
        "similar": [
            {
                "id": found.pk,
                "title": found.title,
                "status": found.status,
                "similarity": score,
                "url": reverse("contributions:detail", kwargs={"contribution_id": found.pk}),
            }
            for found, score in check.similar
        ],
    }


@router.post(
    "/contributions",
    response={201: ContributionOut, **BODY_ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def create_contribution(request: HttpRequest, payload: ContributionIn) -> Status:
    """Post a contribution for your organization (pending moderation).

    Tags left out are the ones suggested by the text; an empty list means no tag.
    """
    organizations = list(posting_organizations(request.user))
    if not organizations:
        raise PermissionDenied("Only people of an active member organization post contributions.")
    if payload.organization_id is not None:
        chosen = [o for o in organizations if o.pk == payload.organization_id]
        if not chosen:
            raise HttpError(404, "Not an organization of yours that may post.")
        organization = chosen[0]
    elif len(organizations) > 1:
        raise FieldErrors({"organization_id": ["You belong to several organizations: name one."]})
    else:
        organization = organizations[0]
    clusters = _clusters(payload.clusters)
    themes = competences = None
    if payload.s3_themes is not None:
        themes = _terms(S3Theme, payload.s3_themes, "S3 theme code(s)")
    if payload.competences is not None:
        competences = _terms(Competence, payload.competences, "competence code(s)")
    if themes is None or competences is None:
        suggested = contribution_check(
            viewer=request.user, title=payload.title, text=payload.text, clusters=clusters
        ).tags
        themes = themes if themes is not None else [t for t, _c in suggested.themes]
        competences = (
            competences if competences is not None else [c for c, _x in suggested.competences]
        )
    contribution = contribution_create(
        author=request.user,
        organization=organization,
        kind=payload.kind,
        title=payload.title,
        text=payload.text,
        clusters=clusters,
        s3_themes=themes,
        competences=competences,
        visibility=payload.visibility,
    )
    return Status(201, _full(request, contribution.pk))


@router.post(
    "/contributions/{contribution_id}/endorsement",
    response={201: ContributionOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def endorse_contribution(request: HttpRequest, contribution_id: int = ID) -> Status:
    """Your organization shares this need (once; again changes nothing)."""
    contribution = contribution_get(viewer=request.user, contribution_id=contribution_id)
    endorsement_add(contribution=contribution, person=request.user)
    return Status(201, _full(request, contribution.pk))


@router.delete(
    "/contributions/{contribution_id}/endorsement",
    response={204: None, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def withdraw_endorsement(request: HttpRequest, contribution_id: int = ID) -> Status:
    """Withdraw your organizations' endorsement (nothing to withdraw is fine too)."""
    contribution = contribution_get(viewer=request.user, contribution_id=contribution_id)
    endorsement_remove(contribution=contribution, person=request.user)
    return Status(204, None)


@router.post(
    "/contributions/{contribution_id}/comments",
    response={201: CommentOut, **BODY_ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def comment_contribution(
    request: HttpRequest, payload: CommentIn, contribution_id: int = ID
) -> Status:
    """Comment on a contribution you may see, while it is open."""
    contribution = contribution_get(viewer=request.user, contribution_id=contribution_id)
    return Status(
        201, comment_add(contribution=contribution, author=request.user, text=payload.text)
    )


@router.post(
    "/contributions/{contribution_id}/moderation",
    response={200: ContributionOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def moderate_contribution(
    request: HttpRequest, payload: ModerationIn, contribution_id: int = ID
) -> Any:
    """Approve, close (with a reason), reopen, or merge into another contribution (`into`)
    a contribution of a cluster you manage. A merge answers with the kept contribution."""
    contribution = contribution_get_for_moderator(
        user=request.user, contribution_id=contribution_id
    )
    if payload.action == "approve":
        contribution_approve(contribution=contribution, actor=request.user)
    elif payload.action == "close":
        if not payload.reason.strip():
            raise FieldErrors({"reason": ["Say why it is closed: the author will read it."]})
        contribution_close(contribution=contribution, actor=request.user, reason=payload.reason)
    elif payload.action == "reopen":
        contribution_reopen(contribution=contribution, actor=request.user)
    else:
        if payload.into is None:
            raise FieldErrors({"into": ["Name the contribution to merge it into."]})
        into = contribution_get_for_moderator(user=request.user, contribution_id=payload.into)
        contribution_merge(contribution=contribution, into=into, actor=request.user)
        return _full(request, into.pk)
    return _full(request, contribution.pk)
