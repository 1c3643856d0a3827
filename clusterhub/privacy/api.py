"""API of personal data: the caller's own export (GDPR article 20, machine-readable)."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from clusterhub.api import ERRORS, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.privacy.exporting import export_person

router = Router(tags=["privacy"])


class ExportOut(Schema):
    format: int = Field(description="Version of this layout")
    exported_at: str = Field(description="ISO 8601 date and time of the export")
    person_id: int
    sections: dict[str, list[dict[str, Any]]] = Field(
        description=(
            "One list of records per kind of data (the keys are listed on /privacy/). A column "
            'that points at a person says "you" or "another person".'
        )
    )


@router.get("/me/export", response={200: ExportOut, **ERRORS}, auth=auth_for(Policy.AUTHENTICATED))
@access(Policy.AUTHENTICATED)
def export_my_data(request: HttpRequest) -> dict[str, Any]:
    """Everything clusterhub stores about you, as JSON. The same data as the zip archive of
    /account/privacy/."""
    return export_person(request.user)
