"""The vocabulary of the access matrix: a Row, the roles and the usual expectations.

The rows themselves are in matrix.py and, for the apps added later, rows_<app>.py.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

World = SimpleNamespace


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    expect: tuple[int, int, int, int, int]  # anonymous, member, org_admin, manager, officer
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    note: str = ""
    json: bool = field(default=False)

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}" + (f" ({self.note})" if self.note else "")


ROLES = ("anonymous", "member", "org_admin", "manager", "officer")

EVERYONE = (200, 200, 200, 200, 200)
SIGNED_IN = (302, 200, 200, 200, 200)
MANAGERS = (302, 403, 403, 200, 200)
MANAGERS_OF_MECH = (302, 403, 403, 404, 200)  # the manager manages agrifood only

AGRIFOOD = lambda w: {"slug": "agrifood"}  # noqa: E731
MECH = lambda w: {"slug": "mech"}  # noqa: E731
MEMBER_ORG = lambda w: {"organization_id": w.member_org.pk}  # noqa: E731
OTHER_ORG = lambda w: {"organization_id": w.other_org.pk}  # noqa: E731
