"""Forms of the impact app."""

# Feedback and questionnaires ------------------------------------------------------------------
# (Self-contained: the imports this section needs are repeated here.)
from django import forms as fb_forms  # noqa: E402
from django.core.validators import MaxLengthValidator  # noqa: E402

from minipolice.impact.models import FACE_WORDS, InstrumentKind, QuestionKind  # noqa: E402
from minipolice.impact.services import MAX_TEXT  # noqa: E402


class QuestionForm(fb_forms.Form):
    """A question of a draft version. Which kinds of answer, and whether a question has a
    right answer or a module, depend on whose questionnaire it is (library.py checks it)."""

    text = fb_forms.CharField(label="Question", max_length=200)
    key = fb_forms.CharField(
        label="Key",
        max_length=40,
        help_text=(
            "A short name that stays the same in every version, so results compare answers to "
            "the same question. Lower-case letters, numbers and underscores, for example feel_safe."
        ),
        widget=fb_forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    kind = fb_forms.ChoiceField(label="Kind of answer", widget=fb_forms.RadioSelect)
    options = fb_forms.CharField(
        label="Answers to choose from",
        required=False,
        help_text="For “choose one answer” only: 2 to 6 answers, one on each line.",
        widget=fb_forms.Textarea(attrs={"rows": 6}),
    )
    correct = fb_forms.IntegerField(
        label="Number of the right answer (optional)",
        required=False,
        min_value=1,
        max_value=6,
        help_text=(
            "For a knowledge question: 1 for the first answer in the list, 2 for the second. "
            "Leave empty for a question of opinion."
        ),
        widget=fb_forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of the right answer, for example 2",
            "min_value": "Enter the number of the right answer, for example 2",
            "max_value": "Enter the number of the right answer, for example 2",
        },
    )
    module = fb_forms.ModelChoiceField(
        label="Module (optional)",
        required=False,
        queryset=None,
        empty_label="Asked of every cohort",
        help_text="A knowledge question is asked only of cohorts taught its module.",
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
        self.fields["kind"].error_messages["required"] = "Select the kind of answer"
        self.fields["text"].error_messages["required"] = "Enter the question"
        self.fields["key"].error_messages["required"] = "Enter a short key, for example feel_safe"

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


class PublishForm(fb_forms.Form):
    confirm = fb_forms.BooleanField(
        label="I have checked the questions. Publish this version: it can never change.",
        error_messages={"required": "Confirm that you have checked the questions"},
    )


class FeedbackForm(fb_forms.Form):
    """A teacher's or guardian's answers to a feedback questionnaire: a field `q<id>` for each
    question (every one optional), and whether their written answers may be quoted."""

    def __init__(self, *args, questions, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        words = FACE_WORDS[kind]
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.FACE:
                field = fb_forms.TypedChoiceField(
                    choices=[(value, word) for value, word in enumerate(words, start=1)],
                    coerce=int,
                    required=False,
                    widget=fb_forms.RadioSelect,
                )
            elif question.kind == QuestionKind.CHOICE:
                field = fb_forms.TypedChoiceField(
                    choices=list(enumerate(question.options)),
                    coerce=int,
                    required=False,
                    widget=fb_forms.RadioSelect,
                )
            else:
                # No maxlength on the box: the GOV.UK character count says how many are left.
                field = fb_forms.CharField(
                    required=False,
                    strip=True,
                    validators=[
                        MaxLengthValidator(
                            MAX_TEXT, message=f"Write {MAX_TEXT} characters or fewer"
                        )
                    ],
                    widget=fb_forms.Textarea(attrs={"rows": 5}),
                )
            field.label = question.text
            self.fields[name] = field
        self.fields["may_quote"] = fb_forms.BooleanField(
            label="You may quote my written answers in reports, without my name",
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
