"""The audit trail in the API: read-only, regional officers only, with the page's filters."""

import re
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from clusterhub.api import ERRORS, NO_NUL, FieldErrors, Page, auth_for
from clusterhub.audit.models import AuditAction, AuditEntry
from clusterhub.audit.selectors import SEARCH_MAX_LENGTH, AuditFilters, audit_entries
from clusterhub.core.access import Policy, access
from clusterhub.regions.models import Cluster

router = Router(tags=["audit"])

SLUG = r"^[-a-zA-Z0-9_]*$"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class AuditQuery(Schema):
    action: AuditAction | None = None
    actor: str = Field(
        "", max_length=SEARCH_MAX_LENGTH, pattern=NO_NUL, description="Part of the actor's email"
    )
    cluster: str = Field("", max_length=50, pattern=SLUG, description="Cluster slug")
    target_type: str = Field(
        "", max_length=100, pattern=r"^[a-z0-9_.]*$", description='e.g. "people.person"'
    )
    date_from: date | None = Field(None, description="First UTC day included")
    date_to: date | None = Field(None, description="Last UTC day included")
    q: str = Field(
        "",
        max_length=SEARCH_MAX_LENGTH,
        pattern=NO_NUL,
        description="Part of the object, the note or the values before/after",
    )

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _iso_day(cls, value: Any) -> Any:
        # Lax parsing would read "0" as 1970-01-01: only YYYY-MM-DD is a day here.
        if value is None:
            return None
        if not (isinstance(value, str) and ISO_DAY.fullmatch(value)):
            raise ValueError("Give the day as YYYY-MM-DD.")
        return value

    def filters(self) -> AuditFilters:
        errors: dict[str, list[str]] = {}
        cluster = None
        if self.cluster:
            cluster = Cluster.objects.filter(slug=self.cluster).first()
            if cluster is None:
                errors["cluster"] = [_("No cluster has this slug.")]
        if self.date_from and self.date_to and self.date_from > self.date_to:
            errors["date_from"] = [_("The start date is after the end date.")]
        if errors:
            raise FieldErrors(errors)
        return AuditFilters(
            action=self.action or "",
            actor=self.actor.strip(),
            cluster=cluster,
            target_type=self.target_type,
            date_from=self.date_from,
            date_to=self.date_to,
            q=self.q.strip(),
        )


class AuditEntryOut(Schema):
    id: int
    at: datetime = Field(description="UTC")
    actor_id: int | None
    actor: str = Field(description="The actor's email when they acted, or 'system'")
    action: AuditAction
    target_type: str
    target_id: str
    target: str
    cluster: str | None = Field(description="Cluster slug")
    before: dict[str, Any]
    after: dict[str, Any]
    note: str

    @staticmethod
    def resolve_actor(entry: AuditEntry) -> str:
        return entry.actor_label

    @staticmethod
    def resolve_target(entry: AuditEntry) -> str:
        return entry.target_label

    @staticmethod
    def resolve_cluster(entry: AuditEntry) -> str | None:
        return entry.cluster.slug if entry.cluster else None


@router.get(
    "/audit",
    response={200: list[AuditEntryOut], **ERRORS},
    auth=auth_for(Policy.OFFICER),
)
@access(Policy.OFFICER)
@paginate(Page)
def list_audit_entries(request: HttpRequest, filters: Query[AuditQuery]) -> Any:
    """The audit trail, newest first (regional officers only). Entries are never changed."""
    return audit_entries(filters.filters())
