import datetime

from django import forms

from minipolice.delivery.models import SchoolHoliday, Session
from minipolice.delivery.services import WEEKDAYS
from minipolice.lib.forms import GovukDateInput


class GovukTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "govuk-input govuk-input--width-5", **(attrs or {})}, format="%H:%M"
        )


class PlanForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Programme template", queryset=None, empty_label=None, widget=forms.RadioSelect
    )
    first_date = forms.DateField(
        label="Start from",
        widget=GovukDateInput(),
        help_text="The first session is on the chosen weekday on or after this date.",
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        coerce=int,
        choices=[(i, day) for i, day in enumerate(WEEKDAYS[:5])],
        widget=forms.RadioSelect,
    )
    start_time = forms.TimeField(label="Start time", widget=GovukTimeInput())
    minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=5,
        max_value=600,
        initial=60,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    place = forms.CharField(
        label="Place", max_length=160, required=False, help_text="For example, the school hall."
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = lambda t: (
            f"{t.name} ({t.weeks} week{'s' if t.weeks != 1 else ''}"
            f"{', national' if t.force_id is None else ''})"
        )


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start_time", "minutes", "place", "module"]
        labels = {"minutes": "Length in minutes", "start_time": "Start time"}
        widgets = {
            "date": GovukDateInput(),
            "start_time": GovukTimeInput(),
            "minutes": forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        }

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules
        self.fields["module"].empty_label = "No module"
        self.fields["module"].required = False


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        max_length=255,
        help_text="For example: school trip, snow closure, leader called to an incident.",
    )


class SessionDetailsForm(forms.Form):
    leaders_present = forms.ModelMultipleChoiceField(
        label="Leaders present",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their time counts toward their volunteer hours.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders_present"].queryset = candidates


class HolidayForm(forms.ModelForm):
    class Meta:
        model = SchoolHoliday
        fields = ["name", "area", "start_date", "end_date"]
        widgets = {"start_date": GovukDateInput(), "end_date": GovukDateInput()}

    def __init__(self, *args, areas, area_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].required = area_required
        self.fields["area"].empty_label = "Every area of the force"
        if area_required:
            self.fields["area"].empty_label = "Choose an area"
            self.fields["area"].help_text = "The area these dates apply to."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day must be on or after the first day.")
        return cleaned


def default_start_time() -> datetime.time:
    return datetime.time(14, 0)
