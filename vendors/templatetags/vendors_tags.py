from django import template

from federations.professions import Profession

register = template.Library()


@register.filter
def get_item(mapping, key):  # noqa: ANN001, ANN201
    return mapping.get(key) if mapping else None


@register.filter
def profession_label(code):  # noqa: ANN001, ANN201
    return dict(Profession.choices).get(code, code)


@register.filter
def get_attr(obj, name):  # noqa: ANN001, ANN201
    return getattr(obj, name, None)
