"""Form rendering for the whole project: every input has an accessible name.

Rows of a formset (the admin's tabular inlines and list-editable lists) show their labels once,
as column headings, and the admin's date-and-time fields are two inputs under one label; neither
names its inputs for assistive technology. Such inputs carry their label as `aria-label`.
"""

from django.forms import BoundField, MultiWidget
from django.forms.renderers import DjangoTemplates


class LabelledBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        inner = getattr(widget, "widget", widget)  # the admin's related-object wrapper
        if (self.form.prefix is not None or isinstance(inner, MultiWidget)) and self.label:
            attrs.setdefault("aria-label", str(self.label))
        return attrs


class FormRenderer(DjangoTemplates):
    bound_field_class = LabelledBoundField
