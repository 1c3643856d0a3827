"""Demo data of the audit trail: none of its own. Entries only ever record real changes, and
the other demo loaders' role, membership, import and moderation changes already wrote them
(through the same services and signals as in production); this reports how many there are."""

from django.db.models import Count

from clusterhub.audit.models import AuditEntry


def load_demo() -> str:
    by_action = dict(AuditEntry.objects.order_by().values_list("action").annotate(n=Count("id")))
    total = sum(by_action.values())
    return f"{total} audit entries ({', '.join(f'{n} {a}' for a, n in sorted(by_action.items()))})"
