from django import forms, template

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
def is_radio(bound_field):
    return isinstance(bound_field.field.widget, forms.RadioSelect)
