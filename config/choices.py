"""Faster ``get_FOO_display()`` for every model.

Django's ``Model._get_FIELD_display`` rebuilds a dict of the field's choices on every call, and
building it hashes each lazy label, which translates it: a field of 15 choices costs 15 gettext
calls per row (~80 µs). On a list of 250 rows that is 20 ms of a page. This keeps, per field and
per language, the dict of translated labels, so a call is one dict lookup. Fields whose choices
are a callable (they may change at run time) keep Django's behaviour.
"""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_labels: dict[tuple[int, str | None], dict] = {}
_django_get_field_display = models.Model._get_FIELD_display


def _get_field_display(self: models.Model, field: models.Field) -> str:
    if isinstance(field.choices, CallableChoiceIterator):
        return _django_get_field_display(self, field)
    key = (id(field), get_language())
    labels = _labels.get(key)
    if labels is None:
        labels = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
        _labels[key] = labels
    value = getattr(self, field.attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


def install() -> None:
    """Point every model's Django-made ``get_FOO_display`` at the cached version. Django binds
    them when the model class is created (``partialmethod(cls._get_FIELD_display, field=…)``),
    so this runs once all models are loaded; methods a model defines itself are left alone."""
    models.Model._get_FIELD_display = _get_field_display
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not getattr(field, "choices", None):
                continue
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if isinstance(method, partialmethod) and method.func is _django_get_field_display:
                setattr(model, name, partialmethod(_get_field_display, field=field))
