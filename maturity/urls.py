"""Tenant pages of this app, mounted under /<federation_slug>/maturite/."""

from django.urls import path

from . import views

app_name = "maturity"

urlpatterns = [
    path("", views.campaigns, name="campaigns"),
    path("nouvelle/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/repondre/", views.rate, name="rate"),
    path("<int:pk>/repondre/<int:characteristic_id>/", views.rating_save, name="rating_save"),
    path("<int:pk>/relancer/", views.remind, name="remind"),
    path("<int:pk>/clore-phase-individuelle/", views.close_individual, name="close_individual"),
    path("<int:pk>/cloturer/", views.close, name="close"),
    path("<int:pk>/consensus/", views.consensus, name="consensus"),
    path(
        "<int:pk>/consensus/<int:characteristic_id>/",
        views.consensus_save,
        name="consensus_save",
    ),
    path(
        "<int:pk>/positionnement/<int:dimension_id>/",
        views.positioning_save,
        name="positioning_save",
    ),
    path("<int:pk>/resultats/", views.results, name="results"),
    path("<int:pk>/rapport/", views.report, name="report"),
    path("<int:pk>/reponses.csv", views.export_csv, name="export"),
    path("<int:pk>/actions/", views.actions, name="actions"),
    path("<int:pk>/actions/<int:action_id>/", views.action_edit, name="action_edit"),
    path("referentiels/", views.frameworks, name="frameworks"),
    path("referentiels/<int:pk>/", views.framework_detail, name="framework"),
    path(
        "referentiels/dimensions/<int:dimension_id>/caracteristiques/",
        views.characteristic_add,
        name="characteristic_add",
    ),
]
