from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give every SQLite connection the function the audit delete trigger asks."""
    if connection.vendor == "sqlite":
        from clusterhub.audit.context import audit_locked

        connection.connection.create_function(
            "clusterhub_audit_locked", 0, audit_locked, deterministic=False
        )


class AuditConfig(AppConfig):
    name = "clusterhub.audit"
    label = "audit"

    def ready(self) -> None:
        from clusterhub.audit import signals

        signals.connect()
        connection_created.connect(_register_sqlite_guard, dispatch_uid="audit:sqlite-guard")
