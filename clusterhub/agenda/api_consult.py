"""API of the agenda consultation: comments, amendments (and the managers' decision), your
organization's ballot, the results of a version.

The same services as the pages: taking part needs a role in an organization that is an active
member of the version's cluster (otherwise 403); items of versions you may not read are 404;
anything sent while the consultation is not open is 422 with the reason. Casting a ballot:

    PUT /api/agenda/items/{item_id}/ballot  {"value": 1}

(approval: 1 supports, 0 does not; points: the points given, within the budget). Casting
again changes the ballot; parallel casts of one organization end with one ballot.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, StringConstraints

from clusterhub.agenda.api_fields import NUMBER, OptionalLine, OptionalText
from clusterhub.agenda.consultation import (
    amendment_accept,
    amendment_propose,
    amendment_reject,
    ballot_cast,
    ballot_withdraw,
    comment_create,
)
from clusterhub.agenda.models import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Amendment,
    AmendmentStatus,
    ItemComment,
)
from clusterhub.agenda.results import (
    amendment_for,
    consult_item_for,
    item_amendments,
    item_comments,
    own_ballot,
    points_left,
    results_visible,
    version_results,
)
from clusterhub.agenda.selectors import can_take_part, version_for
from clusterhub.api import (
    BODY_ERRORS,
    ERRORS,
    ID,
    NOT_BLANK,
    SLUG,
    ConflictOut,
    auth_for,
)
from clusterhub.core.access import Policy, access

router = Router(tags=["agenda consultation"])

CommentText = Annotated[
    str, StringConstraints(min_length=1, max_length=COMMENT_MAX_LENGTH, pattern=NOT_BLANK)
]
Reason = Annotated[
    str, StringConstraints(min_length=1, max_length=REASON_MAX_LENGTH, pattern=NOT_BLANK)
]


# --- Schemas -----------------------------------------------------------------------------


class AgendaConsultCommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: CommentText


class AgendaConsultCommentOut(Schema):
    id: int
    item: int
    organization: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_item(obj: ItemComment) -> int:
        return obj.item_id

    @staticmethod
    def resolve_organization(obj: ItemComment) -> str:
        return obj.organization.name


class AgendaConsultAmendmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: OptionalLine = ""
    objective: OptionalText = ""
    planned_actions: OptionalText = ""
    rationale: CommentText = Field(description="Why the item should change")


class AgendaConsultAmendmentOut(Schema):
    id: int
    item: int
    organization: str
    title: str
    objective: str
    planned_actions: str
    rationale: str
    status: AmendmentStatus
    decision_reason: str = Field(description="The managers' reason, shown to everyone")
    decided_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_item(obj: Amendment) -> int:
        return obj.item_id

    @staticmethod
    def resolve_organization(obj: Amendment) -> str:
        return obj.organization.name


class AgendaConsultDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "reject"]
    reason: Reason
    revision: int | None = Field(
        None,
        ge=1,
        description="accept: the item revision you read (a stale one is 409); default current",
    )


class AgendaConsultBallotIn(Schema):
    model_config = ConfigDict(extra="forbid")

    value: int = Field(
        ge=0, le=1_000_000, description="Approval: 1 supports, 0 does not. Points: points given."
    )


class AgendaConsultBallotOut(Schema):
    item: int
    organization: str
    value: int | None = Field(description="Your organization's ballot; null: none cast")
    points_left: int | None = Field(description="Points method: points still to give")
    updated_at: datetime | None


class AgendaConsultKindScore(Schema):
    kind: str
    label: str
    score: float


class AgendaConsultItemResult(Schema):
    item: int
    title: str
    rank: int
    score: float
    share_percent: float
    organizations: int
    by_kind: list[AgendaConsultKindScore]


class AgendaConsultParticipation(Schema):
    kind: str
    label: str
    voted: int
    eligible: int
    percent: float | None
    weight: float | None


class AgendaConsultResultsOut(Schema):
    version: int
    voting_method: str
    equal_types: bool
    voters: int
    eligible: int
    items: list[AgendaConsultItemResult]
    participation: list[AgendaConsultParticipation]


# --- Helpers -------------------------------------------------------------------------------


def _ballot_out(request: HttpRequest, item_id: int) -> dict[str, Any]:
    item = consult_item_for(request.user, item_id)
    organization = can_take_part(request.user, item.version)
    if organization is None:
        raise PermissionDenied(
            _("Only people of the cluster's member organizations take part in its consultation.")
        )
    ballot = own_ballot(item, organization)
    return {
        "item": item.pk,
        "organization": organization.name,
        "value": ballot.value if ballot else None,
        "points_left": points_left(item.version, organization),
        "updated_at": ballot.updated_at if ballot else None,
    }


# --- Operations ----------------------------------------------------------------------------


@router.get(
    "/agenda/items/{item_id}/comments",
    response={200: list[AgendaConsultCommentOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def list_agenda_consult_comments(request: HttpRequest, item_id: int = ID) -> Any:
    """The comments on an item you may read, oldest first."""
    return list(item_comments(consult_item_for(request.user, item_id)))


@router.post(
    "/agenda/items/{item_id}/comments",
    response={201: AgendaConsultCommentOut, **BODY_ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def create_agenda_consult_comment(
    request: HttpRequest, payload: AgendaConsultCommentIn, item_id: int = ID
) -> Status:
    """Comment on an item for your organization while the consultation is open."""
    item = consult_item_for(request.user, item_id)
    comment = comment_create(item=item, actor=request.user, text=payload.text)
    return Status(201, comment)


@router.get(
    "/agenda/items/{item_id}/amendments",
    response={200: list[AgendaConsultAmendmentOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def list_agenda_consult_amendments(request: HttpRequest, item_id: int = ID) -> Any:
    """The amendments proposed on an item, with the managers' decision and reason."""
    return list(item_amendments(consult_item_for(request.user, item_id)))


@router.post(
    "/agenda/items/{item_id}/amendments",
    response={201: AgendaConsultAmendmentOut, **BODY_ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def create_agenda_consult_amendment(
    request: HttpRequest, payload: AgendaConsultAmendmentIn, item_id: int = ID
) -> Status:
    """Propose new wording (any of title, objective, planned actions) with its rationale."""
    item = consult_item_for(request.user, item_id)
    amendment = amendment_propose(item=item, actor=request.user, **payload.dict())
    return Status(201, amendment)


@router.post(
    "/agenda/amendments/{amendment_id}/decision",
    response={200: AgendaConsultAmendmentOut, 409: ConflictOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def decide_agenda_consult_amendment(
    request: HttpRequest, payload: AgendaConsultDecisionIn, amendment_id: int = ID
) -> Any:
    """As a manager of the cluster: accept (the item takes the wording; a stale `revision`
    is 409) or reject an amendment, with a reason shown to everyone."""
    amendment = amendment_for(request.user, amendment_id)
    if payload.decision == "accept":
        return amendment_accept(
            amendment=amendment,
            actor=request.user,
            reason=payload.reason,
            revision=payload.revision,
        )
    return amendment_reject(amendment=amendment, actor=request.user, reason=payload.reason)


@router.get(
    "/agenda/items/{item_id}/ballot",
    response={200: AgendaConsultBallotOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def get_agenda_consult_ballot(request: HttpRequest, item_id: int = ID) -> Any:
    """Your organization's ballot on the item (value null when none)."""
    return _ballot_out(request, item_id)


@router.put(
    "/agenda/items/{item_id}/ballot",
    response={200: AgendaConsultBallotOut, **BODY_ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def put_agenda_consult_ballot(
    request: HttpRequest, payload: AgendaConsultBallotIn, item_id: int = ID
) -> Any:
    """Cast or change your organization's ballot while the consultation is open."""
    item = consult_item_for(request.user, item_id)
    ballot_cast(item=item, actor=request.user, value=payload.value)
    return _ballot_out(request, item_id)


@router.delete(
    "/agenda/items/{item_id}/ballot",
    response={204: None, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def delete_agenda_consult_ballot(request: HttpRequest, item_id: int = ID) -> Status:
    """Withdraw your organization's ballot while the consultation is open."""
    item = consult_item_for(request.user, item_id)
    ballot_withdraw(item=item, actor=request.user)
    return Status(204, None)


@router.get(
    "/clusters/{slug}/agenda/versions/{number}/results",
    response={200: AgendaConsultResultsOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_agenda_consult_results(
    request: HttpRequest,
    slug: str = SLUG,
    number: int = NUMBER,
    equal_types: bool = Query(False, description="Weight every member type equally"),
) -> Any:
    """Scores per item (best first) with their breakdown by member type, and participation
    per type. Managers and officers: always; members: once the consultation closed;
    everyone: once published (otherwise 403)."""
    version = version_for(request.user, slug, number)
    if not results_visible(request.user, version):
        raise PermissionDenied(
            _("The results are shown to the members once the consultation closes.")
        )
    outcome = version_results(version, equal_types=equal_types)
    return {
        "version": version.number,
        "voting_method": outcome.method,
        "equal_types": outcome.equal_types,
        "voters": outcome.voters,
        "eligible": outcome.eligible,
        "items": [
            {
                "item": row.item.pk,
                "title": row.item.title,
                "rank": row.rank,
                "score": round(row.score, 4),
                "share_percent": round(row.share_percent, 2),
                "organizations": row.organizations,
                "by_kind": [
                    {"kind": kind, "label": label, "score": round(score, 4)}
                    for kind, label, score in row.by_kind
                ],
            }
            for row in outcome.items
        ],
        "participation": [row.__dict__ for row in outcome.participation],
    }
