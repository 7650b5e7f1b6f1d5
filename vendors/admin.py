"""Platform operators maintain the national catalogue here (federations cannot alter it)."""

from django.contrib import admin

from .models import (
    Capability,
    CorrectionProposal,
    Fact,
    LabelRecord,
    Requirement,
    RequirementCoverage,
    RequirementDimension,
    Software,
    Vendor,
)
from .reference import sync_label_level


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class LabelInline(admin.TabularInline):
    model = LabelRecord
    extra = 0


@admin.register(Software)
class SoftwareAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "version", "label_level", "is_active"]
    list_filter = ["label_level", "is_active"]
    search_fields = ["name", "vendor__name"]
    readonly_fields = ["label_level"]
    inlines = [LabelInline]

    def save_related(self, request, form, formsets, change) -> None:  # noqa: ANN001
        super().save_related(request, form, formsets, change)
        sync_label_level(form.instance)


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "group", "profession"]
    search_fields = ["code", "label"]


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ["software", "key", "capability", "value", "source", "as_of"]
    list_filter = ["source", "key"]
    raw_id_fields = ["software", "capability", "recorded_by"]


@admin.register(CorrectionProposal)
class CorrectionProposalAdmin(admin.ModelAdmin):
    list_display = ["software", "key", "capability", "value", "status", "proposed_at"]
    list_filter = ["status"]
    readonly_fields = ["proposed_by", "decided_by", "decided_at", "fact"]


admin.site.register(RequirementDimension)


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "dimension", "level"]
    list_filter = ["dimension", "level"]


admin.site.register(RequirementCoverage)
