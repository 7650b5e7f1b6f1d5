"""API of the projects app (core): projects, tasks and their status, tenant-scoped. The same
services as the pages decide; a Django ValidationError answers 400 with its reason."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from config.api import TenantAPIMixin

from . import selectors, services
from .models import Project, Task, TaskStatus


class ProjectSerializer(serializers.ModelSerializer):
    health_centre = serializers.CharField(source="health_centre.name", read_only=True)
    health_centre_id = serializers.IntegerField(read_only=True)
    chosen_software = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    progress = serializers.IntegerField(read_only=True)
    tasks_total = serializers.IntegerField(read_only=True)
    tasks_closed = serializers.IntegerField(read_only=True)
    overdue = serializers.IntegerField(read_only=True)
    last_activity = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "health_centre",
            "health_centre_id",
            "current_step",
            "chosen_software",
            "deployed_on",
            "progress",
            "tasks_total",
            "tasks_closed",
            "overdue",
            "last_activity",
            "created_at",
        ]


class TaskSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "project",
            "step",
            "activity_code",
            "activity_title",
            "code",
            "title",
            "kind",
            "mandatory",
            "status",
            "not_applicable_reason",
            "owner",
            "start_date",
            "due_date",
            "updated_at",
        ]
        read_only_fields = fields

    def get_owner(self, obj: Task) -> str | None:
        if obj.owner_id is None:
            return None
        return obj.owner.user.get_full_name() or obj.owner.user.email


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    not_applicable_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectList(TenantAPIMixin, generics.ListAPIView):
    """Projects visible to the user, with their progress figures."""

    serializer_class = ProjectSerializer
    tenant_perm = "projects.view_project"

    def get_queryset(self):  # noqa: ANN201
        return selectors.projects_list(membership=self.membership)

    def list(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        # The figures of the page's projects only (kept per project in the cache).
        page = selectors.with_figures(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProjectDetail(TenantAPIMixin, generics.RetrieveAPIView):
    serializer_class = ProjectSerializer
    tenant_perm = "projects.view_project"

    def get_queryset(self):  # noqa: ANN201
        return selectors.follow_up(membership=self.membership)


class TaskList(TenantAPIMixin, generics.ListAPIView):
    """Tasks of one project, in methodology order."""

    serializer_class = TaskSerializer
    tenant_perm = "projects.view_project"

    def get_queryset(self):  # noqa: ANN201
        project = get_object_or_404(
            Project.objects.visible_to(self.membership), pk=self.kwargs["project_pk"]
        )
        return (
            Task.objects.filter(project=project)
            .select_related("owner__user")
            .order_by("step", "activity_position", "position", "pk")
        )


class TaskStatusUpdate(TenantAPIMixin, generics.GenericAPIView):
    """Change a task's status (PATCH). A task without object needs its reason."""

    serializer_class = TaskStatusSerializer
    tenant_perm = "projects.edit_tasks"

    def get_queryset(self):  # noqa: ANN201
        return Task.objects.visible_to(self.membership).select_related(
            "project__federation", "owner__user"
        )

    @extend_schema(request=TaskStatusSerializer, responses=TaskSerializer)
    def patch(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        task = self.get_object()
        serializer = TaskStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.task_set_status(
            actor=request.user,
            task=task,
            status=serializer.validated_data["status"],
            reason=serializer.validated_data["not_applicable_reason"],
        )
        return Response(TaskSerializer(task).data)
