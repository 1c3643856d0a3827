"""The audit trail is append-only: in Python (model, queryset, managers) and in the database
(triggers on SQLite and PostgreSQL), yet a person's deletion still clears the actor link and
flushing the test database still works."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from clusterhub.audit.models import AppendOnlyError, AuditAction, AuditEntry
from clusterhub.audit.services import record_audit
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(officer):
    return record_audit(
        actor=officer, action=AuditAction.IMPORT, target_label="soci.csv", after={"created": 3}
    )


def _row(pk: int) -> tuple:
    return AuditEntry.objects.filter(pk=pk).values_list("action", "target_label", "after").get()


def test_an_entry_cannot_be_saved_again(entry):
    entry.target_label = "altered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert _row(entry.pk) == ("import", "soci.csv", {"created": 3})


def test_a_new_object_with_an_existing_id_does_not_overwrite_it(entry):
    forged = AuditEntry(pk=entry.pk, action=AuditAction.MERGE, target_label="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        forged.save()
    assert _row(entry.pk) == ("import", "soci.csv", {"created": 3})


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "write",
    [
        lambda qs: qs.update(target_label="altered"),
        lambda qs: qs.update(actor=None, note="hidden"),  # nulling plus another change
        lambda qs: qs.delete(),
        lambda qs: AuditEntry._base_manager.filter(pk__in=qs).delete(),
        lambda qs: AuditEntry.objects.bulk_update(
            [AuditEntry(pk=e.pk, note="x") for e in qs], ["note"]
        ),
        lambda qs: AuditEntry.objects.update_or_create(pk=qs[0].pk, defaults={"note": "x"}),
    ],
    ids=["update", "update-with-null", "delete", "base-manager-delete", "bulk-update", "upsert"],
)
def test_querysets_refuse_updates_and_deletes(entry, write):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        write(AuditEntry.objects.filter(pk=entry.pk))
    assert _row(entry.pk) == ("import", "soci.csv", {"created": 3})


def test_deleting_the_actor_keeps_the_entry_and_its_label(entry, officer):
    officer.delete()
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.actor_id is None
    assert kept.actor_label == "officer@example.org"


# --- The database refuses too (raw SQL bypasses every Python guard) ---------------------

TABLE = AuditEntry._meta.db_table


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET target_label = 'altered' WHERE id = %s",
        f"UPDATE {TABLE} SET after = '{{}}' WHERE id = %s",
        f"UPDATE {TABLE} SET action = 'merge', actor_id = NULL WHERE id = %s",
        f"UPDATE {TABLE} SET actor_id = actor_id + 1000 WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ],
    ids=["label", "after", "null-plus-change", "other-actor", "delete"],
)
def test_the_database_refuses_raw_updates_and_deletes(entry, sql):
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw(sql, [entry.pk])
    assert _row(entry.pk) == ("import", "soci.csv", {"created": 3})


def test_the_database_lets_the_actor_be_cleared(entry):
    _raw(f"UPDATE {TABLE} SET actor_id = NULL WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).actor_id is None


def test_the_triggers_are_installed():
    """A later migration that rebuilds the table on SQLite drops its triggers: this notices."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            expected = {"audit_entry_no_update", "audit_entry_no_delete"}
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [TABLE],
            )
            expected = {"audit_entry_append_only"}
        assert {name for (name,) in cursor.fetchall()} == expected


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_nothing_else_may(region_preset_reloaded):
    """Transactional tests end with `flush`, which must still empty the table."""
    person = PersonFactory(email="someone@example.org", is_regional_officer=True)
    assert AuditEntry.objects.filter(target_id=str(person.pk)).exists()
    with pytest.raises(DatabaseError):
        _raw(f"DELETE FROM {TABLE}", [])
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 0
    # The guard is back after the flush.
    record_audit(actor=None, action=AuditAction.IMPORT, target_label="after the flush")
    with pytest.raises(DatabaseError):
        _raw(f"DELETE FROM {TABLE}", [])


@pytest.fixture
def region_preset_reloaded(django_db_blocker):
    """This test flushes the database: put the region preset back for the tests after it."""
    yield
    from django.conf import settings

    with django_db_blocker.unblock():
        call_command("load_region", settings.CLUSTERHUB_REGION_PRESET, verbosity=0)
