from django import forms
from django.utils import timezone

from minipolice.community.models import KIND_MEASURES, ActionKind, CommunityAction
from minipolice.lib.forms import GovukDateInput


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of community action was it?",
        choices=ActionKind.choices,
        widget=forms.RadioSelect,
    )


class ActionForm(forms.ModelForm):
    """The details, the measures that fit `kind` (only those), and who took part.

    `candidates` are the children who may be ticked, each with its consent decision; the
    template shows those without consent greyed out with the reason.
    """

    participants = forms.TypedMultipleChoiceField(
        label="Children who took part", coerce=int, required=False
    )

    class Meta:
        model = CommunityAction
        fields = [
            "date",
            "place",
            "latitude",
            "longitude",
            "partners",
            "homes_reached",
            "leaflets_delivered",
            "bags_collected",
            "vehicles_checked",
            "vehicles_over_limit",
            "drivers_spoken_to",
            "outcome",
        ]
        widgets = {
            "date": GovukDateInput(),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.TextInput(
                attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}
            ),
            "longitude": forms.TextInput(
                attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}
            ),
        }

    def __init__(self, *args, kind: str, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = ActionKind(kind)
        fitting = KIND_MEASURES[self.kind]
        for name in [
            "homes_reached",
            "leaflets_delivered",
            "bags_collected",
            "vehicles_checked",
            "vehicles_over_limit",
            "drivers_spoken_to",
        ]:
            if name not in fitting:
                del self.fields[name]
            else:
                self.fields[name].widget.attrs["class"] = "govuk-input--width-5"
                self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.candidates = candidates
        self.fields["participants"].choices = [
            (c.child.pk, c.child.full_name) for c in candidates if c.decision.allowed
        ]
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("date", timezone.localdate())

    def detail_fields(self):
        return [self[name] for name in ("date", "place", "partners")]

    def map_fields(self):
        return [self[name] for name in ("latitude", "longitude")]

    def measure_fields(self):
        return [self[name] for name in KIND_MEASURES[self.kind]] + [self["outcome"]]

    def chosen_ids(self) -> set[int]:
        if self.is_bound:
            return {int(v) for v in self.data.getlist("participants") if v.isdigit()}
        return set(self.initial.get("participants", []))

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (
            (lat is None) != (lng is None)
            and "latitude" not in self.errors
            and "longitude" not in self.errors
        ):
            self.add_error(
                "longitude" if lng is None else "latitude",
                "Give both latitude and longitude, or neither.",
            )
        by_id = {c.child.pk: c.child for c in self.candidates}
        cleaned["participants"] = [
            by_id[pk] for pk in cleaned.get("participants", []) if pk in by_id
        ]
        return cleaned


class TotalsForm(forms.Form):
    start = forms.DateField(label="From", widget=GovukDateInput())
    end = forms.DateField(label="To", widget=GovukDateInput())
    level = forms.ChoiceField(
        label="Totals for each",
        choices=[("unit", "Unit"), ("area", "Area"), ("force", "Force")],
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        return cleaned
