"""Thin views of the digest: the person's settings, the preview of their next digest, and
the unsubscribe link of the emails (signed, works without signing in)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from clusterhub.core.access import Policy, access
from clusterhub.digest.forms import DigestSettingsForm
from clusterhub.digest.models import DigestFrequency
from clusterhub.digest.services import (
    digest_build,
    digest_since,
    digest_subscribe,
    digest_unsubscribe,
    has_digest_consent,
    person_for_unsubscribe_token,
    preference_of,
)


@access(Policy.AUTHENTICATED)
def digest_settings(request: HttpRequest) -> HttpResponse:
    preference = preference_of(request.user)
    consented = has_digest_consent(request.user)
    initial = {"frequency": preference.frequency if consented else DigestFrequency.OFF}
    form = DigestSettingsForm(request.POST or None, initial=initial, consented=consented)
    if request.method == "POST" and form.is_valid():
        digest_subscribe(person=request.user, frequency=form.cleaned_data["frequency"])  # type: ignore[arg-type]
        if form.cleaned_data["frequency"] == DigestFrequency.OFF:
            messages.success(request, _("You will not receive the digest."))
        else:
            messages.success(request, _("Digest settings saved."))
        return redirect("digest:settings")
    return render(
        request,
        "digest/settings.html",
        {"form": form, "preference": preference, "consented": consented},
    )


@access(Policy.AUTHENTICATED)
def digest_preview(request: HttpRequest) -> HttpResponse:
    """The person's next digest as it stands now (nothing is marked as seen)."""
    preference = preference_of(request.user)
    now = timezone.now()
    digest = digest_build(request.user, digest_since(preference, now), until=now)
    return render(
        request,
        "digest/preview.html",
        {
            "digest": digest,
            "sections": digest.filled_sections,
            "preference": preference,
            "consented": has_digest_consent(request.user),
        },
    )


@csrf_exempt  # mail clients post the one-click unsubscribe (RFC 8058) without a CSRF token
@access(Policy.PUBLIC)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners only look); POST withdraws the consent."""
    person = person_for_unsubscribe_token(token)
    if person is None:
        return render(request, "digest/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        digest_unsubscribe(person=person)
        done = True
    return render(
        request,
        "digest/unsubscribe.html",
        {"person": person, "done": done, "token": token, "invalid": False},
    )
