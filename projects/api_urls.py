"""API of this app, mounted under /api/v1/."""

from django.urls import include, path

from . import api

PREFIX = "federations/<slug:federation_slug>/projets/"

urlpatterns: list = [
    path(PREFIX, api.ProjectList.as_view(), name="api-projects"),
    path(f"{PREFIX}<int:pk>/", api.ProjectDetail.as_view(), name="api-project"),
    path(f"{PREFIX}<int:project_pk>/taches/", api.TaskList.as_view(), name="api-project-tasks"),
    path(f"{PREFIX}taches/<int:pk>/", api.TaskStatusUpdate.as_view(), name="api-task"),
    path("", include("projects.api_planning_urls")),
]
