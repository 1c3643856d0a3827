"""The agenda's pages: managing versions and items, the consultation, the public agenda."""

from clusterhub.agenda import urls_consult, urls_manage, urls_public

app_name = "agenda"

urlpatterns = [*urls_manage.urlpatterns, *urls_consult.urlpatterns, *urls_public.urlpatterns]
