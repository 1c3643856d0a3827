from django.contrib import admin

from clusterhub.trends.models import Topic, TopicDocument, TrendRun


@admin.register(TrendRun)
class TrendRunAdmin(admin.ModelAdmin):
    """Runs are made by the detection; the back office only reads them (or deletes one)."""

    list_display = ["id", "cluster", "period", "status", "document_count", "created_at"]
    list_filter = ["status", "period", "cluster"]
    search_fields = ["cluster__slug", "created_by__email", "error"]
    readonly_fields = [
        "cluster",
        "period",
        "params",
        "snapshot",
        "snapshot_hash",
        "periods",
        "document_count",
        "encoder",
        "status",
        "progress",
        "message",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["label", "run", "status", "size", "growth", "q_value"]
    list_filter = ["status"]
    search_fields = ["label"]
    list_select_related = ["run", "run__cluster"]
    exclude = ["centroid"]
    readonly_fields = [
        "run",
        "position",
        "label",
        "terms",
        "size",
        "counts",
        "cluster_counts",
        "member_counts",
        "growth",
        "p_value",
        "q_value",
        "status",
        "project_count",
        "contribution_count",
        "member_count",
    ]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(TopicDocument)
class TopicDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "source", "date", "score"]
    list_filter = ["source"]
    search_fields = ["title"]
    list_select_related = ["topic"]
    raw_id_fields = ["topic", "project", "contribution", "organization"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
