"""Forms of the event pages."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clusterhub.events.models import CODE_LENGTH, MESSAGE_MAX_LENGTH, Event, EventKind
from clusterhub.regions.models import Cluster, Competence, S3Theme

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventFilterForm(forms.Form):
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    past = forms.BooleanField(label=_("Past events"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("All clusters"))] + [
            (cluster.slug, cluster.name) for cluster in Cluster.objects.all()
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *EventKind.choices]


class EventForm(forms.ModelForm):
    """An event, created or edited by a manager of its clusters or an officer."""

    clusters = forms.ModelMultipleChoiceField(
        label=_("Clusters"),
        queryset=Cluster.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    s3_themes = forms.ModelMultipleChoiceField(
        label=_("S3 themes"),
        queryset=S3Theme.objects.filter(level=2).order_by("parent__position", "position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences"),
        queryset=Competence.objects.filter(level=2).order_by("parent__position", "position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    online_url = forms.URLField(
        label=capfirst(Event._meta.get_field("online_url").verbose_name),
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "status",
            "visibility",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "capacity",
            "description",
            "clusters",
            "s3_themes",
            "competences",
            "meeting_minutes",
            "request_ttl_hours",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "capacity": _("Empty: no limit. Beyond it people join the waiting list."),
            "meeting_minutes": _("B2B sessions only: the length of one meeting."),
            "request_ttl_hours": _(
                "B2B sessions only: an unanswered request frees its slot after this long."
            ),
        }

    def __init__(self, *args: Any, clusters: Any, region_wide_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region_wide_allowed = region_wide_allowed
        self.fields["clusters"].queryset = clusters
        self.fields["clusters"].help_text = (
            _("None: a region-wide event, open to every cluster.")
            if region_wide_allowed
            else _("At least one of the clusters you manage.")
        )
        if not self.is_bound and self.instance.pk is None and len(clusters) == 1:
            self.initial["clusters"] = list(clusters)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_clusters(self) -> Any:
        clusters = self.cleaned_data["clusters"]
        if not clusters and not self.region_wide_allowed:
            raise forms.ValidationError(_("Choose at least one of the clusters you manage."))
        return clusters

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=CODE_LENGTH * 2,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Type or scan the code of the ticket.")},
    )


class MeetingRequestForm(forms.Form):
    invitee = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    slot_start = forms.ChoiceField(label=_("Time slot"))
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": MESSAGE_MAX_LENGTH}),
    )

    def __init__(self, *args: Any, slots: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = {slot.isoformat(): slot for slot in slots}
        self.fields["slot_start"].choices = [(key, key) for key in self.slots]

    def clean_slot_start(self) -> Any:
        return self.slots[self.cleaned_data["slot_start"]]
