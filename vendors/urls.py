"""Tenant pages of this app, mounted under /<federation_slug>/logiciels/."""

from django.urls import path

from . import views

app_name = "vendors"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("comparer/", views.compare, name="compare"),
    path("comparer/csv/", views.compare_csv, name="compare_csv"),
    path("comparer/pdf/", views.compare_pdf, name="compare_pdf"),
    path("adequation/<int:project_pk>/", views.fit, name="fit"),
    path("avis/", views.moderation, name="moderation"),
    path("avis/<int:pk>/moderer/", views.rating_moderate, name="rating_moderate"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/<int:pk>/decider/", views.correction_decide, name="correction_decide"),
    path("fiche/<slug:slug>/", views.detail, name="detail"),
    path("fiche/<slug:slug>/noter/", views.rate, name="rate"),
    path("fiche/<slug:slug>/caracteristique/", views.fact_record, name="fact_record"),
]
