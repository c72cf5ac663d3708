"""Model plumbing shared by the apps."""

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import UniqueConstraint


class UniqueErrorsOnFieldMixin:
    """Puts the error of a unique constraint over several fields beside the field a person typed.

    Django attaches only single-field constraint errors to their field; "name unique within the
    force" lands in the error summary alone, with Django's "Area with this Force and Name already
    exists.". A UniqueConstraint here lists its scope first and the typed field last, and sets
    `violation_error_code="unique"` with a message in plain words: the message goes on that last
    field, so forms show it beside the field as GOV.UK asks.
    """

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    if (
                        isinstance(constraint, UniqueConstraint)
                        and constraint.fields
                        and getattr(error, "code", None) == "unique"
                    ):
                        errors.setdefault(constraint.fields[-1], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
