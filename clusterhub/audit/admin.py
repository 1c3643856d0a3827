from django.contrib import admin

from clusterhub.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, even for the back office (no add, change or
    delete, no bulk "delete selected" action)."""

    list_display = ["at", "actor_label", "action", "target_label", "cluster"]
    list_filter = ["action", "cluster"]
    search_fields = ["actor_label", "target_label", "note"]
    list_select_related = ["cluster"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "actor",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "cluster",
        "before",
        "after",
        "note",
    ]

    def get_actions(self, request):  # type: ignore[no-untyped-def]
        return {}

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
