"""Abuse limits: 429 with Retry-After for sign-in, password reset, writes and exports.

The limits are set low here with override_settings; the defaults are generous.
"""

import re
import time

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from clusterhub.core.ratelimit import Rate, parse_rate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NO_LIMITS = {
    "login_account": "",
    "login_ip": "",
    "password_reset_address": "",
    "password_reset_ip": "",
    "write": "",
    "export": "",
}


def limits(**rates):
    return override_settings(CLUSTERHUB_RATE_LIMITS={**NO_LIMITS, **rates})


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("people:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def visible_text(response):
    """The page without the parts that change on every request (CSRF token, nonce)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'value="[^"]*@[^"]*"', "", html)


def assert_too_many(response):
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 3600
    return retry_after


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/15m", Rate(10, 900)),
        ("120/m", Rate(120, 60)),
        ("5/3600", Rate(5, 3600)),
        ("3/h", Rate(3, 3600)),
        ("", None),
        ("0/m", None),
    ],
)
def test_rates_are_read_from_settings_text(text, rate):
    assert parse_rate(text) == rate


def test_a_malformed_rate_is_refused_with_its_text():
    with pytest.raises(ValueError, match="ten per minute"):
        parse_rate("ten per minute")


@limits(login_account="3/15m", login_ip="100/15m")
def test_failed_sign_ins_for_one_account_are_limited(client, member):
    for _attempt in range(3):
        assert sign_in(client, member.email, "wrong password").status_code == 200
    refused = sign_in(client, member.email, "wrong password")
    assert_too_many(refused)
    assert b"Too many failed sign-in attempts" in refused.content
    # While throttled even the right password is refused, and nobody is signed in.
    assert_too_many(sign_in(client, member.email, PASSWORD))
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not affected.
    assert sign_in(client, "someone-else@example.org", "x").status_code == 200


@limits(login_account="3/15m", login_ip="100/15m")
def test_throttling_does_not_reveal_whether_an_account_exists(client, member):
    unknown = "nobody-here@example.org"
    for _attempt in range(3):
        wrong = sign_in(client, member.email, "wrong password")
        missing = sign_in(client, unknown, "wrong password")
        assert wrong.status_code == missing.status_code == 200
        assert visible_text(wrong) == visible_text(missing)
    wrong, missing = (
        sign_in(client, member.email, "wrong"),
        sign_in(client, unknown, "wrong"),
    )
    assert wrong.status_code == missing.status_code == 429
    assert visible_text(wrong) == visible_text(missing)
    assert wrong["Retry-After"] == missing["Retry-After"] or (
        abs(int(wrong["Retry-After"]) - int(missing["Retry-After"])) <= 1
    )


@limits(login_account="100/15m", login_ip="3/15m")
def test_failed_sign_ins_from_one_address_are_limited_across_accounts(client, member):
    for n in range(3):
        assert sign_in(client, f"guess{n}@example.org", "x", ip="10.9.9.9").status_code == 200
    assert_too_many(sign_in(client, "guess-next@example.org", "x", ip="10.9.9.9"))
    # The member, from their own address, still signs in.
    assert sign_in(client, member.email, PASSWORD, ip="10.1.1.1").status_code == 302


@limits(login_account="2/15m", login_ip="100/15m")
def test_successful_sign_ins_do_not_count_and_clear_the_accounts_failures(client, member):
    assert sign_in(client, member.email, "wrong").status_code == 200
    for _round in range(3):
        assert sign_in(client, member.email, PASSWORD).status_code == 302
        client.post(reverse("people:logout"))
    assert sign_in(client, member.email, "wrong").status_code == 200
    assert sign_in(client, member.email, "wrong").status_code == 200
    assert_too_many(sign_in(client, member.email, "wrong"))


@limits(login_account="2/15m", login_ip="100/15m")
def test_the_back_office_sign_in_is_limited_too(client, member):
    url = reverse("admin:login")
    for _attempt in range(2):
        response = client.post(url, {"username": member.email, "password": "wrong"})
        assert response.status_code == 200
    refused = client.post(url, {"username": member.email, "password": "wrong"})
    assert_too_many(refused)


def reset(client, email, ip="10.0.0.2"):
    return client.post(reverse("people:password_reset"), {"email": email}, REMOTE_ADDR=ip)


@limits(password_reset_address="2/h", password_reset_ip="100/h")
def test_password_reset_is_limited_per_address_with_the_same_answer_for_unknown_ones(
    client, member
):
    for _attempt in range(2):
        known, unknown = reset(client, member.email), reset(client, "nobody@example.org")
        assert known.status_code == unknown.status_code == 302
        assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 2  # only the real account gets mail
    known, unknown = reset(client, member.email), reset(client, "nobody@example.org")
    assert_too_many(known)
    assert_too_many(unknown)
    assert visible_text(known) == visible_text(unknown)
    assert b"Too many password reset requests" in known.content
    assert len(mail.outbox) == 2


@limits(password_reset_address="2/h", password_reset_ip="100/h")
def test_a_counter_lasts_its_whole_window_not_the_caches_default_timeout(client, monkeypatch):
    start = (time.time() // 3600 + 1) * 3600 + 10  # just after an hour begins
    clock = [start]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    assert reset(client, "a@example.org").status_code == 302
    assert reset(client, "a@example.org").status_code == 302
    clock[0] = start + 40 * 60  # 40 minutes later, the same hour
    refused = reset(client, "a@example.org")
    assert_too_many(refused)
    assert 19 * 60 <= int(refused["Retry-After"]) <= 20 * 60
    clock[0] = start + 3600  # the next hour
    assert reset(client, "a@example.org").status_code == 302


@limits(password_reset_address="100/h", password_reset_ip="2/h")
def test_password_reset_is_limited_per_client_address(client):
    assert reset(client, "a@example.org", ip="10.7.7.7").status_code == 302
    assert reset(client, "b@example.org", ip="10.7.7.7").status_code == 302
    assert_too_many(reset(client, "c@example.org", ip="10.7.7.7"))
    assert reset(client, "c@example.org", ip="10.7.7.8").status_code == 302


@limits(write="3/m")
def test_writes_are_limited_per_person_with_a_json_answer_in_the_api(client, member, manager):
    client.force_login(member)
    for n in range(3):
        response = client.post("/api/tokens", {"name": f"t{n}"}, content_type="application/json")
        assert response.status_code == 201
    refused = client.post("/api/tokens", {"name": "t4"}, content_type="application/json")
    assert_too_many(refused)
    assert refused["Content-Type"].startswith("application/json")
    assert "Too many requests" in refused.json()["detail"]
    assert member.api_tokens.count() == 3  # the refused write stored nothing
    # Reading is not a write, and another person has their own allowance.
    assert client.get("/api/people/me").status_code == 200
    client.force_login(manager)
    assert (
        client.post("/api/tokens", {"name": "m"}, content_type="application/json").status_code
        == 201
    )


@limits(write="2/m")
def test_html_writes_get_an_html_page_with_retry_after(client, member):
    client.force_login(member)
    url = reverse("people:account")
    for _attempt in range(2):
        response = client.post(url, {"full_name": "Ada", "language": "en"})
        assert response.status_code in (200, 302)
    refused = client.post(url, {"full_name": "Changed", "language": "en"})
    assert_too_many(refused)
    assert refused["Content-Type"].startswith("text/html")
    assert b"Too many requests" in refused.content
    member.refresh_from_db()
    assert member.full_name == "Ada"


@limits(write="2/m")
def test_anonymous_writes_are_counted_per_client_address(client):
    url = "/api/tokens"
    for _attempt in range(2):
        assert (
            client.post(
                url, {}, content_type="application/json", REMOTE_ADDR="10.3.3.3"
            ).status_code
            == 401
        )
    assert_too_many(client.post(url, {}, content_type="application/json", REMOTE_ADDR="10.3.3.3"))
    assert (
        client.post(url, {}, content_type="application/json", REMOTE_ADDR="10.3.3.4").status_code
        == 401
    )


@limits(export="2/m")
def test_exports_are_limited_in_pages_and_in_the_api(client, member_org):
    html_export = reverse("registry_export:organizations_csv")
    assert client.get(html_export).status_code == 200
    assert client.get("/api/export/organizations.csv").status_code == 200
    assert_too_many(client.get(html_export))
    refused = client.get("/api/export/organizations.json")
    assert_too_many(refused)
    assert "detail" in refused.json()
    # Ordinary pages and the API schema are not exports.
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get("/api/openapi.json").status_code == 200


@limits(export="1/m")
def test_a_persons_own_data_export_is_an_export(client, member):
    client.force_login(member)
    assert client.get("/api/me/export").status_code == 200
    assert_too_many(client.get(reverse("privacy:export")))


def test_default_limits_leave_room_for_normal_use(client, member):
    client.force_login(member)
    for _attempt in range(10):
        assert client.get(reverse("registry_export:organizations_csv")).status_code == 200
    for n in range(20):
        response = client.post("/api/tokens", {"name": f"t{n}"}, content_type="application/json")
        assert response.status_code == 201
