"""The SQLite default is set up for concurrent use: WAL, a busy timeout, IMMEDIATE transactions.

Each check runs separate processes on a SQLite file opened with the project's settings (no
DATABASE_URL), as several server workers would.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 4
TRANSACTIONS = 120


def probe_env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CLUSTERHUB_SQLITE_PATH"] = str(database)
    env["DJANGO_SETTINGS_MODULE"] = "clusterhub.settings"
    return env


def probe(database: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.durability.sqlite_probe", *args],
        cwd=ROOT,
        env=probe_env(database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "concurrent.sqlite3"
    finished(probe(path, "setup"))
    return path


def test_connections_use_wal_a_busy_timeout_and_immediate_transactions(tmp_path):
    found = json.loads(finished(probe(tmp_path / "pragmas.sqlite3", "pragmas")))
    assert found["journal_mode"] == "wal"
    assert found["busy_timeout"] >= 5000
    assert found["foreign_keys"] == 1
    assert found["transaction_mode"] == "IMMEDIATE"


def start_together(database, count, transactions):
    """Writers that begin at the same moment, once each has started and connected."""
    gate = database.with_name("gate")
    writers = [
        probe(database, "write", f"w{n}", str(transactions), str(gate)) for n in range(count)
    ]
    deadline = time.monotonic() + 120
    while len(list(database.parent.glob("gate.*.ready"))) < count:
        assert time.monotonic() < deadline, "the writers did not start"
        assert all(w.poll() is None for w in writers), [w.communicate() for w in writers]
        time.sleep(0.05)
    gate.touch()
    return writers


def test_concurrent_writers_all_succeed_without_database_is_locked(database):
    writers = start_together(database, WRITERS, TRANSACTIONS)
    errors = []
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        errors.append((writer.returncode, err))
    assert all(code == 0 for code, _err in errors), errors
    assert not any("database is locked" in err for _code, err in errors)
    db = sqlite3.connect(database)
    try:
        rows, highest = db.execute("SELECT COUNT(*), MAX(n) FROM seq").fetchone()
        per_writer = dict(db.execute("SELECT writer, COUNT(*) FROM seq GROUP BY writer"))
    finally:
        db.close()
    # Every read-then-write transaction saw the one before it: no number taken twice.
    assert rows == highest == WRITERS * TRANSACTIONS
    assert per_writer == {f"w{n}": TRANSACTIONS for n in range(WRITERS)}


def test_a_backup_taken_while_writers_run_is_a_consistent_copy(database, tmp_path):
    writers = start_together(database, 2, 300)
    copies = []
    for index in range(3):
        path = tmp_path / f"during-{index}.sqlite3"
        finished(probe(database, "backup", str(path)))
        copies.append(path)
    for writer in writers:
        finished(writer)
    for path in copies:
        meta = json.loads(path.with_name(path.name + ".meta.json").read_text())
        db = sqlite3.connect(path)
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows, highest = db.execute("SELECT COUNT(*), COALESCE(MAX(n), 0) FROM seq").fetchone()
        finally:
            db.close()
        # A snapshot between two transactions: numbers 1..rows, none missing, as recorded.
        assert rows == highest == meta["tables"]["seq"]
