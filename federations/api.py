from __future__ import annotations

from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import TenantAPIMixin

from .models import Federation, HealthCentre, Membership


class MembershipSerializer(serializers.ModelSerializer):
    federation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    health_centre = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Membership
        fields = ["federation", "role", "health_centre", "profession"]


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    vendor = serializers.CharField(allow_null=True)
    is_operator = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    """The signed-in user and their memberships."""

    serializer_class = MeSerializer

    def get(self, request):  # noqa: ANN001, ANN201
        user = request.user
        data = {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "vendor": user.vendor.slug if user.vendor_id else None,
            "is_operator": user.is_staff,
            "memberships": user.memberships.filter(is_active=True).select_related("federation"),
        }
        return Response(MeSerializer(data).data)


class FederationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Federation
        fields = ["slug", "name", "region"]


class FederationList(generics.ListAPIView):
    """Federations the user belongs to."""

    serializer_class = FederationSerializer

    def get_queryset(self):  # noqa: ANN201
        return (
            Federation.objects.filter(
                memberships__user=self.request.user, memberships__is_active=True
            )
            .order_by("name")
            .distinct()
        )


class CentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthCentre
        fields = ["id", "name", "city", "professionals_count", "sites_count"]


class CentreList(TenantAPIMixin, generics.ListAPIView):
    """MSPs of the federation visible to the user (all for staff, assigned ones for a DIM, their
    own for MSP roles)."""

    serializer_class = CentreSerializer
    tenant_perm = "federations.view_centres"

    def get_queryset(self):  # noqa: ANN201
        return HealthCentre.objects.visible_to(self.membership).order_by("name")


class CentreDetail(TenantAPIMixin, generics.RetrieveAPIView):
    serializer_class = CentreSerializer
    tenant_perm = "federations.view_centres"

    def get_queryset(self):  # noqa: ANN201
        return HealthCentre.objects.visible_to(self.membership)
