"""Rows of the access matrix (tests/access/matrix.py) for the digest routes.

Settings and preview are each person's own; the unsubscribe link of an email works without
signing in (its signed token names the person), and an altered token is 404."""

from tests.access.rows import EVERYONE, SIGNED_IN, Row


def _token(world):
    from clusterhub.digest.services import unsubscribe_token

    return {"token": unsubscribe_token(world.member_token.person)}


HTML: list[Row] = [
    Row("digest:settings", "GET", SIGNED_IN),
    Row("digest:settings", "POST", (302,) * 5, data=lambda w: {"frequency": "off"}, note="off"),
    Row("digest:preview", "GET", SIGNED_IN),
    Row("digest:unsubscribe", "GET", EVERYONE, _token),
    Row("digest:unsubscribe", "POST", EVERYONE, _token, note="withdraw"),
    Row(
        "digest:unsubscribe",
        "GET",
        (404,) * 5,
        lambda w: {"token": "not-a-signed-token"},
        note="altered",
    ),
]
API: list[Row] = [
    Row("api:digest_preview", "GET", (401, 200, 200, 200, 200)),
]
