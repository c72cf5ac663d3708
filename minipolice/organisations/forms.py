from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.accounts.scoping import is_cleared
from minipolice.lib.forms import GovukDateField
from minipolice.lib.validators import validate_date_in_range
from minipolice.organisations.models import (
    POSTCODE_VALIDATOR,
    Area,
    Cohort,
    School,
    Unit,
    UnitStatus,
)

DATE_INVALID = gettext_lazy("Enter a real date")
NUMBER_INVALID = gettext_lazy("Enter a number, like 51.50722")


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name"]
        labels = {"name": gettext_lazy("Name")}
        error_messages = {"name": {"required": gettext_lazy("Enter the name of the area")}}


class SchoolForm(forms.ModelForm):
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"),
        required=False,
        max_length=40,  # long enough that a browser never cuts what was typed
        help_text=gettext_lazy("For example BS4 2RX, or only its district, like BS4"),
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["latitude"].help_text = _("Optional, for the map of units")
        self.fields["longitude"].help_text = _("Optional")

    class Meta:
        model = School
        fields = ["name", "area", "urn", "address", "town", "postcode", "latitude", "longitude"]
        labels = {
            "name": gettext_lazy("Name"),
            "area": gettext_lazy("Area"),
            "urn": gettext_lazy("URN"),
            "address": gettext_lazy("Address"),
            "town": gettext_lazy("Town"),
            "latitude": gettext_lazy("Latitude"),
            "longitude": gettext_lazy("Longitude"),
        }
        error_messages = {
            "name": {"required": gettext_lazy("Enter the name of the school")},
            "area": {
                "required": gettext_lazy("Select the area the school is in"),
            },
            "latitude": {"invalid": NUMBER_INVALID},
            "longitude": {"invalid": gettext_lazy("Enter a number, like -0.12750")},
        }

    def clean_postcode(self):
        """Upper case, one space before the last three characters: "bs42rx" is BS4 2RX."""
        compact = "".join(self.cleaned_data["postcode"].split()).upper()
        if not compact:
            return ""
        if len(compact) > 7:
            raise forms.ValidationError(
                _(
                    "A postcode has at most 7 letters and numbers, like BS4 2RX. Check what you typed."
                )
            )
        postcode = compact
        if len(compact) >= 5 and compact[-3].isdigit():
            postcode = f"{compact[:-3]} {compact[-3:]}"
        POSTCODE_VALIDATOR(postcode)
        return postcode


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
        labels = {
            "name": gettext_lazy("Name"),
            "school": gettext_lazy("School"),
            "funding_source": gettext_lazy("Funding source"),
        }
        error_messages = {
            "name": {"required": gettext_lazy("Enter the name of the unit")},
            "school": {
                "required": gettext_lazy("Select the school the unit meets at"),
            },
        }


class UnitStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=gettext_lazy("New status"),
        choices=(),
        error_messages={
            "required": gettext_lazy("Select the new status"),
        },
    )
    changed_on = GovukDateField(
        label=gettext_lazy("Date of the change"),
        validators=[validate_date_in_range],
        error_messages={
            "required": gettext_lazy("Enter the date of the change"),
            "invalid": DATE_INVALID,
        },
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), required=False, max_length=255)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s.value, s.label) for s in unit.allowed_next_statuses()
        ]
        self.fields["to_status"].widget = forms.RadioSelect(
            choices=self.fields["to_status"].choices
        )


def _vetting(expires, today) -> str:
    if expires is None:
        return _("no vetting recorded")
    if expires < today:
        return _("vetting expired")
    return _("vetting until %(date)s") % {"date": date_format(expires, "j M Y")}


def _training(expires, today) -> str:
    if expires is None:
        return _("no safeguarding training recorded")
    if expires < today:
        return _("safeguarding training expired")
    return _("safeguarding training until %(date)s") % {"date": date_format(expires, "j M Y")}


class LeaderChoiceField(forms.ModelChoiceField):
    """Leaders annotated with `vetting_expires` and `training_expires` (the latest of each)."""

    def label_from_instance(self, obj):
        today = timezone.localdate()
        label = f"{obj.full_name} – {_vetting(obj.vetting_expires, today)}"
        if obj.training_expires is None or obj.training_expires < today:
            label += f", {_training(obj.training_expires, today)}"
        return label


class AssignLeaderForm(forms.Form):
    leader = LeaderChoiceField(
        label=gettext_lazy("Leader"),
        queryset=None,
        empty_label=gettext_lazy("Choose a leader"),
        help_text=gettext_lazy(
            "Only leaders with in-date vetting and safeguarding training can be added"
        ),
        error_messages={
            "required": gettext_lazy("Select a leader"),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = candidates

    def clean_leader(self):
        leader = self.cleaned_data["leader"]
        if is_cleared(leader):
            return leader
        today = timezone.localdate()
        name = leader.full_name or leader.email
        if leader.vetting_expires is None:
            raise forms.ValidationError(
                _("%(name)s has no vetting recorded: record their vetting first") % {"name": name}
            )
        if leader.vetting_expires < today:
            raise forms.ValidationError(
                _("%(name)s's vetting expired on %(date)s: record their renewal first")
                % {"name": name, "date": date_format(leader.vetting_expires, "j F Y")}
            )
        if leader.training_expires is None:
            raise forms.ValidationError(
                _("%(name)s has no safeguarding training recorded: record their training first")
                % {"name": name}
            )
        if leader.training_expires < today:
            raise forms.ValidationError(
                _(
                    "%(name)s's safeguarding training expired on %(date)s: record their renewal first"
                )
                % {"name": name, "date": date_format(leader.training_expires, "j F Y")}
            )
        raise forms.ValidationError(
            _("%(name)s's vetting does not start until later: record vetting that is in date first")
            % {"name": name}
        )


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "start_date", "end_date", "programme_template"]
        field_classes = {"start_date": GovukDateField, "end_date": GovukDateField}
        labels = {
            "name": gettext_lazy("Name"),
            "start_date": gettext_lazy("Start date"),
            "end_date": gettext_lazy("End date"),
            "programme_template": gettext_lazy("Programme format (optional)"),
        }
        help_texts = {
            "programme_template": gettext_lazy(
                "The programme template the cohort follows. Planning its "
                "sessions from a template sets it. Survey results compare formats."
            )
        }
        error_messages = {
            "name": {"required": gettext_lazy("Enter the name of the cohort")},
            "start_date": {
                "required": gettext_lazy("Enter the date the cohort starts"),
                "invalid": DATE_INVALID,
            },
            "end_date": {
                "required": gettext_lazy("Enter the date the cohort ends"),
                "invalid": DATE_INVALID,
            },
        }

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.instance.unit = unit
        force_id = (unit or self.instance.unit).school.area.force_id
        # The programme app sits above this one: reach its templates through the relation.
        templates = Cohort._meta.get_field("programme_template").related_model
        self.fields["programme_template"].queryset = templates.objects.filter(
            Q(force__isnull=True) | Q(force_id=force_id)
        ).order_by("force", "name")
        self.fields["programme_template"].empty_label = _("Not chosen")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        return cleaned


UNIT_STATUS_CHOICES = UnitStatus.choices
