"""Objects named in a request body, fetched through the caller's scoped selectors."""

from django.core.exceptions import ValidationError


def resolve(queryset, pk, field: str):
    """The object `pk` from `queryset` (a scoped selector), or a 400 naming `field`.

    Missing objects and objects the user may not use get the same answer.
    """
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError(
            {field: f"There is no {field.replace('_', ' ')} {pk} that you can use here."}
        )
    return found
