"""API of the planning sections: a project's functional needs (read and add) and its ACI figure,
tenant-scoped, calling the same services and selectors as the pages."""

from __future__ import annotations

from django.http import Http404
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import TenantAPIMixin
from federations.permissions import has_perm
from vendors.models import Capability

from . import selectors_planning as sel
from . import services_planning as svc
from .models import Need, NeedPriority, Project


class NeedSerializer(serializers.ModelSerializer):
    capability = serializers.SlugRelatedField(
        slug_field="code", queryset=Capability.objects.all(), required=False, allow_null=True
    )
    priority = serializers.ChoiceField(choices=NeedPriority.choices, default=NeedPriority.SHOULD)

    class Meta:
        model = Need
        fields = ["id", "profession", "title", "description", "priority", "capability"]
        read_only_fields = ["id"]


class AciFigureSerializer(serializers.Serializer):
    professionals = serializers.IntegerField()
    level = serializers.CharField()
    points = serializers.IntegerField()
    euros = serializers.IntegerField()
    standard_points = serializers.IntegerField()
    advanced_points = serializers.IntegerField()
    rule_version = serializers.CharField()
    point_value_eur = serializers.IntegerField()


class _ProjectMixin(TenantAPIMixin):
    tenant_perm = "projects.view_planning"

    def get_project(self) -> Project:
        project = (
            Project.objects.visible_to(self.membership)
            .select_related("health_centre", "chosen_software")
            .filter(pk=self.kwargs["project_pk"])
            .first()
        )
        if project is None:
            raise NotFound()
        return project


class NeedList(_ProjectMixin, generics.ListCreateAPIView):
    """Functional needs of a project's cahier des charges (team first, then by profession and
    priority). POST adds one (project lead, DIM, federation staff)."""

    serializer_class = NeedSerializer

    def get_queryset(self):  # noqa: ANN201
        return (
            Need.objects.filter(project=self.get_project())
            .select_related("capability")
            .order_by("profession", "position", "pk")
        )

    def create(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        project = self.get_project()
        if not has_perm(self.membership, "projects.edit_planning"):
            raise PermissionDenied()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        need = svc.need_create(actor=request.user, project=project, **serializer.validated_data)
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class AciFigureView(_ProjectMixin, APIView):
    """The project's ACI SI-axis figure (points and euros) from its size and label level."""

    serializer_class = AciFigureSerializer

    def get(self, request, federation_slug: str, project_pk: int):  # noqa: ANN001, ANN201
        try:
            figure = sel.aci_figure(project=self.get_project())
        except Http404:
            raise NotFound()
        return Response(AciFigureSerializer(figure).data)
