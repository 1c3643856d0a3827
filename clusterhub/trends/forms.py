"""Forms of the trends pages: starting a run, choosing the runs shown."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.trends.models import Period


class RunStartForm(forms.Form):
    """A new detection: the period, and the two parameters a manager may want to change."""

    period = forms.ChoiceField(label=_("Period"), choices=Period.choices, initial=Period.QUARTER)
    min_topic_size = forms.IntegerField(
        label=_("Smallest topic (documents)"),
        required=False,
        min_value=2,
        max_value=1000,
        help_text=_("Fewer documents than this are not a topic. Empty: the default."),
    )
    window = forms.IntegerField(
        label=_("Test growth over the last periods"),
        required=False,
        min_value=2,
        max_value=200,
        help_text=_("Empty: over every period."),
    )

    def params(self) -> dict[str, Any]:
        """The detection parameters chosen (the others keep their defaults)."""
        chosen = {key: self.cleaned_data.get(key) for key in ("min_topic_size", "window")}
        return {key: value for key, value in chosen.items() if value is not None}
