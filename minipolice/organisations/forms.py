from django import forms

from minipolice.lib.forms import GovukDateInput
from minipolice.organisations.models import Area, Cohort, School, Unit, UnitStatus


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name"]


class SchoolForm(forms.ModelForm):
    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["latitude"].help_text = "Optional, for the map of units"
        self.fields["longitude"].help_text = "Optional"

    class Meta:
        model = School
        fields = ["name", "area", "urn", "address", "town", "postcode", "latitude", "longitude"]


class UnitForm(forms.ModelForm):
    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if schools is None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools

    class Meta:
        model = Unit
        fields = ["name", "school", "funding_source"]


class UnitStatusForm(forms.Form):
    to_status = forms.ChoiceField(label="New status", choices=())
    changed_on = forms.DateField(label="Date of the change", widget=GovukDateInput())
    note = forms.CharField(label="Note (optional)", required=False, max_length=255)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s.value, s.label) for s in unit.allowed_next_statuses()
        ]
        self.fields["to_status"].widget = forms.RadioSelect(
            choices=self.fields["to_status"].choices
        )


class AssignLeaderForm(forms.Form):
    leader = forms.ModelChoiceField(label="Leader", queryset=None, empty_label="Choose a leader")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = candidates


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "start_date", "end_date"]
        widgets = {"start_date": GovukDateInput(), "end_date": GovukDateInput()}

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.instance.unit = unit

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return cleaned


UNIT_STATUS_CHOICES = UnitStatus.choices
