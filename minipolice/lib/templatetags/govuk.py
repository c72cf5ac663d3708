from django import forms, template

from minipolice.lib.forms import GovukDateInput

register = template.Library()

WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}


@register.filter
def govuk_widget(bound_field):
    widget = bound_field.field.widget
    if isinstance(widget, GovukDateInput):
        # The date input's fieldset carries the hint and error; the boxes style themselves.
        return bound_field.as_widget(
            attrs={"class": "govuk-input--error"} if bound_field.errors else None
        )
    css = next((c for cls, c in WIDGET_CLASSES.items() if isinstance(widget, cls)), "govuk-input")
    if bound_field.errors:
        css += f" {css.split()[0]}--error"
    attrs = {"class": f"{css} {widget.attrs.get('class', '')}".strip()}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field):
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_date(bound_field):
    return isinstance(bound_field.field.widget, GovukDateInput)


@register.filter
def is_radio(bound_field):
    return isinstance(bound_field.field.widget, forms.RadioSelect)


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """`?` and the current GET parameters with `changes` applied; the page number is dropped,
    and a change to "" or None removes that parameter. For filter and sort links on lists."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value in ("", None):
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
