from django import forms

from minipolice.lib.forms import GovukDateInput
from minipolice.people.models import Child, Guardian, Guardianship, Vetting


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ["first_name", "last_name", "year_group", "leader_notes"]
        widgets = {
            "year_group": forms.RadioSelect,
            "leader_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, show_notes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_notes:
            del self.fields["leader_notes"]


class GuardianForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = ["name", "email", "phone"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(
                "Give an email address or a phone number, so we can ask for consent."
            )
        return cleaned


class AddGuardianForm(GuardianForm):
    relationship = forms.ChoiceField(
        choices=Guardianship.Relationship.choices, widget=forms.RadioSelect, initial="parent"
    )


class MoveChildForm(forms.Form):
    from_cohort = forms.ModelChoiceField(label="From cohort", queryset=None, empty_label=None)
    to_cohort = forms.ModelChoiceField(
        label="To cohort", queryset=None, empty_label="Choose a cohort"
    )

    def __init__(self, *args, current, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_cohort"].queryset = current
        self.fields["to_cohort"].queryset = targets


class LeaveForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label="Cohort they are leaving", queryset=None, empty_label=None
    )
    left = forms.DateField(label="Date they left", widget=GovukDateInput())

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = current


class VettingForm(forms.Form):
    level = forms.ChoiceField(choices=Vetting.Level.choices, widget=forms.RadioSelect)
    granted = forms.DateField(widget=GovukDateInput())
    expires = forms.DateField(widget=GovukDateInput())

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("granted")
            and cleaned.get("expires")
            and cleaned["expires"] < cleaned["granted"]
        ):
            self.add_error("expires", "The expiry date must be after the date it was granted.")
        return cleaned


class TrainingForm(forms.Form):
    completed = forms.DateField(widget=GovukDateInput())
    expires = forms.DateField(widget=GovukDateInput())

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("completed")
            and cleaned.get("expires")
            and cleaned["expires"] < cleaned["completed"]
        ):
            self.add_error("expires", "The expiry date must be after the date it was completed.")
        return cleaned


class NewLeaderForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=120, help_text="For example, PCSO Sam Rivers"
    )
    email = forms.EmailField(label="Work email address", help_text="They sign in with this address")
    unit = forms.ModelChoiceField(
        label="Unit they will lead", queryset=None, empty_label="Choose a unit"
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_email(self):
        from minipolice.accounts.models import User

        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                "Someone already signs in with this email address. Add them to the unit from the unit's page."
            )
        return email
