"""Factories of the usergroups tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import FederationFactory, SoftwareFactory
from usergroups.models import (
    FeedbackItem,
    FeedbackKind,
    GroupSession,
    Level,
    Need,
    Theme,
    UserGroup,
)


class UserGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserGroup

    federation = factory.SubFactory(FederationFactory)
    software = factory.SubFactory(SoftwareFactory)
    name = factory.Sequence(lambda n: f"Groupe {n}")
    level = Level.MIXED


class GroupSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSession

    group = factory.SubFactory(UserGroupFactory)
    federation = factory.LazyAttribute(lambda o: o.group.federation)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    duration_minutes = 60
    video_url = "https://visio.example.org/groupe"


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackItem
        skip_postgeneration_save = True

    group = factory.SubFactory(UserGroupFactory)
    federation = factory.LazyAttribute(lambda o: o.group.federation)
    session = None
    kind = FeedbackKind.NEED
    theme = Theme.BILLING
    profession = "infirmier"
    text = factory.Sequence(lambda n: f"Retour numéro {n}")
    reported_on = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def centres(obj, create, extracted, **kwargs):  # noqa: ANN001, ANN003, ANN202, N805
        if create and extracted:
            obj.centres.set(extracted)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    federation = factory.SubFactory(FederationFactory)
    software = factory.SubFactory(SoftwareFactory)
    title = factory.Sequence(lambda n: f"Besoin {n}")
    theme = Theme.BILLING
    priority = factory.Sequence(lambda n: n + 1)
