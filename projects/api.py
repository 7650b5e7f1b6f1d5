"""API of the projects app (core): projects, tasks and their status, tenant-scoped. The same
services as the pages decide; a Django ValidationError answers 400 with its reason."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, pagination, serializers
from rest_framework.response import Response

from config.api import TenantAPIMixin

from . import selectors, services
from .models import Project, Task, TaskStatus

# Lists of 50 objects: each serializer below writes the same output as its declared fields
# (checked against them by tests/projects/test_api.py) without DRF's per-field machinery.
_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def _when(field: serializers.Field, value: object) -> object:
    return None if value is None else field.to_representation(value)


class FirstPagePagination(pagination.PageNumberPagination):
    """Pages as usual; on the first page, a list that fits in it is read in one query (one
    more row than a page tells whether it fits) instead of a COUNT and a page."""

    def paginate_queryset(self, queryset, request, view=None):  # noqa: ANN001, ANN201
        page_size = self.get_page_size(request)
        if page_size and request.query_params.get(self.page_query_param) in (None, "", "1"):
            rows = list(queryset[: page_size + 1])
            if len(rows) <= page_size:
                queryset = rows
        return super().paginate_queryset(queryset, request, view)


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

    def to_representation(self, p: Project) -> dict:
        software = p.chosen_software
        return {
            "id": p.pk,
            "title": p.title,
            "health_centre": p.health_centre.name,
            "health_centre_id": p.health_centre_id,
            "current_step": p.current_step,
            "chosen_software": software.slug if software is not None else None,
            "deployed_on": _when(_DATE, p.deployed_on),
            "progress": p.progress,
            "tasks_total": p.tasks_total,
            "tasks_closed": p.tasks_closed,
            "overdue": p.overdue,
            "last_activity": _when(_DATETIME, p.last_activity),
            "created_at": _when(_DATETIME, p.created_at),
        }


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

    def to_representation(self, t: Task) -> dict:
        return {
            "id": t.pk,
            "project": t.project_id,
            "step": t.step,
            "activity_code": t.activity_code,
            "activity_title": t.activity_title,
            "code": t.code,
            "title": t.title,
            "kind": t.kind,
            "mandatory": bool(t.mandatory),
            "status": t.status,
            "not_applicable_reason": t.not_applicable_reason,
            "owner": self.get_owner(t),
            "start_date": _when(_DATE, t.start_date),
            "due_date": _when(_DATE, t.due_date),
            "updated_at": _when(_DATETIME, t.updated_at),
        }


#: The columns of a task that ``TaskSerializer`` shows.
TASK_FIELDS = [f for f in TaskSerializer.Meta.fields if f not in ("id", "owner")] + ["owner"]


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
    pagination_class = FirstPagePagination

    def get_queryset(self):  # noqa: ANN201
        project = get_object_or_404(
            Project.objects.visible_to(self.membership).values_list("pk", flat=True),
            pk=self.kwargs["project_pk"],
        )
        return (
            Task.objects.filter(project_id=project)
            .select_related("owner__user")
            .only(
                *TASK_FIELDS,
                "owner__user__first_name",
                "owner__user__last_name",
                "owner__user__email",
            )
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
