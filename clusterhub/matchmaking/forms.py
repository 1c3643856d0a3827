"""Forms of the matchmaking pages, read from the query string (searches) or a POST (saving)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.matchmaking.models import (
    DEFAULT_CONSORTIUM_ROLES,
    QUERY_MAX_LENGTH,
    ConsortiumRole,
)
from clusterhub.matchmaking.selectors import MAX_K, MatchFilters
from clusterhub.regions.models import Cluster, Territory
from clusterhub.registry.models import OrganizationKind
from clusterhub.registry.web_forms import QuickSelect

HTN_CHOICES = [("", _("Any")), ("yes", _("Accredited labs only")), ("no", _("Not accredited"))]


def _need_field(placeholder: Any, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("What are you looking for?"),
        required=required,
        max_length=QUERY_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": placeholder,
                "autocomplete": "off",
                "maxlength": QUERY_MAX_LENGTH,
            }
        ),
        error_messages={
            "max_length": _(
                "Describe the need in at most %(limit_value)d characters "
                "(this one has %(show_value)d)."
            )
        },
    )


def _province_choices(everything: Any) -> list[tuple[str, Any]]:
    return [("", everything)] + [
        (territory.nuts3, territory.name) for territory in Territory.objects.order_by("name")
    ]


class MatchForm(forms.Form):
    """A need, in Italian or English, and the filters of the results."""

    q = _need_field(_("e.g. compostable materials for food trays with an oxygen barrier"))
    cluster = forms.ChoiceField(label=_("Cluster"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect)
    province = forms.ChoiceField(label=_("Province"), required=False, widget=QuickSelect)
    htn = forms.ChoiceField(
        label=_("High Technology Network"), required=False, widget=QuickSelect, choices=HTN_CHOICES
    )
    # How many results: the first page, then more on demand (explanations cost time).
    k = forms.IntegerField(required=False, min_value=1, max_value=MAX_K, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["cluster"].choices = [("", _("All clusters"))] + [  # type: ignore[attr-defined]
            (cluster.slug, cluster.name) for cluster in Cluster.objects.order_by("position")
        ]
        fields["kind"].choices = [("", _("All kinds")), *OrganizationKind.choices]  # type: ignore[attr-defined]
        fields["province"].choices = _province_choices(_("All provinces"))  # type: ignore[attr-defined]

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""

    def filters(self) -> MatchFilters:
        """The valid filters (an invalid one is left out and shown as an error)."""
        data = self.cleaned_data if self.is_bound else {}
        return MatchFilters(
            cluster=data.get("cluster", ""),
            kind=data.get("kind", ""),
            province=data.get("province", ""),
            htn={"yes": True, "no": False}.get(data.get("htn", "")),
        )

    def size(self, default: int) -> int:
        data = self.cleaned_data if self.is_bound else {}
        return data.get("k") or default

    def active_params(self) -> dict[str, str]:
        """The valid, non-empty search and filters (not the result count)."""
        data = self.cleaned_data if self.is_bound else {}
        return {name: value for name, value in data.items() if value and name != "k"}

    def filter_fields(self) -> list[Any]:
        return [self[name] for name in ("cluster", "kind", "province", "htn")]


class SaveSearchForm(forms.Form):
    """The search to save, as the results page posts it."""

    q = forms.CharField(max_length=QUERY_MAX_LENGTH, strip=True)
    cluster = forms.SlugField(required=False, max_length=50)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *OrganizationKind.choices])
    province = forms.RegexField(required=False, regex=r"^[A-Z0-9]{0,5}$")
    htn = forms.ChoiceField(required=False, choices=HTN_CHOICES)

    def filters(self) -> MatchFilters:
        data = self.cleaned_data
        return MatchFilters(
            cluster=data.get("cluster", ""),
            kind=data.get("kind", ""),
            province=data.get("province", ""),
            htn={"yes": True, "no": False}.get(data.get("htn", "")),
        )


class ConsortiumForm(forms.Form):
    """A call or a project idea, and the roles the consortium needs."""

    q = _need_field(
        _("e.g. a pilot plant that turns whey into bioplastics for packaging"), required=False
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles to fill"),
        required=False,
        choices=ConsortiumRole.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[str(role) for role in DEFAULT_CONSORTIUM_ROLES],
    )
    province = forms.ChoiceField(label=_("Province"), required=False, widget=QuickSelect)
    cross_cluster = forms.BooleanField(
        label=_("Prefer members of different clusters"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("The call or the project idea")
        self.fields["province"].choices = _province_choices(_("Whole region"))  # type: ignore[attr-defined]

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data.get("roles") or []
        if self.data.get("q") and not roles:
            raise forms.ValidationError(_("Pick at least one role."))
        return list(roles)
