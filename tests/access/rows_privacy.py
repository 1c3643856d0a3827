"""Rows of the access matrix (tests/access/matrix.py) for the privacy routes.

The privacy notice is public; each person's privacy page, export, consents and self-erasure
are their own (an invalid erasure request answers 400: no password); officers erase others."""

from tests.access.rows import EVERYONE, SIGNED_IN, Row

OFFICERS = (302, 403, 403, 403, 200)

HTML: list[Row] = [
    Row("privacy:notice", "GET", EVERYONE),
    Row("privacy:account", "GET", SIGNED_IN),
    Row("privacy:export", "GET", SIGNED_IN),
    Row(
        "privacy:consent",
        "POST",
        (302,) * 5,
        lambda w: {"purpose": "directory"},
        lambda w: {"action": "give"},
    ),
    Row("privacy:erase", "POST", (302, 400, 400, 400, 400), note="no password"),
    Row("privacy:erasures", "GET", OFFICERS),
    Row("privacy:erasures", "POST", (302, 403, 403, 403, 400), note="no email"),
]
API: list[Row] = [
    Row("api:export_my_data", "GET", (401, 200, 200, 200, 200)),
]
