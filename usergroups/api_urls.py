"""API of this app, mounted under /api/v1/."""

from django.urls import path

from . import api

T = "federations/<slug:federation_slug>/groupes"

urlpatterns = [
    path(f"{T}/", api.GroupList.as_view(), name="api-usergroups"),
    path(f"{T}/<int:pk>/seances/", api.SessionList.as_view(), name="api-usergroup-sessions"),
    path(
        f"{T}/seances/<int:pk>/retours/",
        api.FeedbackList.as_view(),
        name="api-usergroup-feedback",
    ),
    path(f"{T}/syntheses/", api.SynthesisList.as_view(), name="api-usergroup-syntheses"),
    path("editeur/syntheses/", api.VendorVersionList.as_view(), name="api-vendor-syntheses"),
    path(
        "editeur/syntheses/<int:pk>/",
        api.VendorVersionDetail.as_view(),
        name="api-vendor-synthesis",
    ),
    path(
        "editeur/besoins/<int:pk>/reponses/",
        api.VendorAnswerList.as_view(),
        name="api-vendor-answers",
    ),
]
