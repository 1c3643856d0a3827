from django.contrib import admin

from clusterhub.digest.models import DigestPreference


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    """How often each person gets the digest; whether they may is their consent (People)."""

    list_display = ["person", "frequency", "last_sent_at", "updated_at"]
    list_filter = ["frequency"]
    search_fields = ["person__email", "person__full_name"]
    raw_id_fields = ["person"]
    readonly_fields = ["created_at", "updated_at"]
