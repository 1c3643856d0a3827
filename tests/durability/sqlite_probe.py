"""A separate process on a SQLite file, opened with the project's own settings.

Run as `python -m tests.durability.sqlite_probe MODE [ARGS]` with CLUSTERHUB_SQLITE_PATH set
and DATABASE_URL unset (tests/durability/test_sqlite.py does). Modes:
- pragmas: print the connection's journal mode, busy timeout, ... as JSON
- setup: create the table the writers use
- write WRITER COUNT GATE: once GATE exists (after writing GATE.WRITER.ready), COUNT
  transactions, each reads the highest number and inserts the next
- backup PATH: `manage.py backup --output PATH`
"""

import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def main(mode: str, *args: str) -> None:
    if mode == "pragmas":
        found = {}
        with connection.cursor() as cursor:
            for pragma in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous"):
                cursor.execute(f"PRAGMA {pragma}")
                found[pragma] = cursor.fetchone()[0]
        found["transaction_mode"] = connection.transaction_mode
        print(json.dumps(found))
    elif mode == "setup":
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE seq (n INTEGER PRIMARY KEY, writer TEXT NOT NULL)")
    elif mode == "write":
        writer, count, gate = args[0], int(args[1]), Path(args[2])
        connection.ensure_connection()
        gate.with_name(f"{gate.name}.{writer}.ready").touch()
        while not gate.exists():  # every writer starts at the same moment
            time.sleep(0.005)
        for _index in range(count):
            # Read, then write, in one transaction: with deferred transactions two writers
            # would read the same number and one would fail ("database is locked").
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(n), 0) FROM seq")
                (highest,) = cursor.fetchone()
                time.sleep(0.0005)  # another writer's turn comes in between
                cursor.execute("INSERT INTO seq (n, writer) VALUES (%s, %s)", [highest + 1, writer])
    elif mode == "backup":
        call_command("backup", "--output", args[0])
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(*sys.argv[1:])
