from django import forms
from django.utils.translation import gettext_lazy as _

from minipolice.lib.forms import GovukDateField
from minipolice.public.models import Story


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["title", "happened_on", "body"]
        field_classes = {"happened_on": GovukDateField}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
        }


class NewStoryForm(StoryForm):
    unit = forms.ModelChoiceField(queryset=None, empty_label=_("Choose a unit"))

    class Meta(StoryForm.Meta):
        fields = ["unit", "title", "happened_on", "body"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PhotoTagsForm(forms.Form):
    """Who is in a photo: ticked from the children who may be shown, and confirmed."""

    children = forms.ModelMultipleChoiceField(
        label=_("Children in the photo"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    everyone_tagged = forms.BooleanField(
        label=_("Every child who can be recognised in this photo is ticked above"),
        error_messages={
            "required": "Tick every child in the photo. If a child in it cannot be ticked, do not "
            "use the photo."
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = candidates


class PhotoForm(PhotoTagsForm):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG or PNG file, smaller than 10 MB."),
        allow_empty_file=False,
    )
    caption = forms.CharField(
        label=_("Description of the photo"),
        max_length=200,
        help_text="For people who cannot see it, for example “Two Mini Police officers posting a "
        "leaflet”. Do not name children.",
    )
    field_order = ["image", "caption", "children", "everyone_tagged"]


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you sending the story back?"),
        help_text=_("The story's writers read this beside it. Do not name children."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": _("Enter why the story is sent back")},
    )
