"""API of this app, mounted under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("logiciels/", api.CatalogueList.as_view(), name="api-vendors-catalogue"),
    path("logiciels/comparaison/", api.ComparisonView.as_view(), name="api-vendors-compare"),
    path("logiciels/<slug:slug>/", api.SoftwareDetail.as_view(), name="api-vendors-software"),
]
