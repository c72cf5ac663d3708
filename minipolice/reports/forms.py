from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minipolice.lib.forms import GovukDateField


class PeriodForm(forms.Form):
    """The period of a dashboard or report (and, on a force's dashboard, an area)."""

    start = GovukDateField(
        label=_("From"),
        error_messages={
            "required": _("Enter the first date to count from"),
            "invalid": _("The first date must be a real date"),
        },
    )
    end = GovukDateField(
        label=_("To"),
        error_messages={
            "required": _("Enter the last date to count to"),
            "invalid": _("The last date must be a real date"),
        },
    )

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"] = forms.ChoiceField(
                label=gettext("Area"),
                required=False,
                choices=[("", gettext("Every area")), *((str(a.pk), a.name) for a in areas)],
                error_messages={"invalid_choice": gettext("Select an area of this force")},
            )
            self.areas = {str(a.pk): a for a in areas}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", gettext("The end date must be on or after the start date."))
            elif (end - start).days > 366 * 10:
                self.add_error("end", gettext("Choose a period of ten years or less."))
        return cleaned

    @property
    def has_area(self) -> bool:
        return "area" in self.fields

    def chosen_area(self):
        if not self.has_area:
            return None
        return self.areas.get(self.cleaned_data.get("area") or "")
