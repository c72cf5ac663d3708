from django import forms
from django.core.exceptions import ValidationError

from minipolice.lib.validators import clean_name, validate_name


class GovukDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )


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
