from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("federations/", api.FederationList.as_view(), name="api-federations"),
    path("federations/<slug:federation_slug>/msp/", api.CentreList.as_view(), name="api-centres"),
    path(
        "federations/<slug:federation_slug>/msp/<int:pk>/",
        api.CentreDetail.as_view(),
        name="api-centre",
    ),
]
