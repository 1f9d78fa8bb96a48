"""The shared bases of every admin, form and inline of the project (see the package's doc)."""

from functools import update_wrapper

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from seminar.admin_scoping.deletion import delete_refusal, delete_through_service
from seminar.admin_scoping.scope import (
    organized_ids,
    organizes,
    seminar_id_of,
    seminar_path_of,
    staffed_ids,
    within_seminars,
    works_in,
)

NUL = "\x00"


# --- Forms: related values of the object's own seminar only --------------------------------


class SeminarScopedForm(forms.ModelForm):
    """Refuses a related object of another seminar than the object's own (a forged POST)."""

    def clean(self):
        cleaned = super().clean()
        path = seminar_path_of(self._meta.model)
        if not path:
            return cleaned
        own = self._own_seminar_id(path)
        if own is None:
            return cleaned
        first_hop = path.split("__")[0]
        for name, form_field in self.fields.items():
            if name == first_hop or not isinstance(form_field, forms.ModelChoiceField):
                continue
            target_path = seminar_path_of(form_field.queryset.model)
            value = cleaned.get(name)
            if not target_path or value is None:
                continue
            values = value if isinstance(form_field, forms.ModelMultipleChoiceField) else [value]
            if any(seminar_id_of(v, target_path) != own for v in values):
                self.add_error(name, gettext("Choose from this seminar's own entries."))
        return cleaned

    def _own_seminar_id(self, path: str) -> int | None:
        first_hop, _, rest = path.partition("__")
        if first_hop in self.fields:
            chosen = self.cleaned_data.get(first_hop)
            return chosen.pk if not rest and chosen else seminar_id_of(chosen, rest or None)
        return seminar_id_of(self.instance, path)


def _scoped_form(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    if form_class is forms.ModelForm:
        return SeminarScopedForm
    if issubclass(form_class, SeminarScopedForm):
        return form_class
    return type(form_class.__name__, (SeminarScopedForm, form_class), {})


# --- The guard every admin has -------------------------------------------------------------


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in data.lists())


class AdminGuardMixin:
    """What every admin of the project does, scoped to a seminar or not.

    - NUL bytes and forged selections get 400 instead of a database error: PostgreSQL rejects
      strings that contain NUL, and Django's admin passes filter values, the search term and
      selected ids to the database unchecked.
    - Deletes, single or bulk, are refused with the reason or go through the service.
    """

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if _has_nul(request.GET) or _has_nul(request.POST):
            return HttpResponseBadRequest("The address or the form contains a NUL character.")
        if request.method == "POST" and "action" in request.POST:
            try:
                for pk in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
                    self.model._meta.pk.to_python(pk)
            except ValidationError:
                return HttpResponseBadRequest("The selection names rows that cannot exist.")
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        if NUL in search_term:  # also the autocomplete view's search
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)

    def actionable(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        """The rows an action may touch (scoped admins narrow this)."""
        return queryset

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or delete_refusal(obj) is None)

    # Actions touch only what `actionable` allows; deletes go through the services

    def get_actions(self, request):
        return {
            name: (self._guarded_action(func, name), name, description)
            for name, (func, name, description) in super().get_actions(request).items()
        }

    def _guarded_action(self, func, name: str):
        def run(modeladmin, request, queryset):
            allowed = modeladmin.actionable(request, queryset)
            if name == "delete_selected":
                allowed = modeladmin._deletable(request, allowed)
            if not allowed.exists():
                modeladmin.message_user(request, gettext("Nothing was changed."), messages.WARNING)
                return None
            return func(modeladmin, request, allowed)

        return update_wrapper(run, func)

    def _deletable(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        refused = []
        for obj in queryset:
            reason = delete_refusal(obj)
            if reason:
                refused.append(obj.pk)
                self.message_user(request, reason, messages.ERROR)
        return queryset.exclude(pk__in=refused)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        reason = delete_refusal(obj) if obj is not None else None
        if reason and self.has_view_permission(request, obj):
            self.message_user(request, reason, messages.ERROR)
            opts = self.model._meta
            return redirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj) -> None:
        delete_through_service(obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            delete_through_service(obj)


# --- Model admins ------------------------------------------------------------------------


class SeminarScopedAdmin(AdminGuardMixin, admin.ModelAdmin):
    """A model of some seminar: seen by its staff, changed and deleted by its organizers."""

    form = SeminarScopedForm
    # Lookup from this model to its Seminar; None: found from the foreign keys.
    seminar_path: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.form = _scoped_form(cls.form)

    def get_seminar_path(self) -> str:
        path = self.seminar_path if self.seminar_path is not None else seminar_path_of(self.model)
        if path is None:
            raise TypeError(f"{self.model.__name__} has no foreign key leading to a seminar")
        return path

    def seminar_id(self, obj: models.Model | None) -> int | None:
        return seminar_id_of(obj, self.get_seminar_path())

    # Rows and permissions

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return within_seminars(super().get_queryset(request), staffed_ids(request))

    def has_view_permission(self, request, obj=None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or works_in(request, self.seminar_id(obj)))

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or organizes(request, self.seminar_id(obj)))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or organizes(request, self.seminar_id(obj)))

    def actionable(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        """The rows an action may touch: those of seminars the person organizes."""
        return within_seminars(queryset, organized_ids(request))

    # Forms

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._admin_seminar_scope = self.seminar_id(obj) if obj is not None else None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        first_hop = self.get_seminar_path().split("__")[0]
        if obj is not None and first_hop and first_hop not in readonly:
            readonly.append(first_hop)  # an object stays in its seminar
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._scoped_choices(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._scoped_choices(db_field, request, kwargs.get("queryset"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scoped_choices(self, db_field, request, queryset):
        return _scoped_choices(self, db_field, request, queryset, inline=False)

    # Inlines from any app get the same scoping

    def get_inlines(self, request, obj):
        return [scoped_inline(inline) for inline in super().get_inlines(request, obj)]


def _scoped_choices(admin_obj, db_field, request, queryset, *, inline: bool):
    """The choices of a relation: the object's own seminar, else the seminars organized."""
    if queryset is None:
        queryset = admin_obj.get_field_queryset(None, db_field, request)
    if queryset is None:
        queryset = db_field.remote_field.model._default_manager.all()
    scope = getattr(request, "_admin_seminar_scope", None)
    if scope is not None:
        return within_seminars(queryset, [scope])
    if inline:  # the parent is being added: it has nothing of its own yet
        return queryset.none() if seminar_path_of(queryset.model) is not None else queryset
    return within_seminars(queryset, organized_ids(request))


# --- Inlines -----------------------------------------------------------------------------


class _ScopedFormSetMixin:
    """Deleting a row of an inline: refused with the reason, or done through the service."""

    def clean(self):
        # Before Django's own checks, which would only name the protected rows.
        leaving = [
            form.instance
            for form in self.initial_forms
            if self.can_delete and self._should_delete_form(form)
        ]
        reasons = [reason for reason in map(delete_refusal, leaving) if reason]
        if reasons:
            raise ValidationError(reasons)
        super().clean()

    def delete_existing(self, obj, commit=True):
        if commit:
            delete_through_service(obj)


class SeminarScopedInlineMixin:
    """An inline on the page of an object of some seminar; scoped like `SeminarScopedAdmin`."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.form = _scoped_form(cls.form)

    def parent_seminar_id(self, obj) -> int | None:
        return seminar_id_of(obj, seminar_path_of(self.parent_model)) if obj is not None else None

    def has_view_permission(self, request, obj=None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or works_in(request, self.parent_seminar_id(obj)))

    def has_add_permission(self, request, obj=None) -> bool:
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or organizes(request, self.parent_seminar_id(obj)))

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or organizes(request, self.parent_seminar_id(obj)))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or organizes(request, self.parent_seminar_id(obj)))

    def get_formset(self, request, obj=None, **kwargs):
        request._admin_seminar_scope = self.parent_seminar_id(obj)
        formset = super().get_formset(request, obj, **kwargs)
        if issubclass(formset, _ScopedFormSetMixin):
            return formset
        return type(formset.__name__, (_ScopedFormSetMixin, formset), {})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = _scoped_choices(
            self, db_field, request, kwargs.get("queryset"), inline=True
        )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = _scoped_choices(
            self, db_field, request, kwargs.get("queryset"), inline=True
        )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


_scoped_inline_classes: dict[type, type] = {}


def scoped_inline(inline_class: type) -> type:
    """The inline class with the scoping mixed in (made once per class)."""
    if issubclass(inline_class, SeminarScopedInlineMixin):
        return inline_class
    if inline_class not in _scoped_inline_classes:
        _scoped_inline_classes[inline_class] = type(
            inline_class.__name__,
            (SeminarScopedInlineMixin, inline_class),
            {"__module__": inline_class.__module__},
        )
    return _scoped_inline_classes[inline_class]


class ScopedTabularInline(SeminarScopedInlineMixin, admin.TabularInline):
    pass


class ScopedStackedInline(SeminarScopedInlineMixin, admin.StackedInline):
    pass
