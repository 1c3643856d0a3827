from django.contrib.auth import views as auth_views
from django.urls import path

from clusterhub.core.access import Policy, access

app_name = "people"

urlpatterns = [
    path(
        "accounts/login/",
        access(Policy.PUBLIC)(auth_views.LoginView.as_view(template_name="people/login.html")),
        name="login",
    ),
    path("accounts/logout/", access(Policy.PUBLIC)(auth_views.LogoutView.as_view()), name="logout"),
]
