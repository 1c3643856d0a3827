"""Rows of the access matrix (tests/access/matrix.py) for the audit routes: regional officers
only, read-only (a write to a page is refused with 405)."""

from tests.access.rows import Row

OFFICERS = (302, 403, 403, 403, 200)
OFFICERS_NO_WRITE = (302, 403, 403, 403, 405)

HTML: list[Row] = [
    Row("audit:list", "GET", OFFICERS),
    Row("audit:list", "GET", OFFICERS, data=lambda w: {"action": "role.granted"}, note="filter"),
    Row("audit:list", "POST", OFFICERS_NO_WRITE, note="write"),
    Row("audit:export_csv", "GET", OFFICERS),
    Row("audit:export_csv", "POST", OFFICERS_NO_WRITE, note="write"),
]
API: list[Row] = [
    Row("api:list_audit_entries", "GET", (401, 403, 403, 403, 200)),
]
