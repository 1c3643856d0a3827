"""API permission cases (tests/api/test_permissions.py) for the privacy operations."""

from collections.abc import Callable
from typing import Any

MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = []
IDS: dict[str, Callable[[Any], int]] = {}
