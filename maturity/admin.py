"""Operators see the national frameworks in the admin; they are edited through the versioned
files (``manage.py load_framework``), never in place once campaigns use them."""

from django.contrib import admin

from .models import Axis, Characteristic, Dimension, Framework
from .selectors import invalidate_dimensions


def _dimension_ids(obj) -> list[int]:  # noqa: ANN001
    """The dimensions whose cached structure shows ``obj``."""
    if isinstance(obj, Characteristic):
        return [obj.dimension_id]
    if isinstance(obj, Dimension):
        return [obj.pk]
    if isinstance(obj, Axis):
        return list(obj.dimensions.values_list("pk", flat=True))
    return list(Dimension.objects.filter(axis__framework=obj).values_list("pk", flat=True))


class ForgetsCachedStructure:
    """Edits in the admin forget the cached structure of the dimensions they touch."""

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        invalidate_dimensions(_dimension_ids(obj))

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        invalidate_dimensions(_dimension_ids(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:  # noqa: ANN001
        invalidate_dimensions([pk for obj in queryset for pk in _dimension_ids(obj)])
        super().delete_queryset(request, queryset)


class ReadOnlyWhenInUse(ForgetsCachedStructure):
    def _in_use(self, obj) -> bool:  # noqa: ANN001
        framework = getattr(obj, "framework", None) or obj
        if isinstance(obj, Dimension):
            framework = obj.axis.framework
        if isinstance(obj, Characteristic):
            framework = obj.dimension.axis.framework
        return bool(framework and framework.pk and framework.campaigns.exists())

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        if obj is not None and self._in_use(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        if obj is not None and self._in_use(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyWhenInUse, admin.ModelAdmin):
    list_display = ["name", "code", "version", "source", "created_at"]
    search_fields = ["name", "code"]


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyWhenInUse, admin.ModelAdmin):
    list_display = ["name", "axis", "code", "federation"]
    list_filter = ["axis__framework"]
    list_select_related = ["axis__framework", "federation"]


@admin.register(Characteristic)
class CharacteristicAdmin(ReadOnlyWhenInUse, admin.ModelAdmin):
    list_display = ["code", "text", "dimension"]
    list_filter = ["dimension__axis__framework"]
    list_select_related = ["dimension__axis"]
    search_fields = ["text", "code"]


@admin.register(Axis)
class AxisAdmin(ForgetsCachedStructure, admin.ModelAdmin):
    pass
