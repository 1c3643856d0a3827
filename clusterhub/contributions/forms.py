"""Forms of the contribution pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.contributions.models import (
    COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ContributionKind,
    ContributionStatus,
    ContributionVisibility,
)
from clusterhub.contributions.selectors import ContributionFilters, posting_clusters
from clusterhub.regions.models import Cluster, Competence, S3Theme

TOO_LONG = _("At most %(limit_value)d characters (this text has %(show_value)d).")


class ContributionForm(forms.Form):
    """A new contribution. Tags are ticked among the suggestions, or picked from the lists."""

    organization = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=None,
        empty_label=None,  # type: ignore[arg-type]
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    text = forms.CharField(
        label=_("Describe it"),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        help_text=_("In Italian or English. Tags and similar contributions are read from it."),
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("Clusters"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one cluster.")},
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=ContributionVisibility.choices,
        initial=ContributionVisibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    s3_themes = forms.ModelMultipleChoiceField(
        label=_("S3 themes"),
        queryset=S3Theme.objects.filter(level=2).select_related("parent"),
        to_field_name="code",
        required=False,
    )
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences"),
        queryset=Competence.objects.filter(level=2).select_related("parent"),
        to_field_name="code",
        required=False,
    )
    # Set once the author has been shown the suggested tags and similar contributions.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from clusterhub.contributions.selectors import posting_organizations

        organizations = posting_organizations(user)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["clusters"].queryset = posting_clusters(organizations)  # type: ignore[attr-defined]
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()
            self.fields["organization"].widget = forms.HiddenInput()
        clusters = self.fields["clusters"].queryset  # type: ignore[attr-defined]
        if clusters.count() == 1:
            self.fields["clusters"].initial = list(clusters)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("close", _("Close")),
            ("reopen", _("Reopen")),
            ("merge", _("Merge")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
    )
    into = forms.IntegerField(
        label=_("Merge into"), required=False, min_value=1, max_value=2**63 - 1
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "close" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why it is closed: the author will read it."))
        if data.get("action") == "merge" and not data.get("into"):
            self.add_error("into", _("Choose the contribution to merge it into."))
        return data


STATUS_FILTER_CHOICES = [("", _("Open to discussion"))] + list(ContributionStatus.choices)


class ContributionFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ContributionKind.choices]
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_FILTER_CHOICES)
    mine = forms.BooleanField(label=_("Only my organization's"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("Any cluster"))] + [  # type: ignore[attr-defined]
            (cluster.slug, cluster.name) for cluster in Cluster.objects.order_by("position")
        ]

    def filters(self) -> ContributionFilters:
        if not self.is_valid():
            return ContributionFilters()
        data = self.cleaned_data
        return ContributionFilters(
            cluster=data["cluster"],
            kind=data["kind"],
            status=data["status"],
            q=data["q"].strip(),
            mine=data["mine"],
        )
