"""API permission cases (tests/api/test_permissions.py) for the agenda operations."""

from collections.abc import Callable
from typing import Any

MATRIX: list[tuple[str, str, Any, dict[Any, int]]] = []
IDS: dict[str, Callable[[Any], int]] = {}


# agenda-core ------------------------------------------------------------------------------
from clusterhub.core.access import Role as _Role  # noqa: E402
from tests.access.rows_agenda import core_agenda as _core_agenda  # noqa: E402

_A, _M, _OA, _MG, _OF = (
    _Role.ANONYMOUS,
    _Role.MEMBER,
    _Role.ORG_ADMIN,
    _Role.MANAGER,
    _Role.OFFICER,
)
_AGENDA = "/api/clusters/agrifood/agenda"
_MECH_AGENDA = "/api/clusters/mech/agenda"
_MANAGER_WRITE = {_A: 401, _M: 403, _OA: 403, _MG: 201, _OF: 201}
_NEW_AGENDA_ITEM = {"title": "Nuovo tema", "objective": "Un obiettivo."}

MATRIX += [
    ("GET", f"{_AGENDA}/versions", None, dict.fromkeys(_Role, 200)),
    ("GET", f"{_AGENDA}/versions/{{agenda_published}}", None, dict.fromkeys(_Role, 200)),
    (
        "GET",
        f"{_AGENDA}/versions/{{agenda_draft}}",
        None,
        {_A: 404, _M: 404, _OA: 404, _MG: 200, _OF: 200},
    ),
    (
        "GET",
        f"{_MECH_AGENDA}/versions/{{agenda_mech_draft}}",
        None,
        {_A: 404, _M: 404, _OA: 404, _MG: 404, _OF: 200},
    ),
    (
        "POST",
        f"{_AGENDA}/versions",
        {"title": "Agenda 2027"},
        _MANAGER_WRITE,  # no agenda objects made for this case: the first version
    ),
    (
        "POST",
        "/api/clusters/build/agenda/versions",
        {"title": "Agenda edilizia"},
        {_A: 401, _M: 403, _OA: 403, _MG: 404, _OF: 201},
    ),
    (
        "POST",
        f"{_AGENDA}/versions/{{agenda_draft}}/items",
        _NEW_AGENDA_ITEM,
        _MANAGER_WRITE,
    ),
    (
        "POST",
        f"{_MECH_AGENDA}/versions/{{agenda_mech_draft}}/items",
        _NEW_AGENDA_ITEM,
        {_A: 401, _M: 403, _OA: 403, _MG: 404, _OF: 201},
    ),
    (
        "PATCH",
        f"{_AGENDA}/items/{{agenda_draft_item}}",
        {"revision": 1, "title": "Imballaggi riciclabili"},
        {_A: 401, _M: 403, _OA: 403, _MG: 200, _OF: 200},
    ),
    (
        "PATCH",
        f"{_AGENDA}/items/{{agenda_draft_item}}",
        {"revision": 7, "title": "Da una revisione vecchia"},
        {_A: 401, _M: 403, _OA: 403, _MG: 409, _OF: 409},
    ),
    (
        "PATCH",
        f"{_AGENDA}/items/{{agenda_published_item}}",
        {"revision": 1, "title": "Congelato"},
        {_A: 401, _M: 403, _OA: 403, _MG: 422, _OF: 422},
    ),
    (
        "POST",
        f"{_AGENDA}/items/{{agenda_draft_item}}/split",
        {
            "revision": 1,
            "parts": [{"title": "A", "objective": "a"}, {"title": "B", "objective": "b"}],
        },
        _MANAGER_WRITE,
    ),
    (
        "POST",
        f"{_AGENDA}/versions/{{agenda_draft}}/merge",
        {
            # Lists are not filled with ids here: items of no version, so the managers get
            # past the gate to the check (a real merge is in tests/access/rows_agenda.py).
            "items": [999999998, 999999999],
            "title": "Insieme",
            "objective": "Uniti.",
        },
        {_A: 401, _M: 403, _OA: 403, _MG: 422, _OF: 422},
    ),
    (
        "POST",
        f"{_AGENDA}/versions/{{agenda_draft}}/phase",
        {
            "step": "open",
            "opens_at": "2026-01-01T09:00:00Z",
            "closes_at": "2099-01-01T09:00:00Z",
            "voting_method": "points",
            "points_budget": 12,
        },
        {_A: 401, _M: 403, _OA: 403, _MG: 200, _OF: 200},
    ),
    (
        "POST",
        f"{_MECH_AGENDA}/versions/{{agenda_mech_draft}}/phase",
        {"step": "publish"},
        {_A: 401, _M: 403, _OA: 403, _MG: 404, _OF: 422},
    ),
]

for _name in (
    "published",
    "draft",
    "mech_draft",
    "published_item",
    "draft_item",
    "second_item",
    "mech_item",
):
    IDS[f"agenda_{_name}"] = lambda world, _name=_name: _core_agenda(world)[_name]
# end agenda-core --------------------------------------------------------------------------


# agenda-publication -----------------------------------------------------------------------
# Published versions are public; a draft answers 404 to everyone on these operations, and
# the comparison takes what the caller may read (the draft: its cluster's managers and the
# officers).
_PUBLIC = "/api/agenda/published"
_EVERYONE = dict.fromkeys(_Role, 200)
_NOBODY = dict.fromkeys(_Role, 404)

MATRIX += [
    ("GET", _PUBLIC, None, _EVERYONE),
    ("GET", f"{_PUBLIC}/agrifood", None, _EVERYONE),
    ("GET", f"{_PUBLIC}/nowhere", None, _NOBODY),
    ("GET", f"{_PUBLIC}/agrifood/versions/{{agenda_published}}", None, _EVERYONE),
    ("GET", f"{_PUBLIC}/agrifood/versions/{{agenda_draft}}", None, _NOBODY),
    (
        "GET",
        f"{_PUBLIC}/agrifood/versions/{{agenda_published}}/items/{{agenda_published_item}}",
        None,
        _EVERYONE,
    ),
    (
        "GET",
        f"{_PUBLIC}/agrifood/versions/{{agenda_draft}}/items/{{agenda_draft_item}}",
        None,
        _NOBODY,
    ),
    ("GET", f"{_PUBLIC}/agrifood/versions/{{agenda_published}}/export.csv", None, _EVERYONE),
    ("GET", f"{_PUBLIC}/agrifood/versions/{{agenda_draft}}/export.csv", None, _NOBODY),
    (
        "GET",
        f"{_PUBLIC}/agrifood/diff?from={{agenda_published}}&to={{agenda_draft}}",
        None,
        {_A: 404, _M: 404, _OA: 404, _MG: 200, _OF: 200},
    ),
    (
        "GET",
        f"{_PUBLIC}/agrifood/diff?from={{agenda_published}}&to={{agenda_published}}",
        None,
        _EVERYONE,
    ),
    ("GET", f"{_PUBLIC}/agrifood/diff", None, dict.fromkeys(_Role, 422)),
    ("GET", f"{_PUBLIC}/agrifood/diff?from=x&to=2", None, dict.fromkeys(_Role, 422)),
]
# end agenda-publication -------------------------------------------------------------------


# agenda-consultation ----------------------------------------------------------------------
# Objects: see consult_agenda in tests/access/rows_agenda.py (agrifood v3 and mech v2 in
# consultation, each with an item and a pending amendment). Taking part: the member and the
# org admin (member_org, agrifood); the manager and the officer have no organization (403).
from tests.access.rows_agenda import consult_agenda as _consult_agenda  # noqa: E402

_ITEM = "/api/agenda/items/{consult_item}"
_MECH_ITEM = "/api/agenda/items/{mech_consult_item}"
_TAKE_PART = {_A: 401, _M: 201, _OA: 201, _MG: 403, _OF: 403}
_READ = {_A: 404, _M: 200, _OA: 200, _MG: 200, _OF: 200}
_AMENDMENT = {"title": "Economia circolare e riuso", "rationale": "Più chiaro."}
_DECISION = {"decision": "reject", "reason": "Fuori tema."}

MATRIX += [
    ("GET", f"{_ITEM}/comments", None, _READ),
    ("POST", f"{_ITEM}/comments", {"text": "Bene."}, _TAKE_PART),
    (
        "POST",
        f"{_MECH_ITEM}/comments",
        {"text": "Bene."},
        {_A: 401, _M: 404, _OA: 404, _MG: 404, _OF: 403},
    ),
    ("GET", f"{_ITEM}/amendments", None, _READ),
    ("POST", f"{_ITEM}/amendments", _AMENDMENT, _TAKE_PART),
    (
        "POST",
        "/api/agenda/amendments/{consult_amendment}/decision",
        _DECISION,
        {_A: 401, _M: 403, _OA: 403, _MG: 200, _OF: 200},
    ),
    (
        "POST",
        "/api/agenda/amendments/{mech_consult_amendment}/decision",
        _DECISION,
        {_A: 401, _M: 403, _OA: 403, _MG: 404, _OF: 200},
    ),
    ("GET", f"{_ITEM}/ballot", None, {_A: 401, _M: 200, _OA: 200, _MG: 403, _OF: 403}),
    ("PUT", f"{_ITEM}/ballot", {"value": 1}, {_A: 401, _M: 200, _OA: 200, _MG: 403, _OF: 403}),
    ("PUT", f"{_ITEM}/ballot", {"value": 7}, {_A: 401, _M: 422, _OA: 422, _MG: 403, _OF: 403}),
    (
        "PUT",
        f"{_MECH_ITEM}/ballot",
        {"value": 1},
        {_A: 401, _M: 404, _OA: 404, _MG: 404, _OF: 403},
    ),
    ("DELETE", f"{_ITEM}/ballot", None, {_A: 401, _M: 204, _OA: 204, _MG: 403, _OF: 403}),
    (
        "GET",
        f"{_AGENDA}/versions/{{consult_version}}/results",
        None,
        {_A: 404, _M: 403, _OA: 403, _MG: 200, _OF: 200},
    ),
    ("GET", f"{_AGENDA}/versions/{{agenda_published}}/results", None, dict.fromkeys(_Role, 200)),
]

for _name, _key in (
    ("consult_item", "consult_item"),
    ("mech_consult_item", "mech_consult_item"),
    ("consult_amendment", "amendment"),
    ("mech_consult_amendment", "mech_amendment"),
    ("consult_version", "consult"),
):
    IDS[_name] = lambda world, _key=_key: _consult_agenda(world)[_key]
# end agenda-consultation ------------------------------------------------------------------
