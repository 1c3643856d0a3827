from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureRequestForm(forms.Form):
    """A person asks to erase their own account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is closed for good and cannot be restored."),
        required=True,
    )


class OfficerErasureForm(forms.Form):
    """An officer erases someone's account (a request received by letter or email)."""

    email = forms.EmailField(label=_("Email of the person"), max_length=254)
    confirm = forms.BooleanField(
        label=_("I checked the request: erase this account for good."), required=True
    )
