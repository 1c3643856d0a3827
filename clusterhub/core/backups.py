"""Backups of the database and their restore, for SQLite and PostgreSQL (docs/operations.md).

A backup is one file plus a metadata file next to it (`<file>.meta.json`): when it was taken
(UTC, at its start), the engine, and the number of rows of every table. SQLite is copied with
sqlite3's online backup API (a consistent copy while the server keeps writing); PostgreSQL with
`pg_dump -Fc`, from the snapshot the row counts were read in.

A restore puts the copy back (sqlite3's backup API the other way; `pg_restore --clean
--if-exists --no-owner --single-transaction`), checks it (SQLite's integrity and foreign-key
checks; the row counts of every table equal the backup's), applies any newer migrations, and
then re-applies the erasures recorded after the backup was taken, read from the database
before it was replaced: a restore never brings back a person's erased data.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from glob import glob
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.dateparse import parse_datetime

META_SUFFIX = ".meta.json"
# Where Debian keeps the PostgreSQL client programs of each major version.
POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class BackupInfo:
    path: Path
    taken_at: datetime
    engine: str
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def meta_path(self) -> Path:
        return meta_path_for(self.path)

    def write_meta(self) -> None:
        data = {
            "format": FORMAT,
            "taken_at": self.taken_at.isoformat(),
            "engine": self.engine,
            "file": self.path.name,
            "tables": self.tables,
        }
        self.meta_path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def meta_path_for(path: Path) -> Path:
    return path.with_name(path.name + META_SUFFIX)


def read_meta(path: Path) -> BackupInfo:
    meta = meta_path_for(path)
    if not meta.exists():
        raise BackupError(f"{meta} is missing: it records when the backup was taken.")
    try:
        data = json.loads(meta.read_text())
        taken_at = parse_datetime(str(data["taken_at"]))
        engine = str(data["engine"])
        tables = {str(k): int(v) for k, v in dict(data.get("tables", {})).items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{meta} is not a backup's metadata file: {exc}") from exc
    if taken_at is None or taken_at.tzinfo is None:
        raise BackupError(f"{meta}: taken_at is not a date and time with its time zone.")
    return BackupInfo(path=path, taken_at=taken_at, engine=engine, tables=tables)


def engine_of(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def default_backup_path(engine: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".sqlite3" if engine == "sqlite" else ".dump"
    return Path(settings.BASE_DIR) / "var" / "backups" / f"clusterhub-{stamp}{suffix}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _row_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalog
        counts[table] = int(cursor.fetchone()[0])
    return counts


def table_row_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows of every table of the live database (the checks and the drill compare these)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _row_counts(cursor, [t for t in tables if not t.startswith("sqlite_")])


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_raw(alias: str) -> sqlite3.Connection:
    connection = connections[alias]
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [str(row[0]) for row in rows]


def sqlite_check(db: sqlite3.Connection) -> None:
    """SQLite's integrity and foreign-key checks; BackupError naming the first problems."""
    try:
        problems = [str(row[0]) for row in db.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Integrity check failed: {exc}") from exc
    if problems != ["ok"]:
        raise BackupError("Integrity check failed: " + "; ".join(problems[:5]))
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        first = ", ".join(f"{row[0]} row {row[1]} -> {row[2]}" for row in broken[:5])
        raise BackupError(f"{len(broken)} rows point to missing rows: {first}")


def _sqlite_backup(path: Path, alias: str) -> BackupInfo:
    taken_at = datetime.now(UTC)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        _sqlite_raw(alias).backup(target)
        # One self-contained file, whatever the live database's journal mode.
        target.execute("PRAGMA journal_mode=DELETE")
        sqlite_check(target)
        tables = _row_counts(target.cursor(), _sqlite_tables(target))
    finally:
        target.close()
    partial.replace(path)
    return BackupInfo(path=path, taken_at=taken_at, engine="sqlite", tables=tables)


def _sqlite_restore(info: BackupInfo, alias: str) -> None:
    source = sqlite3.connect(f"file:{info.path}?mode=ro", uri=True)
    try:
        sqlite_check(source)
        live = _sqlite_raw(alias)
        if live.in_transaction:
            live.commit()
        source.backup(live)
    finally:
        source.close()
    live = _sqlite_raw(alias)
    sqlite_check(live)


# --- PostgreSQL ---------------------------------------------------------------------------


def postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob(f"{POSTGRES_BIN_GLOB}/{name}"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if candidates:
        return candidates[-1]
    raise BackupError(
        f"{name} was not found on PATH nor under /usr/lib/postgresql/*/bin: install the "
        "PostgreSQL client (Debian: apt-get install postgresql-client)."
    )


def _postgres_env_and_args(alias: str) -> tuple[dict[str, str], list[str]]:
    params = connections[alias].settings_dict
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    sslmode = (params.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    args += ["--dbname", str(params["NAME"])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {detail}")


def _postgres_backup(path: Path, alias: str) -> BackupInfo:
    pg_dump = postgres_tool("pg_dump")
    env, args = _postgres_env_and_args(alias)
    connection = connections[alias]
    # Count the rows in the very snapshot pg_dump copies.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT now(), pg_export_snapshot()")
            taken_at, snapshot = cursor.fetchone()
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            tables = _row_counts(cursor, [row[0] for row in cursor.fetchall()])
            partial = path.with_name(path.name + ".partial")
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(partial)]
                + args,
                env,
            )
        raw.rollback()
    finally:
        raw.close()
    # The archive must be readable before it counts as a backup.
    _run([postgres_tool("pg_restore"), "--list", str(partial)], env)
    partial.replace(path)
    return BackupInfo(
        path=path, taken_at=taken_at.astimezone(UTC), engine="postgresql", tables=tables
    )


def _postgres_restore(info: BackupInfo, alias: str) -> None:
    pg_restore = postgres_tool("pg_restore")
    env, args = _postgres_env_and_args(alias)
    _run([pg_restore, "--list", str(info.path)], env)
    connections[alias].close()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ]
        + args
        + [str(info.path)],
        env,
    )


# --- The two operations -------------------------------------------------------------------


def backup(path: Path | None = None, alias: str = DEFAULT_DB_ALIAS) -> BackupInfo:
    engine = engine_of(alias)
    path = Path(path) if path else default_backup_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = _sqlite_backup(path, alias) if engine == "sqlite" else _postgres_backup(path, alias)
    info.write_meta()
    return info


def erasures_since(taken_at: datetime) -> list[dict[str, Any]]:
    """The erasures the live database recorded after `taken_at` (none when it has no table)."""
    from clusterhub.privacy.models import Erasure
    from clusterhub.privacy.services import erasure_records

    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        if Erasure._meta.db_table not in connection.introspection.table_names(cursor):
            return []
    return erasure_records(since=taken_at)


@dataclass
class RestoreResult:
    info: BackupInfo
    erasures_found: int
    erasures_reapplied: int


def restore(path: Path, alias: str = DEFAULT_DB_ALIAS, migrate: bool = True) -> RestoreResult:
    from clusterhub.privacy.services import reapply_erasures_from

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    info = read_meta(path)
    engine = engine_of(alias)
    if info.engine != engine:
        raise BackupError(f"{path} is a {info.engine} backup; this database is {engine}.")
    # Read before the database is replaced: the backup knows nothing of these.
    records = erasures_since(info.taken_at)
    if engine == "sqlite":
        _sqlite_restore(info, alias)
    else:
        _postgres_restore(info, alias)
    counts = table_row_counts(alias)
    differ = [
        f"{table}: {counts.get(table)} rows, the backup had {rows}"
        for table, rows in info.tables.items()
        if counts.get(table) != rows
    ]
    if differ:
        raise BackupError("The restored database differs from the backup: " + "; ".join(differ))
    if migrate:
        with tempfile.TemporaryFile("w+") as quiet:
            call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    reapplied = reapply_erasures_from(records)
    return RestoreResult(info=info, erasures_found=len(records), erasures_reapplied=reapplied)
