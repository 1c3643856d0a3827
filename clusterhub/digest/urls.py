from django.urls import path

from clusterhub.digest import views

app_name = "digest"

urlpatterns = [
    path("account/digest/", views.digest_settings, name="settings"),
    path("account/digest/preview/", views.digest_preview, name="preview"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
