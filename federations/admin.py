from django.contrib import admin

from .models import AuditEvent, Federation, HealthCentre, Invitation, Membership


@admin.register(Federation)
class FederationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "region", "holiday_zone", "staff_mfa_required")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(HealthCentre)
class HealthCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "federation", "city", "professionals_count")
    list_filter = ("federation",)
    search_fields = ("name", "city")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "federation", "role", "health_centre", "profession", "is_active")
    list_filter = ("federation", "role")
    raw_id_fields = ("user", "health_centre")
    filter_horizontal = ("assigned_centres",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "federation", "role", "created_at", "expires_at", "accepted_at")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "federation", "actor", "verb", "target")
    list_filter = ("federation", "verb")
