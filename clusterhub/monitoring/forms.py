"""The filters of the monitoring pages, read from the query string."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _

from clusterhub.monitoring.selectors import MAX_YEAR, MIN_YEAR, resolve_years

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")


class YearRangeForm(forms.Form):
    year_from = forms.IntegerField(label=_("From"), required=False)
    year_to = forms.IntegerField(label=_("To"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs.update(
                {"min": MIN_YEAR, "max": MAX_YEAR, "inputmode": "numeric"}
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            cleaned["year_from"], cleaned["year_to"] = resolve_years(
                cleaned.get("year_from"), cleaned.get("year_to")
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def years(self) -> tuple[int | None, int | None]:
        """The valid range asked for; (None, None), the default range, when it is not valid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year_from"], self.cleaned_data["year_to"]
        return None, None


def cluster_slugs(query: QueryDict) -> list[str]:
    """The `cluster` parameters; something that cannot be a cluster answers 404 like one."""
    slugs = [slug for slug in query.getlist("cluster") if slug]
    if any(not SLUG.match(slug) for slug in slugs):
        raise Http404("No such cluster")
    return slugs
