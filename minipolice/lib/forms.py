import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from minipolice.lib.validators import clean_name, validate_name

DATE_PARTS = ("day", "month", "year")
# The boxes' labels, and the parts as a sentence names them ("The date must include a month").
DATE_PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
DATE_PART_NAMES = {
    "day": _("day"),
    "month": _("month"),
    "year": _("year"),
}
# A month may be typed as a number or a name, in English or Welsh.
WELSH_MONTHS = [
    "ionawr",
    "chwefror",
    "mawrth",
    "ebrill",
    "mai",
    "mehefin",
    "gorffennaf",
    "awst",
    "medi",
    "hydref",
    "tachwedd",
    "rhagfyr",
]
MONTH_NAMES = (
    {
        name.lower(): number
        for number in range(1, 13)
        for name in (calendar.month_name[number], calendar.month_abbr[number])
    }
    | {"sept": 9}
    | {name: number for number, name in enumerate(WELSH_MONTHS, start=1)}
)
TIME_HINT = _("For example, 14:30")
# 14:30, 14.30, 1430, 14 30, 9:05, 14 (on the hour); "2:30 pm" and "2pm" are read as 14:30, 14:00.
TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:. ]?(\d{2}))?\s*(am|pm)?$")


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: three text boxes, Day, Month and Year, named `<name>_0`, `_1`
    and `_2` (so the error summary links to the day box, `#id_<name>_0`).

    A post without the three boxes but with `<name>` itself (YYYY-MM-DD, as the tests and the
    plan preview's hidden fields send) is read as that one value. The field around it is
    `GovukDateField`, which turns the three parts into a date or says which part is missing.
    """

    template_name = "govuk/widgets/date_input.html"
    widths = ("govuk-input--width-2", "govuk-input--width-2", "govuk-input--width-4")

    def __init__(self, attrs=None):
        boxes = [
            forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input {width}",
                    "inputmode": "numeric",
                }
            )
            for width in self.widths
        ]
        super().__init__(boxes, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str):
            try:
                return self.decompress(datetime.date.fromisoformat(value.strip()))
            except ValueError:
                pass
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # `govuk_widget` asks for error styling with the class govuk-input--error: it goes on
        # the boxes left empty when only some are filled in, otherwise on all three.
        error = "govuk-input--error" in context["widget"]["attrs"].get("class", "")
        subwidgets = context["widget"]["subwidgets"]
        filled = [bool(sub["value"]) for sub in subwidgets]
        partial = any(filled) and not all(filled)
        for sub, label, is_filled, width in zip(
            subwidgets, DATE_PARTS, filled, self.widths, strict=True
        ):
            sub["label"] = DATE_PART_LABELS[label]
            css = f"govuk-input govuk-date-input__input {width}"
            if error and not (partial and is_filled):
                css += " govuk-input--error"
            sub["attrs"]["class"] = css
            sub["attrs"].pop("aria-describedby", None)
        return context

    def _has_parts(self, data, name) -> bool:
        return any(f"{name}{suffix}" in data for suffix in self.widgets_names)

    def value_from_datadict(self, data, files, name):
        if not self._has_parts(data, name) and name in data:
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return not self._has_parts(data, name) and name not in data


class GovukDateHiddenInput(GovukDateInput):
    """The three parts as hidden inputs, for a page that carries a form's answers forward."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        for widget in self.widgets:
            widget.input_type = "hidden"

    def get_context(self, name, value, attrs):
        return forms.MultiWidget.get_context(self, name, value, attrs)


class GovukDateField(forms.DateField):
    """A date typed as day, month and year, with GOV.UK's messages: "Enter …" when empty (the
    form gives the words), "The date must include a month" when a part is missing, "Enter a
    real date" when it is not one. One value (a date, or YYYY-MM-DD) is read as before."""

    widget = GovukDateInput
    hidden_widget = GovukDateHiddenInput
    default_error_messages = {
        "required": _("Enter the date"),
        "invalid": _("Enter a real date"),
        "incomplete": _("The date must include a %(missing)s"),
        "year_digits": _("The year must include 4 numbers"),
    }

    def to_python(self, value):
        if not isinstance(value, (list, tuple)):
            return super().to_python(value)
        day, month, year = (str(part or "").strip() for part in value)
        if not (day or month or year):
            return None
        missing = [
            part for part, typed in zip(DATE_PARTS, (day, month, year), strict=True) if not typed
        ]
        if missing:
            word = pgettext("between the parts of a date", "and")
            and_ = f" {word} "
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={"missing": and_.join(str(DATE_PART_NAMES[part]) for part in missing)},
            )
        month_number = MONTH_NAMES.get(month.lower().rstrip("."), month)
        if not (day.isdigit() and str(month_number).isdigit() and year.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year_digits"], code="year_digits")
        try:
            return datetime.date(int(year), int(month_number), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def posted_date(data, name: str) -> datetime.date | None:
    """The date a form's `name` field was given in `data`, or None if it is not a real date
    yet. For a view that needs the date before the form is valid (the children offered for a
    community action are those in cohorts running on its date)."""
    try:
        return GovukDateField(required=False).clean(
            GovukDateInput().value_from_datadict(data, None, name)
        )
    except ValidationError:
        return None


class GovukTimeInput(forms.TimeInput):
    """A 24-hour time in a text box (a browser's own time box shows a clipped AM/PM)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "class": "govuk-input govuk-input--width-5",
                "inputmode": "numeric",
                **(attrs or {}),
            },
            format="%H:%M",
        )


class GovukTimeField(forms.TimeField):
    """Hours and minutes, 24-hour: 14:30, 14.30 and 1430 all mean half past two in the
    afternoon; "2:30 pm" is understood too."""

    widget = GovukTimeInput
    default_error_messages = {
        "required": _("Enter the time"),
        "invalid": _("Enter the time as hours and minutes, for example 14:30"),
    }

    def __init__(self, *, help_text="", **kwargs):
        super().__init__(help_text=help_text or TIME_HINT, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        match = TIME_PATTERN.match(" ".join(str(value).lower().replace(".m.", "m").split()))
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        hours, minutes, half = int(match[1]), int(match[2] or 0), match[3]
        if half:
            if not 1 <= hours <= 12:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            hours = hours % 12 + (12 if half == "pm" else 0)
        if hours > 23 or minutes > 59:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.time(hours, minutes)


class NameField(forms.CharField):
    """A person's name as it reads: invisible characters removed, spaces tidied; needs a letter."""

    default_validators = [validate_name]

    def to_python(self, value):
        value = super().to_python(value)
        return clean_name(value) if value else value


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form so the page shows it in the error summary."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
