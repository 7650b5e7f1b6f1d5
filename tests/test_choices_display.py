"""``get_FOO_display()`` (cached labels, config/choices.py) answers what Django's own would."""

from __future__ import annotations

import pytest
from django.db import models
from django.utils import translation

from config import choices
from federations.models import Membership
from federations.professions import Profession


def test_the_models_use_the_cached_labels() -> None:
    assert Membership.__dict__["get_profession_display"].func is choices._get_field_display


def test_labels_follow_the_active_language() -> None:
    member = Membership(role="member", profession=Profession.NURSE)
    with translation.override("fr"):
        assert member.get_profession_display() == "Infirmier"
        assert member.get_role_display() == "Membre de MSP"
    with translation.override("en"):
        assert member.get_profession_display() == "Nurse"
    with translation.override("fr"):
        assert member.get_profession_display() == "Infirmier"


@pytest.mark.parametrize("profession", [*Profession.values, "inconnue", ""])
def test_same_answer_as_django(profession: str) -> None:
    member = Membership(role="staff", profession=profession)
    field = Membership._meta.get_field("profession")
    for language in ("fr", "en"):
        with translation.override(language):
            assert member.get_profession_display() == choices._django_get_field_display(
                member, field
            )


def test_callable_choices_are_not_frozen() -> None:
    current = [("a", "Avant")]

    class Thing(models.Model):
        kind = models.CharField(max_length=5, choices=lambda: current)

        class Meta:
            app_label = "federations"
            managed = False

        def __str__(self) -> str:
            return self.kind

    assert Thing(kind="a").get_kind_display() == "Avant"
    current[:] = [("a", "Après")]
    assert Thing(kind="a").get_kind_display() == "Après"
