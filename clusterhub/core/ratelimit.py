"""Abuse limits: sign-in, password reset, writes and exports answer 429 with Retry-After.

Counters live in the "ratelimit" cache (settings.CACHES), which every server process shares
(files under var/ratelimit by default). Each limit is a fixed window: "10/15m" allows ten
events in each fifteen-minute window; the answer names when the window ends.

- Sign-in (`throttle_login`, the back office's sign-in too): failed attempts are counted per
  account identifier (the address as typed, whether or not such an account exists) and per
  client address. While either is over its limit every attempt gets the same 429 page, so the
  answer never tells whether an account exists; a successful sign-in clears the identifier's
  counter.
- Password reset (`throttle_password_reset`): every request is counted per client address and
  per address asked for; the answer is the same whether the address belongs to someone.
- Writes (POST, PUT, PATCH, DELETE) and exports (CSV, JSON, PDF downloads and the API's export
  operations, recognised by their URL names) are counted by `RateLimitMiddleware` per person
  when signed in, per API token when one is sent, else per client address.

The limits are settings (CLUSTERHUB_RATE_LIMITS), read from the environment; "" or "0"
turns one off. See docs/operations.md.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

CACHE_ALIAS = "ratelimit"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# URL names of downloads: "export", "organizations_csv", "public_pdf", "attachment_download"...
EXPORT_NAME = re.compile(r"(^|_)(export|csv|json|pdf|xlsx|download)(_|$)")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd]?)\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate | None:
    """ "10/15m" -> Rate(10, 900); "120/m" -> Rate(120, 60); "" or "0/..." -> None (no limit)."""
    if not text or not text.strip():
        return None
    match = RATE.match(text)
    if match is None:
        raise ValueError(f"Rate limit {text!r} is not like '10/15m', '120/m' or '5/3600'.")
    count, amount, unit = match.groups()
    seconds = int(amount or 1) * PERIODS[unit or "s"]
    if int(count) == 0 or seconds == 0:
        return None
    return Rate(int(count), seconds)


def rate_for(scope: str) -> Rate | None:
    return parse_rate(str(settings.CLUSTERHUB_RATE_LIMITS.get(scope, "")))


def _digest(identity: str) -> str:
    return hashlib.sha256(identity.encode("utf-8", "replace")).hexdigest()[:32]


@dataclass(frozen=True)
class Counter:
    """One identity's window for one scope."""

    scope: str
    identity: str
    rate: Rate

    def _window(self) -> tuple[str, int]:
        now = time.time()
        index = int(now // self.rate.seconds)
        retry_after = max(1, math.ceil((index + 1) * self.rate.seconds - now))
        return f"rl:{self.scope}:{_digest(self.identity)}:{index}", retry_after

    def count(self) -> int:
        key, _retry = self._window()
        return int(caches[CACHE_ALIAS].get(key, 0))

    def exceeded(self) -> int:
        """Seconds until the window ends when the limit is used up, else 0."""
        key, retry_after = self._window()
        return retry_after if int(caches[CACHE_ALIAS].get(key, 0)) >= self.rate.count else 0

    def hit(self) -> int:
        """Count one event; seconds to wait when this one went over the limit, else 0."""
        key, retry_after = self._window()
        cache = caches[CACHE_ALIAS]
        # Not cache.incr: it would give the key the cache's default timeout (5 minutes). Two
        # processes counting at the same instant may count one event less; a limit is a limit.
        used = int(cache.get(key, 0)) + 1
        cache.set(key, used, timeout=retry_after + 1)
        return retry_after if used > self.rate.count else 0

    def reset(self) -> None:
        key, _retry = self._window()
        caches[CACHE_ALIAS].delete(key)


def counter(scope: str, identity: str) -> Counter | None:
    rate = rate_for(scope)
    return None if rate is None else Counter(scope, identity, rate)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the header the TLS proxy sets when configured
    (CLUSTERHUB_CLIENT_IP_HEADER, e.g. HTTP_X_REAL_IP; its first address)."""
    header = settings.CLUSTERHUB_CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")) or "unknown"


def requester_identity(request: HttpRequest) -> str:
    """Who is writing or exporting: the person, else the API token sent, else the address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"person:{user.pk}"
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization.lower().startswith("bearer ") and authorization[7:].strip():
        return f"token:{_digest(authorization[7:].strip())}"
    return f"ip:{client_ip(request)}"


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def wait_message(seconds: int) -> str:
    minutes = _minutes(seconds)
    return ngettext(
        "Too many requests. Wait %(minutes)d minute and try again.",
        "Too many requests. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def too_many_requests(
    request: HttpRequest, retry_after: int, message: str | None = None
) -> HttpResponse:
    """429 with Retry-After: JSON {"detail": ...} under /api/, else an HTML page."""
    message = message or wait_message(retry_after)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request,
            "core/too_many_requests.html",
            {"message": message, "retry_after": retry_after},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def _mark_limited_separately(view: Callable[..., Any]) -> None:
    view.rate_limited_separately = True  # type: ignore[attr-defined]


def throttle_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in with failures limited per identifier and per address (see the module doc)."""

    @functools.wraps(view)
    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        identifier = str(request.POST.get("username", "")).strip().lower()[:254]
        counters = [
            c
            for c in (
                counter("login_account", f"account:{identifier}"),
                counter("login_ip", f"ip:{client_ip(request)}"),
            )
            if c is not None
        ]
        waits = [c.exceeded() for c in counters]
        if any(waits):
            return _login_refused(request, max(waits))
        response = view(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back: the sign-in failed
            for c in counters:
                c.hit()
        elif response.status_code in (301, 302, 303) and counters:
            account = counter("login_account", f"account:{identifier}")
            if account is not None:
                account.reset()
        return response

    _mark_limited_separately(throttled)
    return throttled


def _login_refused(request: HttpRequest, retry_after: int) -> HttpResponse:
    # The same words whether or not the address belongs to an account.
    minutes = _minutes(retry_after)
    message = ngettext(
        "Too many failed sign-in attempts. Wait %(minutes)d minute and try again.",
        "Too many failed sign-in attempts. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}
    return too_many_requests(request, retry_after, message)


def throttle_password_reset(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Password-reset requests limited per address asked for and per client address."""

    @functools.wraps(view)
    def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        address = str(request.POST.get("email", "")).strip().lower()[:254]
        counters = [
            c
            for c in (
                counter("password_reset_address", f"address:{address}"),
                counter("password_reset_ip", f"ip:{client_ip(request)}"),
            )
            if c is not None
        ]
        waits = [c.exceeded() for c in counters]
        if any(waits):
            minutes = _minutes(max(waits))
            message = ngettext(
                "Too many password reset requests. Wait %(minutes)d minute and try again.",
                "Too many password reset requests. Wait %(minutes)d minutes and try again.",
                minutes,
            ) % {"minutes": minutes}
            return too_many_requests(request, max(waits), message)
        for c in counters:
            c.hit()
        return view(request, *args, **kwargs)

    _mark_limited_separately(throttled)
    return throttled


def is_export(request: HttpRequest) -> bool:
    match = request.resolver_match
    name = (match.url_name or "") if match is not None else ""
    return bool(name) and not name.startswith("openapi") and bool(EXPORT_NAME.search(name))


class RateLimitMiddleware:
    """Writes and exports per person (or token, or address) and window; see the module doc."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view_func, "rate_limited_separately", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name == "admin:login":
            # The back office's own sign-in form, throttled as the site's.
            return throttle_login(view_func)(request, *args, **kwargs)
        if request.method in WRITE_METHODS:
            scope = "write"
        elif request.method == "GET" and is_export(request):
            scope = "export"
        else:
            return None
        limit = counter(scope, requester_identity(request))
        if limit is None:
            return None
        wait = limit.hit()
        return too_many_requests(request, wait) if wait else None
