from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from clusterhub.core.access import Policy, access
from clusterhub.core.ratelimit import throttle_login, throttle_password_reset
from clusterhub.people import views
from clusterhub.people.forms import EmailAuthenticationForm

app_name = "people"

urlpatterns = [
    path(
        "accounts/login/",
        access(Policy.PUBLIC)(
            throttle_login(
                auth_views.LoginView.as_view(
                    template_name="people/login.html",
                    authentication_form=EmailAuthenticationForm,
                    redirect_authenticated_user=True,
                )
            )
        ),
        name="login",
    ),
    path("accounts/logout/", access(Policy.PUBLIC)(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "accounts/password/change/",
        access(Policy.AUTHENTICATED)(
            auth_views.PasswordChangeView.as_view(
                template_name="people/password_change_form.html",
                success_url=reverse_lazy("people:password_change_done"),
            )
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        access(Policy.AUTHENTICATED)(
            auth_views.PasswordChangeDoneView.as_view(
                template_name="people/password_change_done.html"
            )
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        access(Policy.PUBLIC)(
            throttle_password_reset(
                auth_views.PasswordResetView.as_view(
                    template_name="people/password_reset_form.html",
                    email_template_name="people/password_reset_email.txt",
                    subject_template_name="people/password_reset_subject.txt",
                    success_url=reverse_lazy("people:password_reset_done"),
                )
            )
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        access(Policy.PUBLIC)(
            auth_views.PasswordResetDoneView.as_view(
                template_name="people/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        access(Policy.PUBLIC)(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="people/password_reset_confirm.html",
                success_url=reverse_lazy("people:password_reset_complete"),
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        access(Policy.PUBLIC)(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="people/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("account/", views.account, name="account"),
    path("account/tokens/", views.token_create, name="token_create"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitations/new/", views.invite, name="invite"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
