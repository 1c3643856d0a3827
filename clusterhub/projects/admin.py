from django.contrib import admin

from clusterhub.projects.models import (
    ParticipantMatch,
    Participation,
    Project,
    ProjectCluster,
    ProjectImportFile,
    ProjectImportJob,
    ProjectTheme,
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["name", "role", "country", "city", "activity_type", "organization", "in_region"]
    raw_id_fields = ["organization"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["acronym", "cordis_id", "framework", "start_date", "eu_contribution"]
    list_filter = ["framework", "source"]
    search_fields = ["acronym", "title", "cordis_id"]
    inlines = [ParticipationInline]


@admin.register(ParticipantMatch)
class ParticipantMatchAdmin(admin.ModelAdmin):
    list_display = ["participation", "candidate", "score", "reason", "status"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["participation", "candidate", "decided_by"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "role", "country", "in_region", "organization"]
    list_filter = ["in_region", "role", "activity_type"]
    search_fields = ["name", "pic", "project__acronym"]
    raw_id_fields = ["project", "organization"]


@admin.register(ProjectCluster)
class ProjectClusterAdmin(admin.ModelAdmin):
    list_display = ["project", "cluster", "confidence", "source", "rejected"]
    list_filter = ["source", "rejected", "cluster"]
    raw_id_fields = ["project"]


@admin.register(ProjectTheme)
class ProjectThemeAdmin(admin.ModelAdmin):
    list_display = ["project", "theme", "confidence", "source", "rejected"]
    list_filter = ["source", "rejected"]
    raw_id_fields = ["project", "theme"]


class ProjectImportFileInline(admin.TabularInline):
    model = ProjectImportFile
    extra = 0
    fields = ["original_name"]
    readonly_fields = ["original_name"]


@admin.register(ProjectImportJob)
class ProjectImportJobAdmin(admin.ModelAdmin):
    """Read-only: imports run through the import page, which checks and reports every row."""

    list_display = ["id", "layout", "status", "created_by", "created_at"]
    list_filter = ["status"]
    inlines = [ProjectImportFileInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ProjectImportFile)
class ProjectImportFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "job"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
