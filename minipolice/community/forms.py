from django import forms
from django.utils import timezone

from minipolice.community.models import KIND_MEASURES, MEASURES, ActionKind, CommunityAction
from minipolice.lib.forms import GovukDateField


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of community action was it?",
        choices=ActionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of community action it was",
            "invalid_choice": "Select a kind of community action from the list",
        },
    )


class ActionForm(forms.ModelForm):
    """The details, the measures that fit `kind` (only those), and who took part.

    `candidates` are the children who may be ticked, each with its consent decision; the
    template shows those without consent greyed out with the reason.
    """

    participants = forms.TypedMultipleChoiceField(
        label="Children who took part",
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": "Select only children in one of the unit's cohorts running on the "
            "date of the action, with consent to take part",
            "invalid_list": "Select the children who took part",
        },
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
        error_messages = {
            "date": {
                "required": "Enter the date of the action",
                "invalid": "The date of the action must be a real date",
            },
            "latitude": {"invalid": "Enter the latitude as a number, for example 51.12345"},
            "longitude": {"invalid": "Enter the longitude as a number, for example -2.98765"},
        }
        field_classes = {"date": GovukDateField}
        widgets = {
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
        what = "action" if self.kind == ActionKind.OTHER else self.kind.label.lower()
        self.fields["place"].error_messages["required"] = f"Enter where the {what} took place"
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
                words = MEASURES[name]
                self.fields[name].error_messages.update(
                    invalid=f"Enter the number of {words} as a whole number, for example 25",
                    min_value=f"The number of {words} must be 0 or more",
                )
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
    start = GovukDateField(
        label="From",
        error_messages={
            "required": "Enter the first date to count from",
            "invalid": "The first date must be a real date",
        },
    )
    end = GovukDateField(
        label="To",
        error_messages={
            "required": "Enter the last date to count to",
            "invalid": "The last date must be a real date",
        },
    )
    level = forms.ChoiceField(
        label="Totals for each",
        choices=[("unit", "Unit"), ("area", "Area"), ("force", "Force")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether to total by unit, area or force",
            "invalid_choice": "Select unit, area or force",
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        return cleaned
