"""Writes about personal data: consents given and withdrawn, and erasure (GDPR article 17).

Erasure anonymizes the account instead of deleting it: what the person did for their
organization and cluster (contributions, comments, amendments, votes, events organised) stays,
shown under a pseudonym, while contact data goes, sign-in is disabled, sessions end, roles
close, tokens are revoked, consents are withdrawn and the personal-only records of the
registry (`Fate.DELETE`) are deleted. An `Erasure` row remembers it by plain id, so that
`restore` can re-apply erasures made after the backup it restores (`reapply_erasures_from`).
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from clusterhub.audit.context import acting_as
from clusterhub.audit.models import AuditAction
from clusterhub.audit.services import record_audit
from clusterhub.people.models import (
    ApiToken,
    ClusterRole,
    Consent,
    ConsentPurpose,
    Invitation,
    OrganizationRole,
    Person,
)
from clusterhub.privacy.models import Erasure
from clusterhub.privacy.registry import deleted_on_erasure
from clusterhub.privacy.selectors import active_consents, terms_version

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never delivers
PSEUDONYM_PREFIX = "Former member"


# --- Consent --------------------------------------------------------------------------------


def consent_version(purpose: str) -> str:
    if purpose == ConsentPurpose.DIGEST:
        from clusterhub.digest.services import CONSENT_VERSION

        return CONSENT_VERSION
    return terms_version()


@transaction.atomic
def consent_give(*, person: Person, purpose: str) -> Consent:
    """Record a consent; an active one for the same purpose and version is kept as it is.
    A terms consent for an older version is withdrawn and replaced by one for the current."""
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    version = consent_version(purpose)
    current = active_consents(person, purpose).filter(terms_version=version).first()
    if current is not None:
        return current
    active_consents(person, purpose).update(withdrawn_at=timezone.now())
    if purpose == ConsentPurpose.DIGEST:
        from clusterhub.digest.models import DigestFrequency
        from clusterhub.digest.services import digest_subscribe, preference_of

        frequency = preference_of(person).frequency
        if frequency == DigestFrequency.OFF:
            frequency = DigestFrequency.WEEKLY
        digest_subscribe(person=person, frequency=frequency)
        consent = active_consents(person, purpose).first()
        assert consent is not None
        return consent
    consent = Consent(person=person, purpose=purpose, terms_version=version)
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, person: Person, purpose: str) -> int:
    """Withdraw the person's active consents for `purpose` (recorded, never deleted); the
    number withdrawn. Withdrawing the digest consent also turns the digest off."""
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": _("Unknown purpose.")})
    count = active_consents(person, purpose).count()
    if purpose == ConsentPurpose.DIGEST:
        from clusterhub.digest.services import digest_unsubscribe

        digest_unsubscribe(person=person)
    else:
        active_consents(person, purpose).update(withdrawn_at=timezone.now())
    return count


def terms_consent_record(*, person: Person) -> Consent:
    """The terms consent of someone who accepted an invitation (current terms version)."""
    return consent_give(person=person, purpose=ConsentPurpose.TERMS)


# --- Erasure --------------------------------------------------------------------------------


def is_erased(person: Any) -> bool:
    return str(person.email).lower().endswith("@" + ERASED_DOMAIN)


def erased_email(person_id: int) -> str:
    return f"erased-{person_id}@{ERASED_DOMAIN}"


def _new_pseudonym() -> str:
    taken = set(Erasure.objects.values_list("pseudonym", flat=True))
    for size in (2, 2, 2, 3, 3, 4, 8):
        candidate = f"{PSEUDONYM_PREFIX} {secrets.token_hex(size).upper()}"
        if candidate not in taken:
            return candidate
    raise RuntimeError("no free pseudonym")  # pragma: no cover - 2**64 candidates at the end


def end_sessions(person: Any) -> int:
    """Delete every stored session signed in as `person`; the number ended."""
    from django.contrib.sessions.backends.db import SessionStore

    ended = 0
    wanted = str(person.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id", "")) == wanted:
            # Through the store, so a cached_db engine forgets it too.
            SessionStore(session_key=session.session_key).delete()
            ended += 1
    return ended


@dataclass
class ErasureResult:
    person_id: int
    pseudonym: str
    already: bool  # erased before: nothing was changed
    sessions_ended: int = 0
    roles_closed: int = 0
    tokens_revoked: int = 0
    consents_withdrawn: int = 0
    registrations_cancelled: int = 0
    deleted: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        if self.already:
            return _("%(pseudonym)s was erased already: nothing changed.") % {
                "pseudonym": self.pseudonym
            }
        return _(
            "Erased as %(pseudonym)s. Sessions ended: %(sessions)d; roles closed: %(roles)d; "
            "tokens revoked: %(tokens)d; consents withdrawn: %(consents)d; personal records "
            "deleted: %(deleted)d."
        ) % {
            "pseudonym": self.pseudonym,
            "sessions": self.sessions_ended,
            "roles": self.roles_closed,
            "tokens": self.tokens_revoked,
            "consents": self.consents_withdrawn,
            "deleted": sum(self.deleted.values()),
        }


def _cancel_future_registrations(person: Person, now: datetime) -> int:
    from clusterhub.events.models import Registration, RegistrationStatus
    from clusterhub.events.services import registration_cancel

    upcoming = Registration.objects.filter(
        person=person, event__starts_at__gt=now, checked_in_at__isnull=True
    ).exclude(status=RegistrationStatus.CANCELLED)
    count = 0
    for registration in upcoming.select_related("event"):
        registration_cancel(registration=registration)  # frees the seat for the waiting list
        count += 1
    return count


def _anonymize_account(person: Person, pseudonym: str) -> None:
    person.email = erased_email(person.pk)
    person.full_name = pseudonym
    person.set_unusable_password()
    person.is_active = False
    person.is_staff = False
    person.is_superuser = False
    person.is_regional_officer = False
    person.full_clean()
    person.save(
        update_fields=[
            "email",
            "full_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "is_regional_officer",
        ]
    )
    person.groups.clear()
    person.user_permissions.clear()


def _as_datetime(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a date and time: {value!r}")
    return parsed


def erase_person(
    *,
    person: Person,
    actor: Any,
    pseudonym: str | None = None,
    erased_at: datetime | str | None = None,
    note: str = "",
) -> ErasureResult:
    """Anonymize `person` and close everything that belongs to them alone (module docstring).

    Idempotent: an account erased before is left as it is (`result.already`). `actor` is who
    asked (the person themself, an officer, or None for a command); `pseudonym` and
    `erased_at` are given when re-applying an erasure recorded before a restore.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if is_erased(person):
            return ErasureResult(person_id=person.pk, pseudonym=person.full_name, already=True)
        now = timezone.now()
        pseudonym = pseudonym or _new_pseudonym()
        original_email = person.email
        # The audit entries below name the anonymized account, never the old address.
        if actor is not None and getattr(actor, "pk", None) == person.pk:
            actor = person
        result = ErasureResult(person_id=person.pk, pseudonym=pseudonym, already=False)
        # Entries written by the audit signals (officer flag, roles) name who asked.
        with acting_as(actor, note=note or "erasure"):
            _anonymize_account(person, pseudonym)
            # One by one, so the audit trail records each role that closes.
            for role in [*ClusterRole.objects.filter(person=person)] + [
                *OrganizationRole.objects.filter(person=person)
            ]:
                role.delete()
                result.roles_closed += 1
            result.registrations_cancelled = _cancel_future_registrations(person, now)
        result.tokens_revoked = ApiToken.objects.filter(
            person=person, revoked_at__isnull=True
        ).update(revoked_at=now)
        result.consents_withdrawn = Consent.objects.filter(
            person=person, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        for exporter in deleted_on_erasure():
            model = apps.get_model(exporter.model)
            count, _per_model = model._default_manager.filter(exporter.lookup(person)).delete()
            result.deleted[exporter.key] = count
        # Invitations carry the address: accepted ones keep their history under the new
        # address, pending ones are dropped.
        invitations = Invitation.objects.filter(email__iexact=original_email)
        invitations.filter(accepted_at__isnull=False).update(email=person.email)
        result.deleted["pending_invitations"] = invitations.filter(
            accepted_at__isnull=True
        ).delete()[0]
        result.sessions_ended = end_sessions(person)
        requester = actor if getattr(actor, "is_authenticated", False) else None
        if not Erasure.objects.filter(person_id=person.pk).exists():
            erasure = Erasure(person_id=person.pk, pseudonym=pseudonym, requested_by=requester)
            erasure.full_clean()
            erasure.save()
            when = _as_datetime(erased_at)
            if when is not None:
                Erasure.objects.filter(pk=erasure.pk).update(erased_at=when)
        record_audit(
            actor=actor,
            action=AuditAction.ERASURE,
            target=person,
            target_label=pseudonym,
            after={
                "sessions_ended": result.sessions_ended,
                "roles_closed": result.roles_closed,
                "tokens_revoked": result.tokens_revoked,
                "consents_withdrawn": result.consents_withdrawn,
                "registrations_cancelled": result.registrations_cancelled,
                "deleted": result.deleted,
            },
            note=note,
        )
    return result


def erasure_request(*, person: Person, password: str) -> ErasureResult:
    """Self-service erasure, confirmed with the person's password."""
    if not password or not person.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    return erase_person(person=person, actor=person, note="requested by the person")


def reapply_erasures_from(records: list[dict[str, Any]]) -> int:
    """Re-apply erasures recorded elsewhere (read from the database before a restore), each a
    dict with person_id, pseudonym and erased_at (a datetime or ISO text). A person whose row
    still holds their data is erased again under the same pseudonym, and the Erasure row is
    recorded again if the restored database lacks it. Returns how many were re-applied."""
    reapplied = 0
    for record in records:
        person_id = int(record["person_id"])
        pseudonym = str(record["pseudonym"])
        erased_at = _as_datetime(record.get("erased_at"))
        person = Person.objects.filter(pk=person_id).first()
        if person is not None and not is_erased(person):
            erase_person(
                person=person,
                actor=None,
                pseudonym=pseudonym,
                erased_at=erased_at,
                note="re-applied after a restore",
            )
            reapplied += 1
        elif not Erasure.objects.filter(person_id=person_id).exists():
            with transaction.atomic():
                erasure = Erasure.objects.create(person_id=person_id, pseudonym=pseudonym)
                if erased_at is not None:
                    Erasure.objects.filter(pk=erasure.pk).update(erased_at=erased_at)
    return reapplied


def erasure_records(since: datetime | None = None) -> list[dict[str, Any]]:
    """The erasures recorded (after `since`), as the plain dicts `reapply_erasures_from` takes."""
    rows = Erasure.objects.order_by("erased_at", "pk")
    if since is not None:
        rows = rows.filter(erased_at__gt=since)
    return [
        {"person_id": row.person_id, "pseudonym": row.pseudonym, "erased_at": row.erased_at}
        for row in rows
    ]


def reapply_erasures(since: datetime) -> int:
    """Re-apply every erasure recorded after `since` whose person is no longer anonymized."""
    return reapply_erasures_from(erasure_records(since))
