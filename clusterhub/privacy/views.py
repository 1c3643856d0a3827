"""Pages of personal data: the public privacy notice, each person's privacy page (export,
consents, erasure) and the officers' erasure page."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.people.models import ConsentPurpose, Person
from clusterhub.privacy import selectors, services
from clusterhub.privacy.exporting import archive_filename, export_archive
from clusterhub.privacy.forms import ErasureRequestForm, OfficerErasureForm
from clusterhub.privacy.registry import FATE_LABELS, Fate, exporters

RETENTION_FATES = (Fate.DELETE, Fate.CLOSE, Fate.KEEP)


@access(Policy.PUBLIC)
def notice(request: HttpRequest) -> HttpResponse:
    """What is stored about a person and why, read from the export registry."""
    return render(
        request,
        "privacy/notice.html",
        {
            "exporters": exporters(),
            "fate_labels": {fate.value: label for fate, label in FATE_LABELS.items()},
            "terms_version": selectors.terms_version(),
            "purposes": ConsentPurpose.choices,
        },
    )


def _page(
    request: HttpRequest, *, erasure_form: ErasureRequestForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "privacy/account.html",
        {
            "consents": selectors.consents_overview(request.user),
            "erasure_form": erasure_form or ErasureRequestForm(),
            "terms_version": selectors.terms_version(),
        },
        status=status,
    )


@access(Policy.AUTHENTICATED)
def account_privacy(request: HttpRequest) -> HttpResponse:
    return _page(request)


@access(Policy.AUTHENTICATED)
def export_download(request: HttpRequest) -> HttpResponse:
    """The caller's data as a zip (README, export.json, one JSON file per kind)."""
    response = HttpResponse(export_archive(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_filename(request.user)}"'
    response["Cache-Control"] = "no-store"
    return response


@access(Policy.AUTHENTICATED)
@require_POST
def consent_update(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in ConsentPurpose.values:
        raise Http404
    action = request.POST.get("action")
    label = ConsentPurpose(purpose).label
    if action == "give":
        services.consent_give(person=request.user, purpose=purpose)  # type: ignore[arg-type]
        done = _("Consent given: %(purpose)s.") % {"purpose": label}
    elif action == "withdraw":
        services.consent_withdraw(person=request.user, purpose=purpose)  # type: ignore[arg-type]
        done = _("Consent withdrawn: %(purpose)s.") % {"purpose": label}
    else:
        messages.error(request, _("Choose whether to give or withdraw the consent."))
        return redirect("privacy:account")
    if request.htmx:  # type: ignore[attr-defined]
        # The table swapped in place shows the change; a flash message would linger.
        return render(
            request,
            "privacy/_consents.html",
            {"consents": selectors.consents_overview(request.user)},
        )
    messages.success(request, done)
    return redirect("privacy:account")


@access(Policy.AUTHENTICATED)
@require_POST
def erase_self(request: HttpRequest) -> HttpResponse:
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        return _page(request, erasure_form=form, status=400)
    person = request.user
    try:
        result = services.erasure_request(person=person, password=form.cleaned_data["password"])  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.message_dict.get("password", error.messages):
            form.add_error("password", message)
        return _page(request, erasure_form=form, status=400)
    logout(request)
    messages.success(
        request,
        _("Your account is erased. What you wrote for your organization stays, as %(pseudonym)s.")
        % {"pseudonym": result.pseudonym},
    )
    return redirect("privacy:notice")


@access(Policy.OFFICER)
def erasures(request: HttpRequest) -> HttpResponse:
    """Officers erase an account on request and see the erasures recorded."""
    form = OfficerErasureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            person = Person.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if person is None:
                form.add_error("email", _("No account has this email."))
            elif person.pk == request.user.pk:
                form.add_error("email", _("Erase your own account from your privacy page."))
            else:
                result = services.erase_person(
                    person=person, actor=request.user, note="requested to an officer"
                )
                messages.success(request, result.summary())
                return redirect("privacy:erasures")
        status = 400
    return render(
        request,
        "privacy/erasures.html",
        {"form": form, "erasures": selectors.erasures_recent()},
        status=status,
    )
