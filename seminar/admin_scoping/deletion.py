"""Deletes in the admin: refused with the reason, or made by the service that keeps the rules."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models

# --- Deletes through the services ----------------------------------------------------------


@dataclass
class _DeletionRules:
    refusals: list[Callable[[models.Model], str | None]] = field(default_factory=list)
    delete: Callable[[models.Model], None] | None = None


_deletion_rules: dict[type[models.Model], _DeletionRules] = {}


def deletion_register(
    model: type[models.Model],
    *,
    refusal: Callable[[models.Model], str | None] | None = None,
    delete: Callable[[models.Model], None] | None = None,
) -> None:
    """Declare why an object may not be deleted and which service deletes it.

    Apps above a model's own app may add refusals (topics refuses deleting a session that has
    talks), so the lower app needs to know nothing of them.
    """
    rules = _deletion_rules.setdefault(model, _DeletionRules())
    if refusal is not None and refusal not in rules.refusals:
        rules.refusals.append(refusal)
    if delete is not None:
        rules.delete = delete


def delete_refusal(obj: models.Model) -> str | None:
    """Why this object may not be deleted, in words for people; None if it may."""
    rules = _deletion_rules.get(type(obj))
    for refusal in rules.refusals if rules else []:
        reason = refusal(obj)
        if reason:
            return reason
    return None


def delete_through_service(obj: models.Model) -> None:
    rules = _deletion_rules.get(type(obj))
    if rules and rules.delete:
        rules.delete(obj)  # the service checks the refusals again, under its own transaction
        return
    reason = delete_refusal(obj)
    if reason:
        raise ValidationError(reason)
    obj.delete()
