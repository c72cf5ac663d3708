import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from minipolice.delivery.models import SchoolHoliday, Session
from minipolice.delivery.services import WEEKDAYS
from minipolice.lib.forms import GovukDateField, GovukTimeField

# What each field says when it is left empty or filled in wrongly (GOV.UK error messages).
START_TIME_ERRORS = {
    "required": gettext_lazy("Enter the start time"),
    "invalid": gettext_lazy("Enter the start time as hours and minutes, for example 14:00"),
}
MINUTES_ERRORS = {
    "required": gettext_lazy("Enter the length of the session in minutes"),
    "invalid": gettext_lazy("Enter the length as a whole number of minutes, for example 60"),
    "min_value": gettext_lazy("The session must be 5 minutes or longer"),
    "max_value": gettext_lazy("The session must be 600 minutes (10 hours) or shorter"),
}


class PlanForm(forms.Form):
    template = forms.ModelChoiceField(
        label=gettext_lazy("Programme template"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select a programme template"),
            "invalid_choice": gettext_lazy("Select a programme template from the list"),
        },
    )
    first_date = GovukDateField(
        label=gettext_lazy("Start from"),
        help_text=gettext_lazy("The first session is on the chosen weekday on or after this date."),
        error_messages={
            "required": gettext_lazy("Enter the date to start planning from"),
            "invalid": gettext_lazy("The date to start from must be a real date"),
        },
    )
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Day of the week"),
        coerce=int,
        choices=[(i, day) for i, day in enumerate(WEEKDAYS[:5])],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Select the day of the week the sessions are on"),
            "invalid_choice": gettext_lazy("Select a day of the week from Monday to Friday"),
        },
    )
    start_time = GovukTimeField(label=gettext_lazy("Start time"), error_messages=START_TIME_ERRORS)
    minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"),
        min_value=5,
        max_value=600,
        initial=60,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages=MINUTES_ERRORS,
    )
    place = forms.CharField(
        label=gettext_lazy("Place"),
        max_length=160,
        required=False,
        help_text=gettext_lazy("For example, the school hall."),
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = _template_label


def _template_label(template) -> str:
    if template.force_id is None:
        words = ngettext(
            "%(name)s (%(weeks)s week, national)",
            "%(name)s (%(weeks)s weeks, national)",
            template.weeks,
        )
    else:
        words = ngettext("%(name)s (%(weeks)s week)", "%(name)s (%(weeks)s weeks)", template.weeks)
    return words % {"name": template.name, "weeks": template.weeks}


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start_time", "minutes", "place", "module"]
        labels = {
            "date": gettext_lazy("Date"),
            "minutes": gettext_lazy("Length in minutes"),
            "start_time": gettext_lazy("Start time"),
            "place": gettext_lazy("Place"),
            "module": gettext_lazy("Module"),
        }
        field_classes = {"date": GovukDateField, "start_time": GovukTimeField}
        widgets = {
            "minutes": forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        }
        error_messages = {
            "date": {
                "required": gettext_lazy("Enter the date of the session"),
                "invalid": gettext_lazy("The date of the session must be a real date"),
            },
            "start_time": START_TIME_ERRORS,
            "minutes": MINUTES_ERRORS,
            "module": {
                "invalid_choice": gettext_lazy("Select a module from the list, or no module")
            },
        }

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].validators += [
            MinValueValidator(5, MINUTES_ERRORS["min_value"]),
            MaxValueValidator(600, MINUTES_ERRORS["max_value"]),
        ]
        self.fields["module"].queryset = modules
        self.fields["module"].empty_label = _("No module")
        self.fields["module"].required = False


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the session cancelled?"),
        max_length=255,
        help_text=gettext_lazy(
            "For example: school trip, snow closure, leader called to an incident."
        ),
        error_messages={
            "required": gettext_lazy("Enter why the session is cancelled"),
            "max_length": gettext_lazy("The reason must be 255 characters or fewer"),
        },
    )


class SessionDetailsForm(forms.Form):
    leaders_present = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Leaders present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Their time counts toward their volunteer hours."),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, candidates, with_notes=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders_present"].queryset = candidates
        if not with_notes:
            # Notes may name children: a leader whose clearance lapsed records only who led.
            del self.fields["notes"]


class HolidayForm(forms.ModelForm):
    class Meta:
        model = SchoolHoliday
        fields = ["name", "area", "start_date", "end_date"]
        labels = {"name": gettext_lazy("Name"), "area": gettext_lazy("Area")}
        field_classes = {"start_date": GovukDateField, "end_date": GovukDateField}
        error_messages = {
            "name": {
                "required": gettext_lazy(
                    "Enter the name of the holiday, for example Autumn half term"
                )
            },
            "area": {
                "required": gettext_lazy("Select the area these dates apply to"),
                "invalid_choice": gettext_lazy("Select an area from the list"),
            },
            "start_date": {
                "required": gettext_lazy("Enter the first day of the holiday"),
                "invalid": gettext_lazy("The first day must be a real date"),
            },
            "end_date": {
                "required": gettext_lazy("Enter the last day of the holiday"),
                "invalid": gettext_lazy("The last day must be a real date"),
            },
        }

    def __init__(self, *args, areas, area_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].required = area_required
        self.fields["area"].empty_label = _("Every area of the force")
        if area_required:
            self.fields["area"].empty_label = _("Choose an area")
            self.fields["area"].help_text = _("The area these dates apply to.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day must be on or after the first day."))
        return cleaned


def default_start_time() -> datetime.time:
    return datetime.time(14, 0)
