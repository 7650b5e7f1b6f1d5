"""Operators see the national frameworks in the admin; they are edited through the versioned
files (``manage.py load_framework``), never in place once campaigns use them."""

from django.contrib import admin

from .models import Axis, Characteristic, Dimension, Framework


class ReadOnlyWhenInUse:
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


admin.site.register(Axis)
