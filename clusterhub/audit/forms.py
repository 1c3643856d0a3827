"""The filters of the officers' audit page (the API's query has the same fields)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterhub.audit.models import AuditAction
from clusterhub.audit.selectors import SEARCH_MAX_LENGTH, AuditFilters, object_types
from clusterhub.regions.models import Cluster


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("What"), required=False)
    actor = forms.CharField(
        label=_("Who"), required=False, max_length=SEARCH_MAX_LENGTH, strip=True
    )
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        required=False,
        queryset=Cluster.objects.order_by("position", "slug"),
        to_field_name="slug",
        empty_label=_("All clusters"),
    )
    target_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(label=_("From (UTC)"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To (UTC)"), required=False, widget=DateInput)
    q = forms.CharField(label=_("Text"), required=False, max_length=SEARCH_MAX_LENGTH, strip=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *AuditAction.choices]  # type: ignore[attr-defined]
        self.fields["target_type"].choices = [("", _("All object types")), *object_types()]  # type: ignore[attr-defined]
        self.fields["actor"].widget.attrs["placeholder"] = _("email, or system")
        self.fields["q"].widget.attrs["placeholder"] = _("object, note, values")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."), code="dates")
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return AuditFilters(
            action=data.get("action") or "",
            actor=data.get("actor") or "",
            cluster=data.get("cluster"),
            target_type=data.get("target_type") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q") or "",
        )

    def query(self) -> dict[str, str]:
        """The valid filters as query parameters (for the page links and the CSV link)."""
        if not (self.is_bound and self.is_valid()):
            return {}
        params = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, Cluster):
                value = value.slug
            if value:
                params[name] = str(value)
        return params
