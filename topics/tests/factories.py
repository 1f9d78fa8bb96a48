import factory

from seminar.tests.factories import SeminarFactory
from topics.models import SupplementaryMaterial, Topic


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplementaryMaterial

    seminar = factory.SubFactory(SeminarFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Material {n}")
    url = factory.Sequence(lambda n: f"https://example.org/material/{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    seminar = factory.SubFactory(SeminarFactory)
    title = factory.Sequence(lambda n: f"Paper {n}")
    year = 2022
    mock_group = factory.Sequence(lambda n: n % 4 + 1)
