from django.contrib import admin

from clusterhub.agenda import models


@admin.register(models.AgendaVersion)
class AgendaVersionAdmin(admin.ModelAdmin):
    list_display = ["cluster", "number", "title", "phase", "published_at"]
    list_filter = ["phase", "cluster"]
    search_fields = ["title"]


@admin.register(models.AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "position", "revision"]
    search_fields = ["title", "objective"]
    raw_id_fields = ["version", "contributions", "topics"]


@admin.register(models.ItemLineage)
class ItemLineageAdmin(admin.ModelAdmin):
    list_display = ["parent", "child", "kind"]
    search_fields = ["parent__title", "child__title"]
    raw_id_fields = ["parent", "child"]


@admin.register(models.ItemEvent)
class ItemEventAdmin(admin.ModelAdmin):
    list_display = ["item", "kind", "actor", "created_at"]
    search_fields = ["item__title", "note"]
    raw_id_fields = ["item", "version", "actor"]


@admin.register(models.Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["name", "item", "target", "current"]
    search_fields = ["name"]
    raw_id_fields = ["item"]


@admin.register(models.Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "item", "due_on", "done_on"]
    search_fields = ["title"]
    raw_id_fields = ["item"]


@admin.register(models.ItemComment)
class ItemCommentAdmin(admin.ModelAdmin):
    list_display = ["item", "organization", "author", "created_at"]
    search_fields = ["text"]
    raw_id_fields = ["item", "organization", "author"]


@admin.register(models.Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["item", "organization", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["rationale", "title"]
    raw_id_fields = ["item", "organization", "author", "decided_by"]


@admin.register(models.Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["item", "organization", "value", "updated_at"]
    search_fields = ["organization__name", "item__title"]
    raw_id_fields = ["item", "organization", "cast_by"]
