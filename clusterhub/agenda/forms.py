"""Forms of the agenda's manager pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.agenda.models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AgendaItem,
    AgendaVersion,
    VotingMethod,
)
from clusterhub.agenda.services import MAX_POINTS_BUDGET
from clusterhub.regions.models import S3Theme

TOO_LONG = _("At most %(limit_value)d characters (this text has %(show_value)d).")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _title(label: Any, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TITLE_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        **kwargs,
    )


def _text(label: Any, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class VersionForm(forms.Form):
    title = _title(_("Title"))
    summary = _text(_("Summary"), rows=3, required=False)
    based_on = forms.ModelChoiceField(
        label=_("Based on"),
        queryset=AgendaVersion.objects.none(),
        required=False,
        empty_label=_("Nothing: start empty"),
        help_text=_("Its active items are carried over, with their KPIs, milestones and links."),
    )

    def __init__(self, *args: Any, cluster: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = AgendaVersion.objects.filter(cluster=cluster).order_by("-number")
        self.fields["based_on"].queryset = versions  # type: ignore[attr-defined]
        self.fields["based_on"].label_from_instance = lambda v: f"v{v.number} · {v.title}"  # type: ignore[attr-defined]
        if not self.is_bound and versions.exists():
            self.fields["based_on"].initial = versions.first()


class ItemForm(forms.Form):
    """An item's fields; `revision` is the one the manager started from (a stale one is a
    conflict, shown with the current values, and nothing is saved)."""

    title = _title(_("Title"))
    priority_area = forms.ModelChoiceField(
        label=_("Priority area (S3 theme)"),
        queryset=S3Theme.objects.filter(level=2)
        .select_related("parent")
        .order_by("parent__position", "position", "code"),
        required=False,
        empty_label=_("None"),
    )
    objective = _text(_("Objective"))
    planned_actions = _text(_("Planned actions"), required=False)
    responsible = _title(_("Responsible people"), required=False)
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DATE)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The item cannot end before it starts."))
        return data

    def item_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "priority_area",
                "objective",
                "planned_actions",
                "responsible",
                "starts_on",
                "ends_on",
            )
        }

    @staticmethod
    def initial_for(item: AgendaItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "priority_area": item.priority_area_id,
            "objective": item.objective,
            "planned_actions": item.planned_actions,
            "responsible": item.responsible,
            "starts_on": item.starts_on,
            "ends_on": item.ends_on,
            "revision": item.revision,
        }


class SplitPartForm(forms.Form):
    title = _title(_("Title"))
    objective = _text(_("Objective"), rows=3)
    planned_actions = _text(_("Planned actions"), rows=2, required=False)


SplitFormSet = forms.formset_factory(
    SplitPartForm, extra=0, min_num=2, max_num=6, validate_min=True
)


class MergeForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        label=_("Items to merge"),
        queryset=AgendaItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least two items.")},
    )
    title = _title(_("Title of the merged item"))
    objective = _text(_("Objective of the merged item"))
    planned_actions = _text(_("Planned actions"), required=False)

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items  # type: ignore[attr-defined]

    def clean_items(self) -> Any:
        items = self.cleaned_data["items"]
        if len(items) < 2:
            raise forms.ValidationError(_("Choose at least two items."))
        return items


class KpiForm(forms.Form):
    name = _title(_("Indicator"))
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=14, decimal_places=2, required=False, initial=0
    )
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    current = forms.DecimalField(
        label=_("Current value"), max_digits=14, decimal_places=2, required=False
    )


class KpiProgressForm(forms.Form):
    current = forms.DecimalField(
        label=_("Current value"), max_digits=14, decimal_places=2, required=False
    )


class MilestoneForm(forms.Form):
    title = _title(_("Milestone"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)
    done_on = forms.DateField(label=_("Done"), required=False, widget=DATE)


class ConsultationForm(forms.Form):
    consultation_opens_at = forms.DateTimeField(label=_("Opens"), widget=DATETIME)
    consultation_closes_at = forms.DateTimeField(label=_("Closes"), widget=DATETIME)
    voting_method = forms.ChoiceField(
        label=_("Voting method"),
        choices=VotingMethod.choices,
        widget=forms.RadioSelect,
        initial=VotingMethod.APPROVAL,
    )
    points_budget = forms.IntegerField(
        label=_("Points per organization"),
        min_value=1,
        max_value=MAX_POINTS_BUDGET,
        initial=10,
        help_text=_("Only for the budget of points: what each member organization spreads."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("consultation_opens_at"), data.get("consultation_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "consultation_closes_at", _("The consultation must close after it opens.")
            )
        return data


class LinksForm(forms.Form):
    """Which contributions and trends an item answers (ids among the allowed ones)."""

    contributions = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, contributions: Any, topics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contributions"].queryset = contributions  # type: ignore[attr-defined]
        self.fields["topics"].queryset = topics  # type: ignore[attr-defined]
