"""factory-boy factories shared by every app's tests. Apps add their own in
``tests/<app>/factories.py``."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from federations.models import Federation, HealthCentre, Membership
from federations.roles import Role
from vendors.models import Capability, Software, Vendor

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: ANN001, ANN003, ANN202, N805
        if create:
            obj.save()


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"federation-{n}")
    name = factory.Sequence(lambda n: f"Fédération {n}")


class HealthCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthCentre

    federation = factory.SubFactory(FederationFactory)
    name = factory.Sequence(lambda n: f"MSP {n}")
    city = "Lille"
    professionals_count = 12


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    federation = factory.SubFactory(FederationFactory)
    role = Role.MEMBER
    health_centre = factory.LazyAttribute(
        lambda o: (
            HealthCentreFactory(federation=o.federation)
            if o.role in (Role.COORDINATOR, Role.MEMBER)
            else None
        )
    )
    profession = "infirmier"


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Éditeur {n}")
    slug = factory.Sequence(lambda n: f"editeur-{n}")


class SoftwareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Software
        django_get_or_create = ("slug",)

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Logiciel {n}")
    slug = factory.Sequence(lambda n: f"logiciel-{n}")


class CapabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Capability
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"capacite-{n}")
    label = factory.Sequence(lambda n: f"Capacité {n}")
