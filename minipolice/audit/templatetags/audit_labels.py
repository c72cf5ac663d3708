"""Words for the audit log: record types and field names as people say them."""

from functools import cache

from django import template
from django.apps import apps
from django.utils import translation

register = template.Library()


@cache
def _record_types(language: str | None) -> dict[str, str]:
    """Each model's name, in `language` (the cache keeps one table per language)."""
    return {
        model._meta.model_name: str(model._meta.verbose_name).capitalize()
        for model in apps.get_models()
    }


@register.filter
def record_type(model_name: str) -> str:
    """ "roleassignment" -> "Role assignment"; an unknown type is shown as words."""
    return _record_types(translation.get_language()).get(model_name) or field_label(model_name)


@register.filter
def record_label(entry) -> str:
    """The record's type and label, without saying the type twice ("Child #12" stays so)."""
    kind = record_type(entry.object_type)
    label = entry.object_label
    if not label or label == kind:
        return kind
    if label.lower().startswith(kind.lower()):
        return label
    return f"{kind}: {label}"


@register.filter
def field_label(name: str) -> str:
    """ "changed_on" -> "Changed on"."""
    return str(name).replace("_", " ").strip().capitalize()
