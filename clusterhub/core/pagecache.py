"""Cached public pages for anonymous visitors.

Rendering the directory or a profile costs tens of milliseconds of templates; serving a copy
costs well under one. A copy is kept per process (the "pages" cache) under a key made of the
page's *generation*, the language, the host and the full path:

- The generation is a random value in `core_pagegeneration` that database triggers replace on
  every insert, update or delete in the tables the pages read (`SCOPES`), so no write path
  (a service, a bulk import, the admin, raw SQL) can leave a stale copy, and every process sees
  the change with the commit. A restored backup brings back its own generation, and with it
  only copies made from that very data.
- Only anonymous GET requests without pending messages are served from copies; signed-in
  people get their own rendering (menus, edit buttons, private profiles).
- The copy holds a sentinel where the CSRF token goes; each response gets the visitor's own
  token, exactly as an uncached rendering would.

SQLite rebuilds a table to alter it, dropping its triggers, so the triggers are (re)installed
after every `migrate` (post_migrate, core/apps.py) rather than by one migration.
"""

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import IntegrityError, connection, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

# Scope -> the apps whose tables feed its pages (every table but those in UNWATCHED).
SCOPES = {"registry": ("registry", "regions")}
UNWATCHED = {"registry_importjob"}  # progress rows of imports, never shown on public pages
CACHE_ALIAS = "pages"
CSRF_SENTINEL = "clusterhubcsrftokensentinel"
_RENDERING = "_clusterhub_page_cache_rendering"
# Request headers a cached view may read besides the path (htmx partial rendering).
_KEY_HEADERS = ("HX-Request", "HX-History-Restore-Request")

View = Callable[..., HttpResponse]


def watched_tables(scope: str) -> list[str]:
    tables = {
        model._meta.db_table
        for label in SCOPES[scope]
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy
    }
    return sorted(tables - UNWATCHED)


def install_triggers(using: str = "default") -> None:
    """Make every write to a scope's tables replace the scope's generation. Idempotent."""
    vendor = connections[using].vendor
    statements = [_POSTGRESQL_FUNCTION] if vendor == "postgresql" else []
    for scope in SCOPES:
        for table in watched_tables(scope):
            statements += _trigger_sql(vendor, scope, table)
    with connections[using].cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _trigger_sql(vendor: str, scope: str, table: str) -> list[str]:
    # Names come from SCOPES and the models' own tables, never from input.
    name = f"pagegen_{table}"
    if vendor == "sqlite":
        bump = (
            "INSERT INTO core_pagegeneration (scope, value) "  # noqa: S608
            f"VALUES ('{scope}', random()) "
            "ON CONFLICT (scope) DO UPDATE SET value = excluded.value;"
        )
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name}_{event[0].lower()} AFTER {event} ON {table} "
            f"BEGIN {bump} END"
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
    if vendor == "postgresql":
        # Deferred to the commit, and once per transaction: taking the generation's row lock
        # last means two writers can never wait on each other through it.
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"EXECUTE FUNCTION clusterhub_page_generation_bump('{scope}')",
        ]
    return []


_POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION clusterhub_page_generation_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'clusterhub.page_generation_' || TG_ARGV[0];
BEGIN
    IF coalesce(current_setting(flag, true), '') <> 'bumped' THEN
        PERFORM set_config(flag, 'bumped', true);
        INSERT INTO core_pagegeneration (scope, value)
        VALUES (TG_ARGV[0], (random() * 9.2e18)::bigint)
        ON CONFLICT (scope) DO UPDATE SET value = excluded.value;
    END IF;
    RETURN NULL;
END
$$
"""


def generation(scope: str) -> int:
    """The scope's current generation, one indexed read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM core_pagegeneration WHERE scope = %s", [scope])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    # No write since the table was emptied (a flush): start one; a racing process may win.
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_pagegeneration (scope, value) VALUES (%s, %s)",
                [scope, secrets.randbits(62)],
            )
    except IntegrityError:
        pass
    return generation(scope)


def csrf(request: HttpRequest) -> dict[str, str]:
    """Context processor: the sentinel instead of a token while a copy is being rendered."""
    return {"csrf_token": CSRF_SENTINEL} if getattr(request, _RENDERING, False) else {}


def cached_for_visitors(scope: str) -> Callable[[View], View]:
    """Serve the view's page to anonymous visitors from a copy while `scope` is unchanged."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            cache = caches[CACHE_ALIAS]
            key = _key(scope, request)
            stored = cache.get(key)
            if stored is None:
                response = _render_with_sentinel(view, request, *args, **kwargs)
                if not _storable(response):
                    return _personalized(request, response)
                stored = (response.status_code, dict(response.headers), response.content)
                cache.set(key, stored)
            status, headers, content = stored
            return _personalized(request, HttpResponse(content, status=status, headers=headers))

        return wrapped

    return decorator


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.CLUSTERHUB_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and len(messages.get_messages(request)) == 0
    )


def _key(scope: str, request: HttpRequest) -> str:
    parts = [
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        *(request.headers.get(name, "") for name in _KEY_HEADERS),
    ]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
    return f"{scope}:{generation(scope)}:{request.LANGUAGE_CODE}:{digest}"


def _render_with_sentinel(
    view: View, request: HttpRequest, *args: Any, **kwargs: Any
) -> HttpResponse:
    setattr(request, _RENDERING, True)
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        return response
    finally:
        setattr(request, _RENDERING, False)


def _storable(response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _personalized(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.streaming and CSRF_SENTINEL.encode() in response.content:
        response.content = response.content.replace(
            CSRF_SENTINEL.encode(), get_token(request).encode()
        )
    return response
