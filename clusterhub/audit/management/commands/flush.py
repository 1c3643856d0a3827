"""Django's `flush`, allowed to empty the audit trail.

The audit table refuses deletes, in the database too (migration 0001's triggers). Emptying
the whole database is the one exception: pytest-django flushes the test database after
transactional tests (with DELETE on SQLite; PostgreSQL's TRUNCATE fires no row trigger).
This command replaces Django's own (app commands take precedence) and only lifts the guard
for the duration of the flush, in this thread.
"""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from clusterhub.audit.context import purge_allowed


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with purge_allowed():
            super().handle(**options)
