"""The officers' audit page, its CSV export and GET /api/audit: the same filters, pages, and
hostile text shown as text."""

import csv
import io
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.urls import reverse

from clusterhub.audit.models import AuditAction, AuditEntry
from clusterhub.audit.services import record_audit
from clusterhub.audit.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _at(day: str):
    return mock.patch(
        "django.utils.timezone.now",
        return_value=datetime.fromisoformat(day).replace(tzinfo=UTC),
    )


@pytest.fixture
def trail(officer, manager, agrifood, mech, member_org):
    """Three known entries on three days (plus those the fixtures' roles wrote)."""
    with _at("2020-03-01T10:00"):
        role = record_audit(
            actor=manager,
            action=AuditAction.ROLE_GRANTED,
            target=member_org,
            cluster=agrifood,
            after={"role": "admin"},
        )
    with _at("2020-03-02T23:59"):
        moderation = record_audit(
            actor=officer,
            action=AuditAction.MODERATION,
            target_label="<script>alert(1)</script>",
            cluster=mech,
            before={"status": "pending"},
            after={"status": "closed"},
            note='=HYPERLINK("http://evil")',
        )
    with _at("2020-03-03T00:00"):
        imported = record_audit(
            actor=None,
            action=AuditAction.IMPORT,
            target_type="registry.organization",
            target_label="soci-2026.csv",
            cluster=agrifood,
            after={"created": 12},
        )
    return {"role": role, "moderation": moderation, "import": imported}


def _page_ids(client, **params) -> set[int]:
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    return {entry.pk for entry, _changes in response.context["rows"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "moderation"}, {"moderation"}),
        ({"actor": "MANAGER@example"}, {"role"}),
        ({"actor": "system", "date_from": "2020-03-01", "date_to": "2020-12-31"}, {"import"}),
        ({"cluster": "mech"}, {"moderation"}),
        (
            {
                "target_type": "registry.organization",
                "date_from": "2020-01-01",
                "date_to": "2020-12-31",
            },
            {"role", "import"},
        ),
        ({"date_from": "2020-03-02", "date_to": "2020-03-02"}, {"moderation"}),
        ({"date_from": "2020-03-01", "date_to": "2020-03-03"}, {"role", "moderation", "import"}),
        ({"q": "soci-2026"}, {"import"}),
        ({"q": "closed"}, {"moderation"}),  # a value after the change
        ({"cluster": "agrifood", "action": "import"}, {"import"}),
    ],
)
def test_the_filters_select_the_entries(client, officer, trail, params, expected):
    client.force_login(officer)
    assert _page_ids(client, **params) & {e.pk for e in trail.values()} == {
        trail[name].pk for name in expected
    }
    if "date_to" in params or "action" in params or "q" in params:
        # Only the known entries match these (the fixtures' own entries are of today).
        assert _page_ids(client, **params) == {trail[name].pk for name in expected}


def test_bad_filters_are_named_and_select_nothing(client, officer, trail):
    client.force_login(officer)
    response = client.get(
        reverse("audit:list"),
        {"date_from": "2020-03-05", "date_to": "2020-03-01", "cluster": "atlantis"},
    )
    assert response.status_code == 200
    assert response.context["rows"] == []
    text = response.content.decode()
    assert "The start date is after the end date." in text
    assert "Select a valid choice" in text
    csv_response = client.get(reverse("audit:export_csv"), {"date_from": "not a date"})
    assert csv_response.status_code == 400
    assert b"date_from" in csv_response.content


def test_hostile_text_is_shown_as_text(client, officer, trail):
    client.force_login(officer)
    text = client.get(reverse("audit:list"), {"action": "moderation"}).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "pending" in text and "closed" in text  # before → after


def test_the_list_is_paginated(client, officer, agrifood):
    for n in range(PAGE_SIZE + 5):
        record_audit(actor=officer, action=AuditAction.IMPORT, target_label=f"file-{n}.csv")
    client.force_login(officer)
    first = client.get(reverse("audit:list"), {"action": "import"})
    second = client.get(reverse("audit:list"), {"action": "import", "page": 2})
    assert len(first.context["rows"]) == PAGE_SIZE
    assert len(second.context["rows"]) == 5
    assert "action=import&amp;page=2" in first.content.decode()  # the filter stays


def test_the_csv_has_every_filtered_entry_and_defuses_formulas(client, officer, trail):
    client.force_login(officer)
    response = client.get(
        reverse("audit:export_csv"), {"date_from": "2020-03-01", "date_to": "2020-03-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(r["id"]) for r in rows] == [
        trail["import"].pk,
        trail["moderation"].pk,
        trail["role"].pk,
    ]
    moderation = rows[1]
    assert moderation["at_utc"] == "2020-03-02T23:59:00+00:00"
    assert moderation["actor"] == "officer@example.org"
    assert moderation["cluster"] == "mech"
    assert moderation["before"] == '{"status": "pending"}'
    assert moderation["note"] == '\'=HYPERLINK("http://evil")'


def test_the_api_filters_and_pages(client, officer, trail):
    client.force_login(officer)
    response = client.get(
        "/api/audit", {"date_from": "2020-03-01", "date_to": "2020-03-03", "limit": 2}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["id"] for item in body["items"]] == [trail["import"].pk, trail["moderation"].pk]
    moderation = body["items"][1]
    assert moderation == {
        "id": trail["moderation"].pk,
        "at": "2020-03-02T23:59:00Z",
        "actor_id": officer.pk,
        "actor": "officer@example.org",
        "action": "moderation",
        "target_type": "",
        "target_id": "",
        "target": "<script>alert(1)</script>",
        "cluster": "mech",
        "before": {"status": "pending"},
        "after": {"status": "closed"},
        "note": '=HYPERLINK("http://evil")',
    }
    filtered = client.get("/api/audit", {"actor": "manager", "cluster": "agrifood"}).json()
    assert trail["role"].pk in [item["id"] for item in filtered["items"]]
    assert {item["actor"] for item in filtered["items"]} == {"manager@example.org"}


@pytest.mark.parametrize(
    "params",
    [
        {"action": "role.stolen"},
        {"cluster": "atlantis"},
        {"date_from": "2020-03-05", "date_to": "2020-03-01"},
        {"date_from": "yesterday"},
        {"date_to": "0"},  # not read as 1970-01-01
        {"q": "x" * 201},
        {"limit": 1000},
    ],
)
def test_the_api_refuses_bad_filters(client, officer, params):
    client.force_login(officer)
    assert client.get("/api/audit", params).status_code == 422


def test_the_admin_shows_entries_read_only(client, trail):
    from tests.factories import PersonFactory

    staff = PersonFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(staff)
    entry = trail["moderation"]
    changelist = client.get(reverse("admin:audit_auditentry_changelist"))
    assert changelist.status_code == 200
    assert b"delete_selected" not in changelist.content
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(change_url).status_code == 200  # view only
    assert client.post(change_url, {"note": "altered"}).status_code == 403
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).note == entry.note
