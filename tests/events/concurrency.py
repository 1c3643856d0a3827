"""Real threads against PostgreSQL, for the races that row locks and constraints settle."""

import threading

import pytest
from django.db import connection, connections

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks need PostgreSQL: SQLite runs one writer at a time, so threads cannot race",
)


def run_at_once(work, count):
    """Run `work(i)` in `count` threads released together; each thread has its own
    database connection (closed at the end). Returns the exceptions raised."""
    barrier = threading.Barrier(count)
    errors = []

    def target(index):
        try:
            barrier.wait(timeout=10)
            work(index)
        except Exception as exc:  # collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
