from django.contrib import admin

from clusterhub.regions.models import (
    Cluster,
    ClusterGroup,
    Competence,
    Postcode,
    Region,
    S3Theme,
    Territory,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_it", "country", "nuts2"]
    search_fields = ["code", "name_en", "name_it"]


@admin.register(ClusterGroup)
class ClusterGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_it", "position"]
    search_fields = ["code", "name_en", "name_it"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_it", "short_name", "group", "position"]
    list_filter = ["group"]
    search_fields = ["slug", "name_en", "name_it", "short_name"]
    autocomplete_fields = ["s3_area"]


class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_it", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name_en", "name_it"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


admin.site.register(S3Theme, TaxonomyAdmin)
admin.site.register(Competence, TaxonomyAdmin)


class PostcodeInline(admin.TabularInline):
    model = Postcode
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["nuts3", "name", "abbreviation"]
    search_fields = ["nuts3", "name", "abbreviation"]
    inlines = [PostcodeInline]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "territory"]
    list_filter = ["territory"]
    search_fields = ["code"]
