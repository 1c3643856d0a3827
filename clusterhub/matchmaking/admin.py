from django.contrib import admin

from clusterhub.matchmaking.models import OrganizationEmbedding, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "person", "created_at", "last_checked_at"]
    search_fields = ["query", "person__email"]
    raw_id_fields = ["person"]


@admin.register(OrganizationEmbedding)
class OrganizationEmbeddingAdmin(admin.ModelAdmin):
    """Read-only: vectors are computed by the index tasks."""

    list_display = ["organization", "encoder", "dim", "updated_at"]
    list_filter = ["encoder"]
    fields = ["organization", "encoder", "text_hash", "dim", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
