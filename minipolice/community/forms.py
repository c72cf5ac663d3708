from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.community.models import KIND_MEASURES, MEASURES, ActionKind, CommunityAction
from minipolice.lib.forms import GovukDateField


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What kind of community action was it?"),
        choices=ActionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select what kind of community action it was"),
            "invalid_choice": gettext_lazy("Select a kind of community action from the list"),
        },
    )


class ActionForm(forms.ModelForm):
    """The details, the measures that fit `kind` (only those), and who took part.

    `candidates` are the children who may be ticked, each with its consent decision; the
    template shows those without consent greyed out with the reason.
    """

    participants = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Children who took part"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Select only children in one of the unit's cohorts running on the "
                "date of the action, with consent to take part"
            ),
            "invalid_list": gettext_lazy("Select the children who took part"),
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
                "required": gettext_lazy("Enter the date of the action"),
                "invalid": gettext_lazy("The date of the action must be a real date"),
            },
            "latitude": {
                "invalid": gettext_lazy("Enter the latitude as a number, for example 51.12345")
            },
            "longitude": {
                "invalid": gettext_lazy("Enter the longitude as a number, for example -2.98765")
            },
        }
        labels = {
            "date": gettext_lazy("Date"),
            "place": gettext_lazy("Place"),
            "latitude": gettext_lazy("Latitude"),
            "longitude": gettext_lazy("Longitude"),
            "partners": gettext_lazy("Partners"),
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
        what = _("action") if self.kind == ActionKind.OTHER else self.kind.label.lower()
        self.fields["place"].error_messages["required"] = _(
            "Enter where the %(what)s took place"
        ) % {"what": what}
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
                    invalid=_("Enter the number of %(what)s as a whole number, for example 25")
                    % {"what": words},
                    min_value=_("The number of %(what)s must be 0 or more") % {"what": words},
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
                _("Give both latitude and longitude, or neither."),
            )
        by_id = {c.child.pk: c.child for c in self.candidates}
        cleaned["participants"] = [
            by_id[pk] for pk in cleaned.get("participants", []) if pk in by_id
        ]
        return cleaned


class TotalsForm(forms.Form):
    start = GovukDateField(
        label=gettext_lazy("From"),
        error_messages={
            "required": gettext_lazy("Enter the first date to count from"),
            "invalid": gettext_lazy("The first date must be a real date"),
        },
    )
    end = GovukDateField(
        label=gettext_lazy("To"),
        error_messages={
            "required": gettext_lazy("Enter the last date to count to"),
            "invalid": gettext_lazy("The last date must be a real date"),
        },
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Totals for each"),
        choices=[
            ("unit", gettext_lazy("Unit")),
            ("area", gettext_lazy("Area")),
            ("force", gettext_lazy("Force")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select whether to total by unit, area or force"),
            "invalid_choice": gettext_lazy("Select unit, area or force"),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        return cleaned
