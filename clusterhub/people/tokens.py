"""API tokens for machine clients: `Authorization: Bearer <key>`.

The key is shown once, when the token is created; only its SHA-256 hash is stored,
so a leaked database does not leak working keys.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from clusterhub.people.models import ApiToken, Person

# Recording every use would turn each API read into a write; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def token_create(*, person: Person, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it and its raw key, which is never stored nor shown again."""
    raw_key = secrets.token_urlsafe(32)
    token = ApiToken(person=person, name=name.strip(), prefix=raw_key[:8], key_hash=_hash(raw_key))
    token.full_clean()
    token.save()
    return token, raw_key


def tokens_of(*, person: Person) -> QuerySet[ApiToken]:
    """A person's tokens, revoked ones included (they show when the key stopped working)."""
    return ApiToken.objects.filter(person=person).order_by("-created_at", "-id")


@transaction.atomic
def token_revoke(*, person: Person, token_id: int) -> ApiToken:
    """Revoke one of the person's own tokens; another person's token is a 404."""
    token = ApiToken.objects.select_for_update().filter(person=person, pk=token_id).first()
    if token is None:
        raise Http404("No such token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(*, raw_key: str) -> Person | None:
    """The active person a key belongs to, or None for an unknown, revoked or foreign key."""
    if not raw_key:
        return None
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash=_hash(raw_key), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
