"""API permission cases (tests/api/test_permissions.py) for the assessment operations.

MATRIX rows are (method, path, body, expected status by role); a {name} in a path or body
is filled by IDS[name](world), where world has member_org, other_org and person (None when
anonymous), and is created only when a case uses it.
"""

from collections.abc import Callable
from typing import Any

MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = []
IDS: dict[str, Callable[[Any], int]] = {}
