from django.contrib import admin
from django.db import models

from clusterhub.registry.models import (
    ImportJob,
    Membership,
    Organization,
    OrganizationMerge,
    WorkingGroup,
)
from clusterhub.registry.services import organization_refresh_derived


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["cluster", "role", "status", "since", "until"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Back-office edits save the model directly; derived fields are recomputed afterwards."""

    list_display = ["name", "kind", "htn_accredited", "city", "nuts3", "vat_number", "updated_at"]
    list_filter = ["kind", "htn_accredited", "size_class", "territory", "memberships__cluster"]
    search_fields = ["name", "normalized_name", "vat_number", "pic", "city", "postcode"]
    readonly_fields = ["normalized_name", "search_text", "version", "created_at", "updated_at"]
    autocomplete_fields = ["competences", "s3_themes"]
    list_select_related = ["territory"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        organization_refresh_derived(organization=form.instance)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organization", "cluster", "role", "status", "since", "until"]
    list_filter = ["cluster", "status", "role"]
    search_fields = ["organization__name", "organization__vat_number"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization", "cluster"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster", "kind"]
    list_filter = ["cluster", "kind"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["organizations"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: imports run through the import pages, which check and report every row."""

    list_display = ["original_name", "cluster", "status", "created_by", "created_at"]
    list_filter = ["status", "cluster"]
    search_fields = ["original_name", "created_by__email"]
    list_select_related = ["cluster", "created_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(OrganizationMerge)
class OrganizationMergeAdmin(admin.ModelAdmin):
    """Read-only history: merges happen in the review queue, which keeps the snapshot."""

    list_display = ["merged_name", "kept", "merged_by", "created_at"]
    search_fields = ["merged_name", "kept__name"]
    list_select_related = ["kept", "merged_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
