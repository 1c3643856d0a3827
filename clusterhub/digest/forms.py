"""The person's digest settings: how often, and the consent that a digest needs."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.digest.models import DigestFrequency


class DigestSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Send me the digest"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("I agree to receive the digest by email. I can stop it at any time."),
        required=False,
    )

    def __init__(self, *args: Any, consented: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consented = consented
        if consented:
            self.fields["consent"].initial = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wants = data.get("frequency") in (DigestFrequency.DAILY, DigestFrequency.WEEKLY)
        if wants and not data.get("consent"):
            self.add_error("consent", _("A digest is sent only with your consent: tick the box."))
        return data
