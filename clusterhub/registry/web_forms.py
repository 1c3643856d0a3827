"""Forms of the public directory and of the organization profile editor."""

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster, Competence, S3Theme, Territory
from clusterhub.registry.identifiers import clean_pic, clean_vat_number
from clusterhub.registry.models import Organization, OrganizationKind
from clusterhub.registry.selectors import DirectoryFilters
from clusterhub.registry.services import EDITABLE_FIELDS


def _tree_choices(nodes: Iterable[Competence | S3Theme], everything: str) -> list[Any]:
    """Level-1 nodes as option groups whose first option selects the whole group."""
    choices: list[Any] = [("", everything)]
    children: dict[int, list[Competence | S3Theme]] = {}
    roots = []
    for node in nodes:
        if node.parent_id is None:
            roots.append(node)
        else:
            children.setdefault(node.parent_id, []).append(node)
    for root in roots:
        options = [(root.code, _("All of %(area)s") % {"area": root.name})]
        options += [(child.code, child.name) for child in children.get(root.pk, [])]
        choices.append((root.name, options))
    return choices


class QuickSelect(forms.Select):
    """A select rendered in Python rather than one template per option.

    The directory's lists hold about 170 options and are drawn on every search page.
    """

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]

        def options(items: list[dict[str, Any]]) -> str:
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], " selected" if o["selected"] else "", o["label"]) for o in items),
            )

        parts = []
        for group, items, _index in widget["optgroups"]:
            if group:
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group, options(items))
                )
            else:
                parts.append(options(items))
        return format_html(
            "<select{}>{}</select>",
            flatatt(widget["attrs"] | {"name": name}),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters, read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, city, competence, equipment…"),
                "autocomplete": "off",
            }
        ),
    )
    cluster = forms.ChoiceField(label=_("Cluster"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect)
    province = forms.ChoiceField(label=_("Province"), required=False, widget=QuickSelect)
    competence = forms.ChoiceField(label=_("Competence"), required=False, widget=QuickSelect)
    theme = forms.ChoiceField(label=_("S3 theme"), required=False, widget=QuickSelect)
    htn = forms.ChoiceField(
        label=_("High Technology Network"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any")), ("yes", _("Accredited labs only")), ("no", _("Not accredited"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["cluster"].choices = [("", _("All clusters"))] + [  # type: ignore[attr-defined]
            (cluster.slug, cluster.name) for cluster in Cluster.objects.order_by("position")
        ]
        fields["kind"].choices = [("", _("All kinds")), *OrganizationKind.choices]  # type: ignore[attr-defined]
        fields["province"].choices = [("", _("All provinces"))] + [  # type: ignore[attr-defined]
            (territory.nuts3, territory.name) for territory in Territory.objects.order_by("name")
        ]
        fields["competence"].choices = _tree_choices(  # type: ignore[attr-defined]
            Competence.objects.order_by("level", "position", "code"), _("All competences")
        )
        fields["theme"].choices = _tree_choices(  # type: ignore[attr-defined]
            S3Theme.objects.order_by("level", "position", "code"), _("All S3 themes")
        )

    def filters(self) -> DirectoryFilters:
        """What to search for; a field with an invalid value is left out (and shown as an error)."""
        data = self.cleaned_data if self.is_bound else {}
        htn = data.get("htn", "")
        return DirectoryFilters(
            q=data.get("q", ""),
            cluster=data.get("cluster", ""),
            kind=data.get("kind", ""),
            territory=data.get("province", ""),
            s3_theme=data.get("theme", ""),
            competence=data.get("competence", ""),
            htn_accredited={"yes": True, "no": False}.get(htn),
        )

    def active_params(self) -> dict[str, str]:
        """The valid, non-empty filters: for links that keep the current search."""
        data = self.cleaned_data if self.is_bound else {}
        return {name: value for name, value in data.items() if value}


class GroupedCheckboxes(forms.ModelMultipleChoiceField):
    """Taxonomy nodes of level 2, shown as checkboxes grouped under their level-1 parent."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, taxonomy: type[Competence] | type[S3Theme], **kwargs: Any) -> None:
        queryset = (
            taxonomy.objects.filter(level=2)
            .select_related("parent")
            .order_by("parent__position", "parent__code", "position", "code")
        )
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, obj: Competence | S3Theme) -> str:  # type: ignore[override]
        return obj.name


class OrganizationEditForm(forms.ModelForm):
    """The public profile of an organization, edited by its admin, its manager or an officer."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    # Wider than the stored values: spaces and an `IT` prefix are cleaned away first.
    vat_number = forms.CharField(
        label=_("VAT number"),
        required=False,
        max_length=20,
        help_text=_("Italian partita IVA: 11 digits, checked."),
    )
    pic = forms.CharField(
        label=_("EU PIC"),
        required=False,
        max_length=20,
        help_text=_("Participant Identification Code of the EU funding portal: 9 digits."),
    )
    website = forms.URLField(
        label=_("website"), required=False, max_length=500, assume_scheme="https"
    )
    competences = GroupedCheckboxes(Competence, label=_("Competences"), required=False)
    s3_themes = GroupedCheckboxes(S3Theme, label=_("S3 themes"), required=False)

    class Meta:
        model = Organization
        fields = [*EDITABLE_FIELDS, "competences", "s3_themes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "competence_notes": forms.Textarea(attrs={"rows": 3}),
            "equipment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"postcode": _("The province and NUTS-3 code follow from the postcode.")}

    def __init__(self, *args: Any, can_accredit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        # Accreditation is the region's decision: only regional officers change it.
        self.fields["htn_accredited"].disabled = not can_accredit

    def clean_vat_number(self) -> str:
        return clean_vat_number(self.cleaned_data["vat_number"])

    def clean_pic(self) -> str:
        return clean_pic(self.cleaned_data["pic"])

    def grouped(self, name: str) -> list[tuple[str, list[Any], bool]]:
        """(level-1 name, checkboxes, any checked) of a taxonomy field, for the template."""
        nodes = {str(node.pk): node for node in self.fields[name].queryset}  # type: ignore[attr-defined]

        def parent_name(widget: Any) -> str:
            return nodes[str(widget.data["value"])].parent.name

        groups = []
        for group, items in groupby(self[name], key=parent_name):
            boxes = list(items)
            groups.append((group, boxes, any(box.data["selected"] for box in boxes)))
        return groups

    def competence_groups(self) -> list[tuple[str, list[Any], bool]]:
        return self.grouped("competences")

    def s3_theme_groups(self) -> list[tuple[str, list[Any], bool]]:
        return self.grouped("s3_themes")

    def update_arguments(self) -> dict[str, Any]:
        """Keyword arguments for `organization_update`, from the cleaned data."""
        data = self.cleaned_data
        fields = {name: data[name] for name in EDITABLE_FIELDS}
        return {
            "expected_version": data["version"],
            "competences": list(data["competences"]),
            "s3_themes": list(data["s3_themes"]),
            **fields,
        }
