"""API URLs of the planning sections, under /api/v1/."""

from django.urls import path

from . import api_planning

P = "federations/<slug:federation_slug>/projets/<int:project_pk>/"

urlpatterns = [
    path(f"{P}besoins/", api_planning.NeedList.as_view(), name="api-project-needs"),
    path(f"{P}aci/", api_planning.AciFigureView.as_view(), name="api-project-aci"),
]
