from django.contrib import admin

from clusterhub.contributions.models import Comment, Contribution, ContributionEvent, Endorsement


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    extra = 0
    raw_id_fields = ["organization", "person"]


class ContributionEventInline(admin.TabularInline):
    """The moderation history is written by the services, never edited."""

    model = ContributionEvent
    extra = 0
    fields = ["created_at", "actor", "action", "note", "before", "after"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "organization", "visibility", "created_at"]
    list_filter = ["status", "kind", "visibility", "language", "clusters"]
    search_fields = ["title", "text", "organization__name"]
    raw_id_fields = ["author", "organization", "merged_into", "suspected_duplicate"]
    filter_horizontal = ["clusters", "s3_themes", "competences"]
    readonly_fields = ["duplicate_score", "encoder", "created_at", "updated_at"]
    inlines = [EndorsementInline, ContributionEventInline]


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["contribution", "organization", "person", "created_at"]
    search_fields = ["contribution__title", "organization__name"]
    raw_id_fields = ["contribution", "organization", "person"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contribution", "organization", "author", "created_at"]
    search_fields = ["text", "contribution__title", "organization__name"]
    raw_id_fields = ["contribution", "author", "organization", "parent"]


@admin.register(ContributionEvent)
class ContributionEventAdmin(admin.ModelAdmin):
    """Read-only: the history is what happened."""

    list_display = ["contribution", "action", "actor", "created_at"]
    list_filter = ["action"]
    search_fields = ["contribution__title", "note"]
    fields = ["contribution", "actor", "action", "before", "after", "note", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
