"""Tenant pages of the projects app, mounted under /<federation_slug>/projets/.

The project core (lifecycle, tasks, gate, team, follow-up) is declared here; the planning
sections (état des lieux, cahier des charges, demos, deployment, training, ACI…) live in
``urls_planning.py`` and share the ``projects`` namespace."""

from django.urls import include, path

from . import views

app_name = "projects"

urlpatterns: list = [
    path("mon-projet/", views.mine, name="mine"),
    path("nouveau/", views.create, name="create"),
    path("suivi/", views.follow_assigned, name="follow_assigned"),
    path("tous/", views.follow_federation, name="follow_federation"),
    path("tous/export.csv", views.export_csv, name="export_csv"),
    path("tous/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("methodologie/", views.methodology, name="methodology"),
    path(
        "methodologie/<int:pk>/retirer/",
        views.methodology_item_disable,
        name="methodology_item_disable",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/etape/", views.gate, name="gate"),
    path("<int:pk>/contrat/", views.contract, name="contract"),
    path("<int:pk>/logiciel/", views.choose_software, name="choose_software"),
    path("<int:pk>/equipe/", views.team, name="team"),
    path("equipe/<int:pk>/retirer/", views.team_remove, name="team_remove"),
    path("taches/<int:pk>/", views.task_detail, name="task"),
    path("taches/<int:pk>/statut/", views.task_status, name="task_status"),
    path("taches/<int:pk>/justificatif/", views.evidence_upload, name="evidence_upload"),
    path("justificatifs/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("", include("projects.urls_planning")),
]
