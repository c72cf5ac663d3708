from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minipolice.programme.models import Module, Pillar


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["title", "pillar", "aims", "activities", "minutes"]
        labels = {
            "title": gettext_lazy("Title"),
            "pillar": gettext_lazy("Pillar"),
            "aims": gettext_lazy("Aims"),
            "activities": gettext_lazy("Suggested activities"),
            "minutes": gettext_lazy("Minutes"),
        }
        widgets = {
            "pillar": forms.RadioSelect,
            "aims": forms.Textarea(attrs={"rows": 4}),
            "activities": forms.Textarea(attrs={"rows": 6}),
            "minutes": forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        }

    def __init__(self, *args, force=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillar"].choices = Pillar.choices
        if force is not None:
            self.instance.force = force


class ResourceForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Optional. The file name is used if empty."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "PDF, Word, PowerPoint, Excel, OpenDocument, PNG or JPEG, up to 10 MB."
        ),
    )


class TemplateForm(forms.Form):
    """A name and one choice per week; empty weeks are dropped, so rows can be removed,
    added or reordered without JavaScript."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, modules, weeks: int, **kwargs):
        super().__init__(*args, **kwargs)
        for week in range(1, weeks + 1):
            self.fields[f"week_{week}"] = forms.ModelChoiceField(
                label=_("Week %(number)s") % {"number": week},
                queryset=modules,
                required=False,
                empty_label=_("No session"),
            )

    def week_fields(self):
        return [self[name] for name in self.fields if name.startswith("week_")]

    def clean(self):
        cleaned = super().clean()
        modules = [
            cleaned[name] for name in self.fields if name.startswith("week_") and cleaned.get(name)
        ]
        if not modules and not self.errors:
            raise forms.ValidationError(_("Choose a module for at least one week."))
        cleaned["modules"] = modules
        return cleaned
