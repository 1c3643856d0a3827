from typing import Any

from django.http import HttpRequest

from clusterhub.core.access import role_of


def platform(request: HttpRequest) -> dict[str, Any]:
    """The caller's role, for navigation and per-role home pages."""
    user = getattr(request, "user", None)
    return {"user_role": role_of(user) if user is not None else "anonymous"}
