"""The short feedback form participants get after an event."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterhub.assessment.models import NOTE_MAX

SATISFACTION = [
    (5, _("5 · Very satisfied")),
    (4, _("4 · Satisfied")),
    (3, _("3 · Neither")),
    (2, _("2 · Dissatisfied")),
    (1, _("1 · Very dissatisfied")),
]


class FeedbackForm(forms.Form):
    knowledge_of_trends = forms.BooleanField(
        label=_("I gained knowledge of trends in my field"), required=False
    )
    new_competences = forms.BooleanField(label=_("I gained new competences"), required=False)
    new_contacts = forms.BooleanField(
        label=_("I made new contacts I expect to work with"), required=False
    )
    new_ideas = forms.BooleanField(
        label=_("My organization developed new ideas for projects or business"), required=False
    )
    new_products = forms.BooleanField(
        label=_("My organization developed or started new products or processes"),
        required=False,
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the event?"),
        choices=SATISFACTION,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    OUTCOMES = (
        "knowledge_of_trends",
        "new_competences",
        "new_contacts",
        "new_ideas",
        "new_products",
    )

    def outcomes(self) -> set[str]:
        return {name for name in self.OUTCOMES if self.cleaned_data.get(name)}
