"""No route can edit or delete the audit trail: every audit URL, every API operation on the
trail and the back office's audit pages are called with every write method, as the most
powerful people, and the trail is compared before and after."""

import pytest
from django.urls import reverse

from clusterhub.audit.models import AuditAction, AuditEntry
from clusterhub.audit.services import record_audit
from tests.access.routes import api_operations, walk
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")


def _trail() -> list[tuple]:
    return list(AuditEntry.objects.order_by("pk").values_list())


@pytest.fixture
def entry(officer, agrifood):
    return record_audit(
        actor=officer,
        action=AuditAction.MERGE,
        target_label="kept",
        cluster=agrifood,
        before={"name": "dup"},
        after={"kept": 1},
        note="original",
    )


@pytest.fixture
def root(db):
    """Regional officer and superuser: whatever a route allows, this person may do."""
    return PersonFactory(
        email="root@example.org", is_regional_officer=True, is_staff=True, is_superuser=True
    )


def _trail_operations():
    return [op for op in api_operations() if op[1] == "/audit" or op[1].startswith("/audit/")]


def audit_paths(entry) -> list[str]:
    pages = [r for r in walk() if r.name and r.name.startswith("audit:")]
    api = sorted({"/api" + path for _method, path, _f in _trail_operations()})
    admin = [
        reverse("admin:audit_auditentry_changelist"),
        reverse("admin:audit_auditentry_add"),
        reverse("admin:audit_auditentry_change", args=[entry.pk]),
        reverse("admin:audit_auditentry_delete", args=[entry.pk]),
        reverse("admin:audit_auditentry_history", args=[entry.pk]),
    ]
    return [reverse(r.name) for r in pages] + api + admin


def test_the_routes_walked_are_all_there(entry):
    paths = audit_paths(entry)
    assert {"/audit/", "/audit/export.csv", "/api/audit"} <= set(paths)


def test_every_operation_on_the_trail_in_the_api_only_reads():
    assert {(method, path) for method, path, _f in _trail_operations()} == {("GET", "/audit")}


@pytest.mark.parametrize("method", WRITES)
def test_no_write_to_any_audit_route_changes_the_trail(client, root, entry, method):
    client.force_login(root)
    before = _trail()
    answers = {}
    for path in audit_paths(entry):
        body = {"note": "altered", "action": "import", "post": "yes", "_save": "1"}
        call = getattr(client, method)
        if method == "post":
            answers[path] = call(path, body).status_code
        else:
            answers[path] = call(path, body, content_type="application/json").status_code

    assert _trail() == before
    # Our own routes refuse every write method. (The back office's read-only pages answer
    # any method by showing the page; its add, change and delete refuse a POST with 403, see
    # test_views.py, and the trail above is unchanged whatever they answered.)
    ours = {p: s for p, s in answers.items() if not p.startswith(reverse("admin:index"))}
    assert {p: s for p, s in ours.items() if s < 400} == {}
    assert len(ours) == 3
