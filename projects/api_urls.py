"""API of this app, mounted under /api/v1/."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("projects.api_planning_urls")),
]
