"""Tenant pages of the projects app, mounted under /<federation_slug>/projets/.

The project core (lifecycle, tasks, gate, team, follow-up) is declared here; the planning
sections (état des lieux, cahier des charges, demos, deployment, training, ACI…) live in
``urls_planning.py`` and share the ``projects`` namespace."""

from django.urls import include, path

app_name = "projects"

urlpatterns: list = [
    path("", include("projects.urls_planning")),
]
