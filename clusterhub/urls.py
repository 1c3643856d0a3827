from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from clusterhub.api import api
from clusterhub.core.access import Policy, access

urlpatterns = [
    path("", include("clusterhub.core.urls")),
    path("", include("clusterhub.registry.urls")),
    path("", include(("clusterhub.registry.urls_import", "registry_import"))),
    path("", include(("clusterhub.registry.urls_manage", "registry_manage"))),
    path("", include(("clusterhub.registry.urls_export", "registry_export"))),
    path("", include("clusterhub.regions.urls")),
    path("", include("clusterhub.people.urls")),
    path("", include("clusterhub.projects.urls")),
    path("", include("clusterhub.matchmaking.urls")),
    path("", include("clusterhub.monitoring.urls")),
    path("", include("clusterhub.contributions.urls")),
    path("", include("clusterhub.trends.urls")),
    path("", include("clusterhub.events.urls")),
    path("", include("clusterhub.opportunities.urls")),
    path("", include("clusterhub.engagement.urls")),
    path("", include("clusterhub.digest.urls")),
    path("", include("clusterhub.assessment.urls")),
    path("", include("clusterhub.agenda.urls")),
    path("", include("clusterhub.audit.urls")),
    path("", include("clusterhub.privacy.urls")),
    path("i18n/setlang/", access(Policy.PUBLIC)(set_language), name="set_language"),
    path("i18n/js/", access(Policy.PUBLIC)(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("api/", api.urls),
    path("backoffice/", admin.site.urls),
]
