"""Reads about consent and erasures.

Mail goes only to people with an active consent for its purpose (docs/privacy.md, "Email"):
the digest needs "digest"; service messages of a person's cluster (invitations back) need
the terms consent given when the person joined. Senders filter their recipients with
`with_consent`, or check one person with `has_consent`.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from clusterhub.env import env_str
from clusterhub.people.models import Consent, ConsentPurpose, Person
from clusterhub.privacy.models import Erasure

DEFAULT_TERMS_VERSION = "2026-12"


def terms_version() -> str:
    """The version of the terms of use and privacy notice in force (CLUSTERHUB_TERMS_VERSION)."""
    configured = getattr(settings, "CLUSTERHUB_TERMS_VERSION", "")
    return str(configured or env_str("CLUSTERHUB_TERMS_VERSION", DEFAULT_TERMS_VERSION))


def active_consents(person: Any, purpose: str) -> QuerySet[Consent]:
    return Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True)


def has_consent(person: Any, purpose: str) -> bool:
    if person is None or not getattr(person, "is_active", False):
        return False
    return active_consents(person, purpose).exists()


def with_consent(people: QuerySet[Person], purpose: str) -> QuerySet[Person]:
    """The active people of `people` with an active consent for `purpose`."""
    consented = Consent.objects.filter(
        person=OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True
    )
    return people.filter(Exists(consented), is_active=True)


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    active: Consent | None
    history: list[Consent]

    @property
    def outdated(self) -> bool:
        """A terms consent given for an older version of the terms."""
        return (
            self.purpose == ConsentPurpose.TERMS
            and self.active is not None
            and self.active.terms_version != terms_version()
        )


def consents_overview(person: Any) -> list[ConsentState]:
    """Each purpose with its active consent (if any) and the full history, newest first."""
    records = list(Consent.objects.filter(person=person).order_by("-given_at", "-pk"))
    states = []
    for purpose in ConsentPurpose:
        history = [record for record in records if record.purpose == purpose]
        active = next((record for record in history if record.withdrawn_at is None), None)
        states.append(
            ConsentState(
                purpose=purpose.value, label=str(purpose.label), active=active, history=history
            )
        )
    return states


def erasures_recent(limit: int = 50) -> QuerySet[Erasure]:
    return Erasure.objects.select_related("requested_by").order_by("-erased_at")[:limit]
