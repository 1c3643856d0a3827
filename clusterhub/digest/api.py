"""API of the digest: the caller's next digest, as the email would show it now."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from clusterhub.api import ERRORS, auth_for
from clusterhub.core.access import Policy, access
from clusterhub.digest.services import (
    digest_build,
    digest_since,
    has_digest_consent,
    preference_of,
)

router = Router(tags=["digest"])


class DigestItemOut(Schema):
    title: str
    url: str = Field(description="A path on this site")
    detail: str
    reasons: list[str]


class DigestSectionOut(Schema):
    key: str = Field(description="events, opportunities, saved_searches, consultations or replies")
    title: str
    items: list[DigestItemOut]


class DigestPreviewOut(Schema):
    since: datetime = Field(description="What is newer than this is in the digest")
    until: datetime
    frequency: str = Field(description="daily, weekly or off")
    consented: bool = Field(description="Whether the digest may be emailed (your consent)")
    empty: bool = Field(description="An empty digest is not sent")
    sections: list[DigestSectionOut]


@router.get(
    "/digest/preview",
    response={200: DigestPreviewOut, **ERRORS},
    auth=auth_for(Policy.AUTHENTICATED),
)
@access(Policy.AUTHENTICATED)
def digest_preview(request: HttpRequest) -> dict[str, Any]:
    """Your next digest as it stands now (nothing is marked as seen). Every section is
    listed, empty ones included; `consultations` stays empty until the agenda exists."""
    preference = preference_of(request.user)
    now = timezone.now()
    digest = digest_build(request.user, digest_since(preference, now), until=now)
    return {
        "since": digest.since,
        "until": digest.until,
        "frequency": preference.frequency,
        "consented": has_digest_consent(request.user),
        "empty": digest.is_empty,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "items": [
                    {
                        "title": item.title,
                        "url": item.url,
                        "detail": item.detail,
                        "reasons": list(item.reasons),
                    }
                    for item in section.items
                ],
            }
            for section in digest.sections
        ],
    }
