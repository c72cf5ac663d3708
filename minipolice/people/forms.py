from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minipolice.accounts.models import User
from minipolice.lib.forms import GovukDateField, NameField
from minipolice.lib.validators import validate_date_in_range
from minipolice.people.models import Child, Guardian, Guardianship, Vetting, YearGroup

DATE_INVALID = _("Enter a real date")


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ["first_name", "last_name", "year_group", "leader_notes"]
        field_classes = {"first_name": NameField, "last_name": NameField}
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "year_group": _("Year group"),
        }
        widgets = {
            "year_group": forms.RadioSelect,
            "leader_notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "first_name": {"required": _("Enter the child's first name")},
            "last_name": {"required": _("Enter the child's last name")},
            "year_group": {
                "required": _("Select the child's year group"),
            },
        }

    def __init__(self, *args, show_notes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios need no blank "---------" choice: nothing is selected until someone chooses.
        self.fields["year_group"].choices = YearGroup.choices
        if not show_notes:
            del self.fields["leader_notes"]


class GuardianForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["name", "email", "phone"]
        field_classes = {"name": NameField}
        labels = {"name": _("Name"), "email": _("Email"), "phone": _("Phone")}
        error_messages = {
            "name": {"required": _("Enter the parent or carer's name")},
            "email": {
                "invalid": _("Enter an email address in the correct format, like name@example.com")
            },
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(
                _("Give an email address or a phone number, so we can ask for consent.")
            )
        return cleaned


class AddGuardianForm(GuardianForm):
    relationship = forms.ChoiceField(
        label=_("Relationship"),
        choices=Guardianship.Relationship.choices,
        widget=forms.RadioSelect,
        initial="parent",
        error_messages={
            "required": _("Select how they are related to the child"),
        },
    )


class MoveChildForm(forms.Form):
    from_cohort = forms.ModelChoiceField(
        label=_("From cohort"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Select the cohort they are moving from"),
        },
    )
    to_cohort = forms.ModelChoiceField(
        label=_("To cohort"),
        queryset=None,
        empty_label=_("Choose a cohort"),
        error_messages={
            "required": _("Select the cohort they are moving to"),
        },
    )

    def __init__(self, *args, current, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_cohort"].queryset = current
        self.fields["to_cohort"].queryset = targets


class LeaveForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort they are leaving"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Select the cohort they are leaving"),
        },
    )
    left = GovukDateField(
        label=_("Date they left"),
        validators=[validate_date_in_range],
        error_messages={"required": _("Enter the date they left"), "invalid": DATE_INVALID},
    )

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = current


class VettingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=Vetting.Level.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the level of vetting"),
        },
    )
    granted = GovukDateField(
        label=pgettext_lazy("date vetting was granted", "Granted"),
        error_messages={
            "required": _("Enter the date the vetting was granted"),
            "invalid": DATE_INVALID,
        },
    )
    expires = GovukDateField(
        label=_("Expires"),
        error_messages={
            "required": _("Enter the date the vetting expires"),
            "invalid": DATE_INVALID,
        },
    )


class TrainingForm(forms.Form):
    completed = GovukDateField(
        label=_("Completed"),
        error_messages={
            "required": _("Enter the date the training was completed"),
            "invalid": DATE_INVALID,
        },
    )
    expires = GovukDateField(
        label=_("Expires"),
        error_messages={
            "required": _("Enter the date the training expires"),
            "invalid": DATE_INVALID,
        },
    )


ADDRESS_IN_USE = _(
    "This email address cannot be used for a new leader. If they already lead a unit of your "
    "force, add them from that unit's page; otherwise ask them for their work email address."
)


class NewLeaderForm(forms.Form):
    full_name = NameField(
        label=_("Full name"),
        max_length=120,
        help_text=_("For example, PCSO Sam Rivers"),
        error_messages={"required": _("Enter the leader's full name")},
    )
    email = forms.EmailField(
        label=_("Work email address"), help_text=_("They sign in with this address")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit they will lead"), queryset=None, empty_label=_("Choose a unit")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            # One wording whoever holds the address (a leader of this force, a parent, staff of
            # another force): the form says nothing about whose account it is or where.
            raise forms.ValidationError(ADDRESS_IN_USE)
        return email
