"""The restore drill: back up, change data, restore, and the database equals the backup.

Runs on the database the suite runs on: SQLite by default, PostgreSQL when DATABASE_URL
names one (CI runs both). Erasures recorded after the backup are re-applied after it.
"""

import io
import json
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.forms.models import model_to_dict

from clusterhub.core import backups
from clusterhub.privacy.models import Erasure
from clusterhub.privacy.services import erase_person, is_erased
from clusterhub.registry.models import Membership, Organization
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    load_region_preset,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("region_preset_after_flush"),
]


@pytest.fixture(autouse=True)
def _region_preset(transactional_db):
    """The preset, loaded again for each test (the one before flushed it)."""
    load_region_preset()


def run(name, *args, **options):
    out = io.StringIO()
    call_command(name, *args, stdout=out, **options)
    return out.getvalue()


def backup_to(tmp_path):
    path = tmp_path / "backup.db"
    run("backup", "--output", str(path))
    return path


def integrity_checked():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backups.sqlite_check(connection.connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_organization")
        return cursor.fetchone()[0] >= 0


def test_restore_drill_puts_back_every_row_and_value(tmp_path, member_org, agrifood, mech):
    kept = OrganizationFactory(name="Kept As It Was", city="Parma")
    doomed = MembershipFactory(organization=kept, cluster=mech)
    doomed_values = model_to_dict(doomed)
    kept_values = model_to_dict(kept)
    counts_before = backups.table_row_counts()

    path = backup_to(tmp_path)
    meta = json.loads(backups.meta_path_for(path).read_text())
    assert meta["engine"] == connection.vendor
    assert meta["tables"] == counts_before

    # Add, edit and delete rows after the backup.
    added = OrganizationFactory(name="Added After The Backup")
    Organization.objects.filter(pk=kept.pk).update(name="Edited After", city="Bologna")
    doomed.delete()
    assert backups.table_row_counts() != counts_before

    output = run("restore", str(path), yes=True)

    assert "row counts equal to the backup's" in output
    assert backups.table_row_counts() == counts_before
    assert not Organization.objects.filter(pk=added.pk).exists()
    assert model_to_dict(Organization.objects.get(pk=kept.pk)) == kept_values
    assert model_to_dict(Membership.objects.get(pk=doomed_values["id"])) == doomed_values
    assert integrity_checked()
    # The database takes new rows after the restore (sequences restored too).
    assert OrganizationFactory(name="After The Restore").pk


def test_an_erasure_recorded_after_the_backup_is_reapplied(tmp_path, member, officer):
    before = PersonFactory(email="erased-before@example.org", full_name="Erased Before")
    erase_person(person=before, actor=officer)
    path = backup_to(tmp_path)

    result = erase_person(person=member, actor=officer)
    output = run("restore", str(path), yes=True)

    assert "Erasures recorded since: 1, re-applied: 1." in output
    member.refresh_from_db()
    assert is_erased(member)
    assert member.full_name == result.pseudonym
    assert not member.has_usable_password()
    assert Erasure.objects.filter(person_id=member.pk, pseudonym=result.pseudonym).count() == 1
    # The erasure taken before the backup came back with the backup, as it was.
    assert Erasure.objects.filter(person_id=before.pk).count() == 1


def test_restore_refuses_without_yes_and_changes_nothing(tmp_path, member_org):
    path = backup_to(tmp_path)
    added = OrganizationFactory(name="Still Here")
    with pytest.raises(CommandError, match="--yes"):
        run("restore", str(path))
    assert Organization.objects.filter(pk=added.pk).exists()


def test_restore_refuses_a_backup_without_its_metadata(tmp_path, member_org):
    path = backup_to(tmp_path)
    backups.meta_path_for(path).unlink()
    with pytest.raises(CommandError, match=r"meta\.json is missing"):
        run("restore", str(path), yes=True)


def test_restore_refuses_a_backup_of_another_engine(tmp_path, member_org):
    path = backup_to(tmp_path)
    meta = backups.meta_path_for(path)
    data = json.loads(meta.read_text())
    data["engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    meta.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="backup; this database is"):
        run("restore", str(path), yes=True)
    assert Organization.objects.filter(pk=member_org.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite file check")
def test_a_damaged_sqlite_backup_is_refused_before_anything_is_replaced(tmp_path, member_org):
    path = backup_to(tmp_path)
    path.write_bytes(path.read_bytes()[:4096] + b"\x00" * 4096)
    with pytest.raises(CommandError):
        run("restore", str(path), yes=True)
    assert Organization.objects.filter(pk=member_org.pk).exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite file check")
def test_a_sqlite_backup_is_one_self_contained_checked_file(tmp_path, member_org):
    path = backup_to(tmp_path)
    copy = sqlite3.connect(path)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = copy.execute("SELECT name FROM registry_organization").fetchall()
    finally:
        copy.close()
    assert (member_org.name,) in names


def test_a_missing_postgresql_client_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(backups, "POSTGRES_BIN_GLOB", str(tmp_path / "nowhere"))
    with pytest.raises(backups.BackupError, match="pg_dump was not found on PATH"):
        backups.postgres_tool("pg_dump")
