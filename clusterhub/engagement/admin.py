from django.contrib import admin

from clusterhub.engagement.models import LoginEvent, ReEngagementInvitation


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    """Read-only: sign-in days are recorded when people sign in."""

    list_display = ["day", "person", "organization"]
    list_filter = ["day"]
    search_fields = ["person__email", "organization__name"]
    fields = ["person", "organization", "at", "day"]
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ReEngagementInvitation)
class ReEngagementInvitationAdmin(admin.ModelAdmin):
    """Read-only: the record of what was emailed."""

    list_display = ["sent_at", "organization", "cluster", "sent_by", "recipients"]
    list_filter = ["cluster"]
    search_fields = ["organization__name", "sent_by__email"]
    fields = ["organization", "cluster", "sent_by", "sent_at", "recipients", "suggestions"]
    readonly_fields = fields

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
