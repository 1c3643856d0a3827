from django.urls import path

from clusterhub.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("privacy/erasures/", views.erasures, name="erasures"),
    path("account/privacy/", views.account_privacy, name="account"),
    path("account/privacy/export/", views.export_download, name="export"),
    path("account/privacy/consents/<str:purpose>/", views.consent_update, name="consent"),
    path("account/privacy/erase/", views.erase_self, name="erase"),
]
