"""API permission cases (tests/api/test_permissions.py) for the contributions operations.

MATRIX rows are (method, path, body, expected status by role); a {name} in a path or body
is filled by IDS[name](world), where world has member_org, other_org and person (None when
anonymous), and is created only when a case uses it.
"""

from collections.abc import Callable
from typing import Any

from clusterhub.core.access import Role
from tests.access.rows_contributions import contribution

A, M, OA, MG, OF = Role.ANONYMOUS, Role.MEMBER, Role.ORG_ADMIN, Role.MANAGER, Role.OFFICER

NEW = {
    "kind": "need",
    "title": "Manutenzione predittiva",
    "text": "Cerchiamo partner per la manutenzione predittiva delle linee.",
    "clusters": ["agrifood"],
    "s3_themes": [],
    "competences": [],
}

MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = [
    ("GET", "/api/contributions", None, dict.fromkeys(Role, 200)),
    ("GET", "/api/contributions/{agri}", None, {A: 404, M: 200, OA: 200, MG: 200, OF: 200}),
    ("GET", "/api/contributions/{mech}", None, {A: 404, M: 404, OA: 404, MG: 404, OF: 200}),
    (
        "POST",
        "/api/contributions/drafts/check",
        {"text": "manutenzione predittiva"},
        {A: 401, M: 200, OA: 200, MG: 200, OF: 200},
    ),
    ("POST", "/api/contributions", NEW, {A: 401, M: 201, OA: 201, MG: 403, OF: 403}),
    (
        "POST",
        "/api/contributions",
        {**NEW, "clusters": ["mech"]},
        {A: 401, M: 422, OA: 422, MG: 403, OF: 403},
    ),
    (
        "POST",
        "/api/contributions/{agri}/endorsement",
        None,
        {A: 401, M: 201, OA: 201, MG: 403, OF: 403},
    ),
    (
        "DELETE",
        "/api/contributions/{agri}/endorsement",
        None,
        {A: 401, M: 204, OA: 204, MG: 204, OF: 204},
    ),
    (
        "POST",
        "/api/contributions/{mech}/comments",
        {"text": "Anche noi"},
        {A: 401, M: 404, OA: 404, MG: 404, OF: 201},
    ),
    (
        "POST",
        "/api/contributions/{agri_pending}/moderation",
        {"action": "approve"},
        {A: 401, M: 403, OA: 403, MG: 200, OF: 200},
    ),
    (
        "POST",
        "/api/contributions/{mech_pending}/moderation",
        {"action": "approve"},
        {A: 401, M: 403, OA: 403, MG: 404, OF: 200},
    ),
]

IDS: dict[str, Callable[[Any], int]] = {
    "agri": lambda w: contribution(w, "agrifood", "approved"),
    "mech": lambda w: contribution(w, "mech", "approved"),
    "agri_pending": lambda w: contribution(w, "agrifood", "pending"),
    "mech_pending": lambda w: contribution(w, "mech", "pending"),
}
