"""Thin views: parse the request, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.people import selectors, services, tokens
from clusterhub.people.forms import ApiTokenForm, InvitationAcceptForm, InvitationForm, ProfileForm


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _add_service_errors(
    form: InvitationForm | InvitationAcceptForm, error: ValidationError
) -> None:
    """Show a service's validation errors on the matching fields of the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


@access(Policy.ORG_ADMIN)
def invite(request: HttpRequest) -> HttpResponse:
    """Invite a person by email; managers and org admins only into what they manage."""
    # `?organization=<id>` preselects an organization, e.g. from its profile page.
    initial = {key: request.GET[key] for key in ("organization", "cluster") if key in request.GET}
    form = InvitationForm(request.POST or None, inviter=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                inviter=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                cluster=form.cleaned_data.get("cluster"),
                organization=form.cleaned_data.get("organization"),
                site_url=request.build_absolute_uri("/"),
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect(_safe_next(request, request.path))
    return render(request, "people/invite.html", {"form": form})


@access(Policy.PUBLIC)
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationUnusable as unusable:
        status = 404 if unusable.reason == "unknown" else 410
        return render(
            request, "people/invitation_invalid.html", {"reason": unusable.reason}, status=status
        )
    existing = selectors.person_for_email(invitation.email)
    form = None if existing else InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form else {}
        try:
            acceptance = services.invitation_accept(
                token=token,
                full_name=data.get("full_name", ""),
                password=data.get("password1", ""),
            )
        except services.InvitationUnusable as unusable:
            return render(
                request, "people/invitation_invalid.html", {"reason": unusable.reason}, status=410
            )
        except ValidationError as error:
            if form is None:
                raise
            if not hasattr(error, "error_dict"):
                # Password validators raise a plain list of problems.
                error = ValidationError({"password1": error.messages})
            _add_service_errors(form, error)
        else:
            if acceptance.created:
                login(
                    request, acceptance.person, backend="django.contrib.auth.backends.ModelBackend"
                )
                messages.success(request, _("Welcome to clusterhub."))
                return redirect("people:account")
            messages.success(request, _("Invitation accepted: your new role is on your account."))
            if request.user == acceptance.person:
                return redirect("people:account")
            return redirect("people:login")
    return render(
        request,
        "people/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
    )


def _account_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    person = request.user
    return {
        "profile_form": ProfileForm(instance=person),
        "token_form": ApiTokenForm(),
        "cluster_roles": selectors.cluster_roles_of(person),
        "organization_roles": selectors.organization_roles_of(person),
        "api_tokens": tokens.tokens_of(person=person),
        **extra,
    }


@access(Policy.AUTHENTICATED)
def account(request: HttpRequest) -> HttpResponse:
    """My account: profile, roles, API tokens."""
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            person = services.person_update_profile(
                person=request.user,
                full_name=form.cleaned_data["full_name"],
                language=form.cleaned_data["language"],
            )
            messages.success(request, _("Your profile is saved."))
            response: HttpResponse = redirect("people:account")
            # The interface follows the chosen language from the next page on.
            response.set_cookie("django_language", person.language, samesite="Lax")
            return response
        return render(request, "people/account.html", _account_context(request, profile_form=form))
    return render(request, "people/account.html", _account_context(request))


@access(Policy.AUTHENTICATED)
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(
            request, "people/account.html", _account_context(request, token_form=form), status=400
        )
    token, raw_key = tokens.token_create(person=request.user, name=form.cleaned_data["name"])
    # The key is shown in this response only; it is not stored and cannot be shown again.
    return render(
        request, "people/account.html", _account_context(request, new_token=token, new_key=raw_key)
    )


@access(Policy.AUTHENTICATED)
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponseRedirect:
    token = tokens.token_revoke(person=request.user, token_id=token_id)
    messages.success(request, _("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("people:account")
