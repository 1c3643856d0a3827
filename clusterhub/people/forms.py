from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from clusterhub.people.models import Person
from clusterhub.people.selectors import (
    invitation_clusters_for,
    invitation_organizations_listed_for,
    invitation_role_choices_for,
)


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in by email, whatever its capitalisation (addresses are stored lower-case)."""

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class InvitationForm(forms.Form):
    """Choices are limited to what the inviter may grant; the service checks again."""

    email = forms.EmailField(label=_("Email of the person"))
    role = forms.ChoiceField(label=_("Role"))
    cluster = forms.ModelChoiceField(queryset=None, label=_("Cluster"), required=False)
    organization = forms.ModelChoiceField(queryset=None, label=_("Organization"), required=False)

    def __init__(self, *args: Any, inviter: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = invitation_role_choices_for(inviter)
        self.fields["cluster"].queryset = invitation_clusters_for(inviter)
        chosen = self.data.get("organization") or self.initial.get("organization")
        self.fields["organization"].queryset = invitation_organizations_listed_for(
            inviter, chosen=getattr(chosen, "pk", chosen)
        )
        if not self.fields["cluster"].queryset.exists():
            del self.fields["cluster"]


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "language"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the name of the script that uses it."),
    )


class MembershipStatusForm(forms.Form):
    """A cluster manager's change to one membership of their cluster."""

    SUSPEND = "suspend"
    REACTIVATE = "reactivate"
    END = "end"

    action = forms.ChoiceField(
        label=_("Change"),
        choices=[(SUSPEND, _("Suspend")), (REACTIVATE, _("Reactivate")), (END, _("End"))],
    )
    until = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Needed to end a membership."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == self.END and not data.get("until"):
            self.add_error("until", _("Give the date the membership ends."))
        return data
