"""API of the projects app (core): projects, tasks and their status, tenant-scoped. The same
services as the pages decide; a Django ValidationError answers 400 with its reason."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from config.api import FirstPagePagination, TenantAPIMixin

from . import selectors, services
from .models import Project, Task, TaskStatus

# Lists of 50 objects: each serializer below writes the same output as its declared fields
# (checked against them by tests/projects/test_api.py) without DRF's per-field machinery.


def _date(value: date | None) -> str | None:
    """``serializers.DateField`` (ISO 8601)."""
    return None if value is None else value.isoformat()


def _datetime(value: datetime | None, zone: tzinfo) -> str | None:
    """``serializers.DateTimeField`` (ISO 8601 in the current time zone, UTC as Z)."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _project_data(
    p: Project | selectors.ProjectListRow, figures: selectors.Figures, zone: tzinfo
) -> dict:
    """What the API shows of a project (``ProjectSerializer``)."""
    return {
        "id": p.pk,
        "title": p.title,
        "health_centre": p.centre_name,
        "health_centre_id": p.health_centre_id,
        "current_step": p.current_step,
        "chosen_software": p.software_slug,
        "deployed_on": _date(p.deployed_on),
        "progress": figures.progress,
        "tasks_total": figures.tasks_total,
        "tasks_closed": figures.tasks_closed,
        "overdue": figures.overdue,
        "last_activity": _datetime(figures.last_event or p.created_at, zone),
        "created_at": _datetime(p.created_at, zone),
    }


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
        # A project of ``selectors.follow_up`` (its figures as attributes).
        software = p.chosen_software
        row = selectors.ProjectListRow(
            p.pk,
            p.title,
            p.health_centre.name,
            p.health_centre_id,
            p.current_step,
            software.slug if software is not None else None,
            p.deployed_on,
            p.created_at,
        )
        figures = selectors.Figures(
            p.tasks_total,
            p.tasks_closed,
            p.progress,
            p.overdue,
            p.next_milestone_title,
            p.next_milestone_due,
            p.next_due_title,
            p.next_due_date,
            p.last_activity,
        )
        return _project_data(row, figures, timezone.get_current_timezone())


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
            "start_date": _date(t.start_date),
            "due_date": _date(t.due_date),
            "updated_at": _datetime(t.updated_at, timezone.get_current_timezone()),
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
        # Plain values, and the figures of the page's projects only (kept in the cache).
        page = [
            selectors.ProjectListRow(*row) for row in self.paginate_queryset(self.get_queryset())
        ]
        figures = selectors.project_figures([(p.pk, p.created_at) for p in page])
        zone = timezone.get_current_timezone()
        return self.get_paginated_response([_project_data(p, figures[p.pk], zone) for p in page])


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
