"""Forms of the project pages: the public search, the import upload, review decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.projects.cordis import LAYOUTS
from clusterhub.projects.importing import AUTO
from clusterhub.projects.selectors import ProjectFilters, project_filter_choices
from clusterhub.regions.models import Cluster

LAYOUT_LABELS = {
    AUTO: _("Recognise from the header row"),
    "cordis-bulk": _("CORDIS bulk download (project.csv + organization.csv)"),
    "cordis-2020": _("CORDIS 2019-2020 single table (coordinator and participant lists)"),
    "inrae-csv": _("INRAE observatory CSV (projects.csv + participants.csv)"),
    "inrae-json": _("INRAE observatory JSON"),
}


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Acronym or title"), required=False, max_length=200)
    programme = forms.ChoiceField(label=_("Framework programme"), required=False)
    year = forms.TypedChoiceField(
        label=_("Start year"), required=False, coerce=int, empty_value=None
    )
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = project_filter_choices()
        self.fields["programme"].choices = [("", _("All")), *choices["frameworks"]]
        self.fields["year"].choices = [("", _("All")), *[(y, y) for y in choices["years"]]]
        self.fields["cluster"].choices = [
            ("", _("All")),
            *[(c.slug, c.name) for c in Cluster.objects.order_by("position", "slug")],
        ]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Acronym or words of the title")}
        )

    def filters(self) -> ProjectFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return ProjectFilters(
            q=data.get("q") or "",
            programme=data.get("programme") or "",
            year=data.get("year"),
            cluster=data.get("cluster") or "",
        )

    def active_params(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {k: v for k, v in data.items() if v not in ("", None)}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.json,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("CORDIS files"),
        help_text=_("A project table and its participant table together, or one combined file."),
    )
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=[(code, LAYOUT_LABELS[code]) for code in (AUTO, *LAYOUTS)],
        initial=AUTO,
        required=False,
    )

    def clean_layout(self) -> str:
        return self.cleaned_data.get("layout") or AUTO


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("reject", _("Reject"))])
