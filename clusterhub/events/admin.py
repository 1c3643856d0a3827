from django.contrib import admin

from clusterhub.events.models import (
    CalendarFeed,
    Event,
    Meeting,
    MeetingBooking,
    Registration,
)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "visibility", "capacity"]
    list_filter = ["kind", "status", "visibility", "clusters"]
    search_fields = ["title", "location"]
    filter_horizontal = ["clusters", "s3_themes", "competences"]
    raw_id_fields = ["created_by"]
    date_hierarchy = "starts_at"


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Seats are given by the services (waiting list, capacity): change them on the site."""

    list_display = ["person", "event", "organization", "status", "created_at", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["person__email", "event__title", "organization__name", "code"]
    raw_id_fields = ["event", "person", "organization", "checked_in_by"]
    readonly_fields = ["code", "created_at"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["person", "created_at"]
    search_fields = ["person__email"]
    raw_id_fields = ["person"]
    exclude = ["token"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["event", "requester", "invitee", "slot_start", "status", "expires_at"]
    list_filter = ["status"]
    search_fields = ["event__title", "requester__person__email", "invitee__person__email"]
    raw_id_fields = ["event", "requester", "invitee"]


@admin.register(MeetingBooking)
class MeetingBookingAdmin(admin.ModelAdmin):
    """Read-only: slots are taken and freed by the meeting services."""

    list_display = ["registration", "slot_start", "meeting"]
    search_fields = ["registration__person__email", "meeting__event__title"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
