"""Helpers for admin tests: submit an admin page as it was shown, with chosen changes."""

from django import forms


def _field_data(bound_field) -> dict:
    name, widget, value = bound_field.html_name, bound_field.field.widget, bound_field.value()
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value) if not isinstance(value, list) else value
        return {
            f"{name}{suffix}": "" if part is None else str(part)
            for suffix, part in zip(widget.widgets_names, parts, strict=True)
        }
    if isinstance(widget, forms.CheckboxInput):
        return {name: "on"} if value else {}
    if value is None:
        return {name: ""}
    if isinstance(value, list | tuple):
        return {name: [str(v) for v in value]}
    return {name: str(value)}


def page_data(response) -> dict:
    """The POST data of an admin add or change page as rendered, without its empty extra rows."""
    data = {}
    for bound_field in response.context["adminform"].form:
        data |= _field_data(bound_field)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        data |= {
            f"{formset.prefix}-TOTAL_FORMS": str(initial),
            f"{formset.prefix}-INITIAL_FORMS": str(initial),
        }
        for form in formset.forms[:initial]:
            for bound_field in form:
                data |= _field_data(bound_field)
    return data


def add_row(data: dict, prefix: str, **values) -> dict:
    """Add one new row to an inline of `page_data`."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data
