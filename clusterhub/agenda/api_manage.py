"""API of the agenda's versions and items: read them within your reach; as a manager of the
cluster, draft versions, add, edit, split and merge items, and move a version through its
phases.

The same services as the manager pages. An edit names the item's `revision` it was based on:
a stale one is 409 and nothing is written. A frozen (approved or published) version, or a
phase step that does not apply, is 422 with the reason.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, StringConstraints

from clusterhub.agenda.api_fields import NUMBER, OptionalLine, OptionalText
from clusterhub.agenda.models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AgendaItem,
    AgendaVersion,
    ItemStatus,
    Phase,
    VotingMethod,
)
from clusterhub.agenda.selectors import (
    item_for_manager,
    item_progress,
    version_for,
    version_for_manager,
    version_with_items,
    versions_visible_to,
)
from clusterhub.agenda.services import (
    MAX_POINTS_BUDGET,
    MAX_SPLIT_PARTS,
    item_create,
    item_split,
    item_update,
    items_merge,
    version_approve,
    version_close_consultation,
    version_create,
    version_open_consultation,
    version_publish,
)
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
    auth_for,
)
from clusterhub.contributions.models import Contribution
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.selectors import cluster_get_for_manager
from clusterhub.trends.models import Topic

router = Router(tags=["agenda"])

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Title = Annotated[
    str, StringConstraints(min_length=1, max_length=TITLE_MAX_LENGTH, pattern=NOT_BLANK)
]
LongText = Annotated[
    str, StringConstraints(min_length=1, max_length=TEXT_MAX_LENGTH, pattern=NOT_BLANK)
]
ThemeCode = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=NO_NUL)]


# --- Schemas -----------------------------------------------------------------------------


class AgendaKpiOut(Schema):
    id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    current: Decimal | None


class AgendaMilestoneOut(Schema):
    id: int
    title: str
    due_on: date | None
    done_on: date | None


class AgendaItemOut(Schema):
    id: int
    version: int = Field(description="Version number")
    position: int
    title: str
    priority_area: str | None = Field(description="S3 theme code")
    objective: str
    planned_actions: str
    responsible: str
    starts_on: date | None
    ends_on: date | None
    status: ItemStatus
    revision: int = Field(description="Send it back with an edit: a stale revision gets 409.")
    contributions: list[int] = Field(description="Ids of the contributions it answers")
    topics: list[int] = Field(description="Ids of the trend topics it answers")
    kpis: list[AgendaKpiOut]
    milestones: list[AgendaMilestoneOut]
    progress: int | None = Field(description="Percent done, from milestones and KPIs")
    url: str

    @staticmethod
    def resolve_version(obj: AgendaItem) -> int:
        return obj.version.number

    @staticmethod
    def resolve_priority_area(obj: AgendaItem) -> str | None:
        return obj.priority_area.code if obj.priority_area_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_contributions(obj: AgendaItem) -> list[int]:
        return sorted(c.pk for c in obj.contributions.all())

    @staticmethod
    def resolve_topics(obj: AgendaItem) -> list[int]:
        return sorted(t.pk for t in obj.topics.all())

    @staticmethod
    def resolve_kpis(obj: AgendaItem) -> list[Any]:
        return list(obj.kpis.all())

    @staticmethod
    def resolve_milestones(obj: AgendaItem) -> list[Any]:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_progress(obj: AgendaItem) -> int | None:
        return item_progress(obj)

    @staticmethod
    def resolve_url(obj: AgendaItem) -> str:
        return reverse("agenda:item", kwargs={"slug": obj.version.cluster.slug, "pk": obj.pk})


class AgendaVersionOut(Schema):
    number: int
    cluster: str = Field(description="Cluster slug")
    title: str
    summary: str
    phase: Phase
    based_on: int | None = Field(description="Number of the version it was drafted from")
    voting_method: VotingMethod
    points_budget: int
    consultation_opens_at: datetime | None
    consultation_closes_at: datetime | None
    approved_at: datetime | None
    published_at: datetime | None
    url: str

    @staticmethod
    def resolve_cluster(obj: AgendaVersion) -> str:
        return obj.cluster.slug

    @staticmethod
    def resolve_based_on(obj: AgendaVersion) -> int | None:
        return obj.based_on.number if obj.based_on_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_url(obj: AgendaVersion) -> str:
        return reverse("agenda:version", kwargs={"slug": obj.cluster.slug, "number": obj.number})


class AgendaVersionDetailOut(AgendaVersionOut):
    items: list[AgendaItemOut] = Field(description="The active items, in order")

    @staticmethod
    def resolve_items(obj: AgendaVersion) -> list[AgendaItem]:
        return list(version_with_items(obj).select_related("version__cluster"))


class AgendaVersionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: Title
    summary: OptionalText = ""
    based_on: int | None = Field(
        None, ge=1, le=1_000_000, description="Number of the version whose items to carry over"
    )


class AgendaItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: Title
    objective: LongText
    planned_actions: OptionalText = ""
    responsible: OptionalLine = ""
    priority_area: ThemeCode | None = Field(None, description="S3 theme code")
    starts_on: date | None = None
    ends_on: date | None = None
    position: int | None = Field(None, ge=0, le=100_000)
    contributions: list[Id] = Field(default_factory=list, max_length=500)
    topics: list[Id] = Field(default_factory=list, max_length=500)


class AgendaItemPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    revision: int = Field(..., ge=1, le=MAX_ID, description="The revision you read")
    title: Title | None = None
    objective: LongText | None = None
    planned_actions: OptionalText | None = None
    responsible: OptionalLine | None = None
    priority_area: ThemeCode | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    position: int | None = Field(None, ge=0, le=100_000)
    contributions: list[Id] | None = Field(None, max_length=500)
    topics: list[Id] | None = Field(None, max_length=500)


class AgendaSplitPartIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: Title
    objective: LongText
    planned_actions: OptionalText | None = None
    kpi_ids: list[Id] = Field(default_factory=list, description="KPIs of the item it takes")
    milestone_ids: list[Id] = Field(default_factory=list, description="Its milestones")


class AgendaSplitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    revision: int = Field(..., ge=1, le=MAX_ID)
    parts: list[AgendaSplitPartIn] = Field(..., min_length=2, max_length=MAX_SPLIT_PARTS)


class AgendaMergeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[Id] = Field(..., min_length=2, max_length=20, description="Item ids")
    revisions: dict[str, int] = Field(
        default_factory=dict, description="{item id: revision you read}; stale ones get 409"
    )
    title: Title
    objective: LongText
    planned_actions: OptionalText = ""


class AgendaPhaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    step: Literal["open", "close", "approve", "publish"]
    opens_at: datetime | None = Field(None, description="open: when the consultation opens")
    closes_at: datetime | None = Field(None, description="open: when it closes")
    voting_method: VotingMethod = VotingMethod.APPROVAL
    points_budget: int = Field(10, ge=1, le=MAX_POINTS_BUDGET)


# --- Helpers -------------------------------------------------------------------------------


def _cluster(slug: str) -> Cluster:
    from django.http import Http404

    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None:
        raise Http404("No such cluster")
    return cluster


def _theme(code: str | None) -> S3Theme | None:
    if code is None:
        return None
    theme = S3Theme.objects.filter(code=code).first()
    if theme is None:
        raise FieldErrors({"priority_area": [f"Unknown S3 theme code: {code}"]})
    return theme


def _by_ids(model: Any, ids: list[int], field: str) -> list[Any]:
    found = model.objects.in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise FieldErrors({field: [f"Unknown id(s): {', '.join(map(str, missing))}"]})
    return [found[pk] for pk in dict.fromkeys(ids)]


def _item_fields(payload: Schema, *, exclude: set[str]) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True, exclude=exclude)
    if "priority_area" in data:
        data["priority_area"] = _theme(data["priority_area"])
    if "contributions" in data:
        data["contributions"] = _by_ids(Contribution, data["contributions"] or [], "contributions")
    if "topics" in data:
        data["topics"] = _by_ids(Topic, data["topics"] or [], "topics")
    for name in ("planned_actions", "responsible"):
        if name in data and data[name] is None:
            data[name] = ""
    if "position" in data and data["position"] is None:
        del data["position"]
    return data


def _item_out(item: AgendaItem) -> AgendaItem:
    return (
        AgendaItem.objects.select_related("version__cluster", "priority_area")
        .prefetch_related("contributions", "topics", "kpis", "milestones")
        .get(pk=item.pk)
    )


# --- Operations ----------------------------------------------------------------------------


@router.get(
    "/clusters/{slug}/agenda/versions",
    response={200: list[AgendaVersionOut], **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def list_agenda_versions(request: HttpRequest, slug: str = SLUG) -> Any:
    """The cluster's agenda versions you may read, newest first: the published ones to
    everyone, those in consultation and approved to its members, all to its managers."""
    return list(
        versions_visible_to(request.user, _cluster(slug))
        .select_related("based_on")
        .order_by("-number")
    )


@router.get(
    "/clusters/{slug}/agenda/versions/{number}",
    response={200: AgendaVersionDetailOut, **ERRORS},
    auth=auth_for(Policy.PUBLIC),
)
@access(Policy.PUBLIC)
def get_agenda_version(request: HttpRequest, slug: str = SLUG, number: int = NUMBER) -> Any:
    """One version with its active items (404 outside your reach)."""
    return version_for(request.user, slug, number)


@router.post(
    "/clusters/{slug}/agenda/versions",
    response={201: AgendaVersionDetailOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def create_agenda_version(
    request: HttpRequest, payload: AgendaVersionIn, slug: str = SLUG
) -> Status:
    """Draft the next version of a cluster you manage, empty or carrying the active items of
    `based_on`. Refused (422) while another version is a draft or in consultation."""
    cluster = cluster_get_for_manager(user=request.user, slug=slug)
    based_on = None
    if payload.based_on is not None:
        based_on = AgendaVersion.objects.filter(cluster=cluster, number=payload.based_on).first()
        if based_on is None:
            raise FieldErrors({"based_on": [f"No version {payload.based_on} in this cluster."]})
    version = version_create(
        cluster=cluster,
        actor=request.user,
        title=payload.title,
        summary=payload.summary,
        based_on=based_on,
    )
    return Status(201, version_for(request.user, slug, version.number))


@router.post(
    "/clusters/{slug}/agenda/versions/{number}/items",
    response={201: AgendaItemOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def create_agenda_item(
    request: HttpRequest, payload: AgendaItemIn, slug: str = SLUG, number: int = NUMBER
) -> Status:
    """Add an item to a draft or a version in consultation of a cluster you manage."""
    version = version_for_manager(request.user, slug, number)
    item = item_create(version=version, actor=request.user, **_item_fields(payload, exclude=set()))
    return Status(201, _item_out(item))


@router.patch(
    "/clusters/{slug}/agenda/items/{item_id}",
    response={200: AgendaItemOut, 409: ConflictOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def update_agenda_item(
    request: HttpRequest, payload: AgendaItemPatchIn, slug: str = SLUG, item_id: int = ID
) -> Any:
    """Change an item. Send the `revision` you read: if someone saved the item since, the
    answer is 409 (with the current revision) and nothing is written."""
    item = item_for_manager(request.user, slug, item_id)
    fields = _item_fields(payload, exclude={"revision"})
    updated = item_update(item=item, actor=request.user, revision=payload.revision, **fields)
    return _item_out(updated)


@router.post(
    "/clusters/{slug}/agenda/items/{item_id}/split",
    response={201: list[AgendaItemOut], 409: ConflictOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def split_agenda_item(
    request: HttpRequest, payload: AgendaSplitIn, slug: str = SLUG, item_id: int = ID
) -> Status:
    """Split an item into 2 or more new items of its version; KPIs and milestones no part
    names go to the first part. The original stays in the history as `split`."""
    item = item_for_manager(request.user, slug, item_id)
    parts = [part.dict(exclude_none=True) for part in payload.parts]
    created = item_split(item=item, actor=request.user, parts=parts, revision=payload.revision)
    return Status(201, [_item_out(part) for part in created])


@router.post(
    "/clusters/{slug}/agenda/versions/{number}/merge",
    response={201: AgendaItemOut, 409: ConflictOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def merge_agenda_items(
    request: HttpRequest, payload: AgendaMergeIn, slug: str = SLUG, number: int = NUMBER
) -> Status:
    """Merge 2 or more active items of the version into a new one."""
    version = version_for_manager(request.user, slug, number)
    items = list(version.items.filter(pk__in=payload.items))
    missing = set(payload.items) - {item.pk for item in items}
    if missing:
        raise FieldErrors({"items": [f"Not items of this version: {sorted(missing)}"]})
    revisions = {}
    for key, value in payload.revisions.items():
        if not key.isdigit():
            raise FieldErrors({"revisions": [f"Not an item id: {key}"]})
        revisions[int(key)] = value
    merged = items_merge(
        items=items,
        actor=request.user,
        revisions=revisions,
        title=payload.title,
        objective=payload.objective,
        planned_actions=payload.planned_actions,
    )
    return Status(201, _item_out(merged))


@router.post(
    "/clusters/{slug}/agenda/versions/{number}/phase",
    response={200: AgendaVersionOut, **BODY_ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
def change_agenda_phase(
    request: HttpRequest, payload: AgendaPhaseIn, slug: str = SLUG, number: int = NUMBER
) -> Any:
    """Take the version's next step: `open` the consultation (with `opens_at`, `closes_at`,
    `voting_method`, `points_budget`), `close` it now, `approve`, `publish`."""
    version = version_for_manager(request.user, slug, number)
    if payload.step == "open":
        missing = {
            name: ["Required to open the consultation."]
            for name in ("opens_at", "closes_at")
            if getattr(payload, name) is None
        }
        if missing:
            raise FieldErrors(missing)
        version_open_consultation(
            version=version,
            actor=request.user,
            opens_at=payload.opens_at,  # type: ignore[arg-type]
            closes_at=payload.closes_at,  # type: ignore[arg-type]
            voting_method=payload.voting_method,
            points_budget=payload.points_budget,
        )
    elif payload.step == "close":
        version_close_consultation(version=version, actor=request.user)
    elif payload.step == "approve":
        version_approve(version=version, actor=request.user)
    else:
        version_publish(version=version, actor=request.user)
    return version_for(request.user, slug, number)
