from django.contrib import admin

from clusterhub.opportunities.models import Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    """Edits here bypass the services: the opportunity's vector is recomputed on its next
    save through the site or the API (the ranking treats a missing vector as no similarity)."""

    list_display = ["title", "kind", "programme", "deadline", "source", "created_at"]
    list_filter = ["kind", "source", "clusters"]
    search_fields = ["title", "programme", "description"]
    date_hierarchy = "deadline"
    filter_horizontal = ["clusters", "s3_themes"]
    raw_id_fields = ["contribution", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
