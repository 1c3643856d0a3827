"""Forms of opportunities: the feed's filters, the manager's editor, the CSV upload."""

from itertools import groupby
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.core.uploads import csv_upload_problem
from clusterhub.opportunities.importing import MAX_BYTES
from clusterhub.opportunities.models import Opportunity, OpportunityKind
from clusterhub.opportunities.selectors import OpportunityFilters
from clusterhub.opportunities.services import EDITABLE_FIELDS
from clusterhub.regions.models import Cluster, S3Theme
from clusterhub.registry.selectors import clusters_managed_by
from clusterhub.registry.web_forms import GroupedCheckboxes, QuickSelect, _tree_choices


class OpportunityFilterForm(forms.Form):
    cluster = forms.ChoiceField(label=_("Cluster"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect)
    theme = forms.ChoiceField(label=_("S3 theme"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[("", _("Open")), ("archived", _("Archive"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("All clusters"))] + [  # type: ignore[attr-defined]
            (c.slug, c.name) for c in Cluster.objects.order_by("position", "slug")
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *OpportunityKind.choices]  # type: ignore[attr-defined]
        self.fields["theme"].choices = _tree_choices(  # type: ignore[attr-defined]
            S3Theme.objects.order_by("level", "position", "code"), _("All S3 themes")
        )

    def filters(self) -> OpportunityFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return OpportunityFilters(
            cluster=data.get("cluster", ""),
            kind=data.get("kind", ""),
            theme=data.get("theme", ""),
            archived=data.get("status") == "archived",
        )

    def active_params(self, **override: str) -> dict[str, str]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        params = {name: value for name, value in data.items() if value}
        params.update(override)
        return {name: value for name, value in params.items() if value}


class OpportunityForm(forms.ModelForm):
    """What a manager enters for a call; the clusters offered are the ones they manage."""

    url = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")
    clusters = forms.ModelMultipleChoiceField(
        label=_("Clusters"),
        queryset=Cluster.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    s3_themes = GroupedCheckboxes(S3Theme, label=_("S3 themes"), required=False)

    class Meta:
        model = Opportunity
        fields = [*EDITABLE_FIELDS, "clusters", "s3_themes"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clusters"].queryset = clusters_managed_by(user).order_by("position", "slug")  # type: ignore[attr-defined]
        self.fields["clusters"].required = not getattr(user, "is_regional_officer", False)
        managed = list(self.fields["clusters"].queryset)  # type: ignore[attr-defined]
        if len(managed) == 1 and not self.instance.pk:
            self.fields["clusters"].initial = managed
        if getattr(user, "is_regional_officer", False):
            self.fields["clusters"].help_text = _("None: the opportunity is for every cluster.")

    def s3_theme_groups(self) -> list[tuple[str, list[Any], bool]]:
        nodes = {str(node.pk): node for node in self.fields["s3_themes"].queryset}  # type: ignore[attr-defined]
        groups = []
        for group, items in groupby(
            self["s3_themes"], key=lambda w: nodes[str(w.data["value"])].parent.name
        ):
            boxes = list(items)
            groups.append((group, boxes, any(box.data["selected"] for box in boxes)))
        return groups

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in EDITABLE_FIELDS},
            "clusters": list(data["clusters"]),
            "s3_themes": list(data["s3_themes"]),
        }


class ImportUploadForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("One opportunity a line; the first line names the columns."),
    )
    # The checked file's text, sent back with "Import" (checked again before anything is written).
    content = forms.CharField(required=False, widget=forms.HiddenInput, max_length=MAX_BYTES)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        managed = clusters_managed_by(user).order_by("position", "slug")
        self.fields["cluster"].queryset = managed  # type: ignore[attr-defined]
        if len(managed) == 1:
            self.fields["cluster"].initial = managed[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and upload.size > MAX_BYTES:
            self.add_error("file", _("The file is larger than 2 MB."))
        elif upload is not None:
            problem = csv_upload_problem(upload)
            if problem:
                self.add_error("file", problem)
        if upload is None and not data.get("content"):
            self.add_error("file", _("Choose a CSV file."))
        return data

    def data_bytes(self) -> bytes:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return bytes(upload.read())
        return str(self.cleaned_data.get("content") or "").encode("utf-8")


class PublishContributionForm(forms.ModelForm):
    """What a manager adds to a member's post to make it an opportunity of the feed."""

    url = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Opportunity
        fields = ["programme", "deadline", "budget", "url", "eligibility"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
        }
