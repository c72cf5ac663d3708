"""Forms of the impact app: running a round, then feedback and questionnaires."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minipolice.impact.models import FACE_WORDS, FACES, InstrumentKind, QuestionKind
from minipolice.impact.services import MAX_TEXT

# Running a round ------------------------------------------------------------------------------

WRONG_PASSWORD = _("The password is not right")  # an error message, not a password # nosec B105
COUNT_MESSAGES = {
    "invalid": _("Enter a whole number, 0 or more"),
    "min_value": _("Enter a whole number, 0 or more"),
    "max_value": _("Enter a number of 200 or fewer"),
}


def answer_choices(question) -> list[tuple[int, str]]:
    """What a child may answer: the five faces with their words, or the question's options."""
    if question.kind == QuestionKind.FACE:
        child = InstrumentKind.CHILD
        return list(zip(FACES, FACE_WORDS[child], strict=True))
    return list(enumerate(question.options))


class LeaveClassroomForm(forms.Form):
    """The leader's password, to pause or finish the round and leave classroom mode."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "govuk-input govuk-input--width-20", "autocomplete": "current-password"}
        ),
        error_messages={"required": _("Enter your password")},
    )
    action = forms.ChoiceField(
        choices=[("pause", _("Pause the round")), ("finish", _("Finish the round"))],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose to pause or to finish the round")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(WRONG_PASSWORD, code="wrong")
        return password


class PaperTalliesForm(forms.Form):
    """How many children answered on paper, and per question how many gave each answer."""

    children = forms.IntegerField(
        label=_("How many children answered on paper"),
        min_value=0,
        max_value=200,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            **COUNT_MESSAGES,
            "required": _("Enter how many children answered on paper"),
        },
    )

    def __init__(self, *args, questions, tallies=None, **kwargs):
        """`tallies` ({(question id, value): count}) fills in what was saved before."""
        super().__init__(*args, **kwargs)
        self.rows = []
        tallies = tallies or {}
        for question in questions:
            if question.kind == QuestionKind.TEXT:
                continue
            names = []
            for value, word in answer_choices(question):
                name = f"q{question.pk}_{value}"
                self.fields[name] = forms.IntegerField(
                    label=word,
                    required=False,
                    min_value=0,
                    max_value=200,
                    initial=tallies.get((question.pk, value), 0),
                    widget=forms.NumberInput(
                        attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
                    ),
                    error_messages=COUNT_MESSAGES,
                )
                names.append((name, question.pk, value))
            self.rows.append((question, names))

    @property
    def question_rows(self):
        """Each question with its bound fields and every error of its row, for the template."""
        for question, names in self.rows:
            fields = [self[name] for name, _, _ in names]
            errors = [error for field in fields for error in field.errors]
            yield {"question": question, "fields": fields, "errors": errors}

    def tallies(self) -> dict:
        return {
            (question_id, value): self.cleaned_data.get(name) or 0
            for _, names in self.rows
            for name, question_id, value in names
        }

    def apply_service_errors(self, error: ValidationError) -> None:
        """The service says "q<question id>" for a row and "q<id>_<value>" for one box: a row's
        error goes on its first box, so the error summary links there."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        first_box = {f"q{question.pk}": names[0][0] for question, names in self.rows if names}
        for key, errors in error.error_dict.items():
            field = first_box.get(key, key)
            self.add_error(field if field in self.fields else None, errors)


# Feedback and questionnaires ------------------------------------------------------------------


class QuestionForm(forms.Form):
    """A question of a draft version. Which kinds of answer, and whether a question has a
    right answer or a module, depend on whose questionnaire it is (library.py checks it)."""

    text = forms.CharField(label=_("Question"), max_length=200)
    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        help_text=_(
            "A short name that stays the same in every version, so results compare answers to "
            "the same question. Lower-case letters, numbers and underscores, for example feel_safe."
        ),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), widget=forms.RadioSelect)
    options = forms.CharField(
        label=_("Answers to choose from"),
        required=False,
        help_text=_("For “choose one answer” only: 2 to 6 answers, one on each line."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    correct = forms.IntegerField(
        label=_("Number of the right answer (optional)"),
        required=False,
        min_value=1,
        max_value=6,
        help_text=_(
            "For a knowledge question: 1 for the first answer in the list, 2 for the second. "
            "Leave empty for a question of opinion."
        ),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the number of the right answer, for example 2"),
            "min_value": _("Enter the number of the right answer, for example 2"),
            "max_value": _("Enter the number of the right answer, for example 2"),
        },
    )
    module = forms.ModelChoiceField(
        label=_("Module (optional)"),
        required=False,
        queryset=None,
        empty_label=_("Asked of every cohort"),
        help_text=_("A knowledge question is asked only of cohorts taught its module."),
    )

    def __init__(self, *args, instrument, modules, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [QuestionKind.FACE, QuestionKind.CHOICE]
        if instrument.kind != InstrumentKind.CHILD:
            kinds.append(QuestionKind.TEXT)
            del self.fields["correct"]
            del self.fields["module"]
        else:
            self.fields["module"].queryset = modules
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["kind"].error_messages["required"] = gettext("Select the kind of answer")
        self.fields["text"].error_messages["required"] = gettext("Enter the question")
        self.fields["key"].error_messages["required"] = gettext(
            "Enter a short key, for example feel_safe"
        )

    def service_fields(self) -> dict:
        """The cleaned answers as library.add_question and update_question take them."""
        data = self.cleaned_data
        correct = data.get("correct")
        return {
            "text": data["text"],
            "key": data["key"],
            "kind": data["kind"],
            "options": [
                " ".join(line.split()) for line in data["options"].splitlines() if line.strip()
            ],
            "correct": correct - 1 if correct else None,
            "module": data.get("module"),
        }

    @staticmethod
    def initial_for(question) -> dict:
        return {
            "text": question.text,
            "key": question.key,
            "kind": question.kind,
            "options": "\n".join(question.options),
            "correct": question.correct + 1 if question.correct is not None else None,
            "module": question.module_id,
        }


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the questions. Publish this version: it can never change."),
        error_messages={"required": _("Confirm that you have checked the questions")},
    )


class FeedbackForm(forms.Form):
    """A teacher's or guardian's answers to a feedback questionnaire: a field `q<id>` for each
    question (every one optional), and whether their written answers may be quoted."""

    def __init__(self, *args, questions, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        words = FACE_WORDS[kind]
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.FACE:
                field = forms.TypedChoiceField(
                    choices=[(value, word) for value, word in enumerate(words, start=1)],
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
            elif question.kind == QuestionKind.CHOICE:
                field = forms.TypedChoiceField(
                    choices=list(enumerate(question.options)),
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                # No maxlength on the box: the GOV.UK character count says how many are left.
                field = forms.CharField(
                    required=False,
                    strip=True,
                    validators=[
                        MaxLengthValidator(
                            MAX_TEXT,
                            message=gettext("Write %(count)s characters or fewer")
                            % {"count": MAX_TEXT},
                        )
                    ],
                    widget=forms.Textarea(attrs={"rows": 5}),
                )
            field.label = question.text
            self.fields[name] = field
        self.fields["may_quote"] = forms.BooleanField(
            label=gettext("You may quote my written answers in reports, without my name"),
            required=False,
        )

    def rows(self):
        """(question, bound field) in the questionnaire's order, for the template."""
        return [(question, self[f"q{question.pk}"]) for question in self.questions]

    def answers(self) -> dict:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}")
            for question in self.questions
            if self.cleaned_data.get(f"q{question.pk}") not in (None, "")
        }
