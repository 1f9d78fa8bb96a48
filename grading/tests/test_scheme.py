"""The grading scheme: weights add up to 100 % whichever door the values come through."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grading.models import GradingScheme
from seminar.tests.factories import SeminarFactory

pytestmark = pytest.mark.django_db


def test_new_seminar_gets_the_default_scheme():
    scheme = SeminarFactory().grading_scheme
    assert (
        scheme.weight_presentation,
        scheme.weight_reports,
        scheme.weight_participation,
        scheme.bonus_steps,
    ) == (50, 35, 15, 1)


@pytest.mark.parametrize("weights", [(50, 35, 10), (50, 35, 20), (100, 100, 0), (0, 0, 0)])
def test_database_refuses_weights_not_adding_up_to_100(weights):
    scheme = SeminarFactory().grading_scheme
    scheme.weight_presentation, scheme.weight_reports, scheme.weight_participation = weights
    with pytest.raises(IntegrityError), transaction.atomic():
        scheme.save()


def test_database_accepts_a_switched_off_component():
    scheme = SeminarFactory().grading_scheme
    scheme.weight_presentation, scheme.weight_reports, scheme.weight_participation = (70, 30, 0)
    scheme.save()
    assert GradingScheme.objects.get(pk=scheme.pk).weight_participation == 0


def test_form_check_names_the_wrong_total():
    scheme = GradingScheme(weight_presentation=50, weight_reports=35, weight_participation=10)
    with pytest.raises(ValidationError, match="must add up to 100 %, not 95 %"):
        scheme.clean()
