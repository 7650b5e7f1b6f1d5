"""Planning sections of a project (état des lieux, cahier des charges, demos, deployment plan,
training, information meeting, facilitators, ACI figure, vendor requests). Names are in the
``projects`` namespace."""

from django.urls import path

from . import views_planning as v

P = "<int:project_pk>/"

urlpatterns: list = [
    path(f"{P}planification/", v.planning, name="planning"),
    path(f"{P}aci/", v.aci, name="aci"),
    path(f"{P}etat-des-lieux/", v.survey, name="survey"),
    path(f"{P}etat-des-lieux/modifier/", v.survey_edit, name="survey_edit"),
    path(f"{P}etat-des-lieux/versions/", v.survey_versions, name="survey_versions"),
    path(f"{P}etat-des-lieux/versions/<int:number>/", v.survey_version, name="survey_version"),
    path(f"{P}cahier-des-charges/", v.needs, name="needs"),
    path(f"{P}cahier-des-charges/modifier/", v.needs_document_edit, name="needs_document_edit"),
    path(f"{P}cahier-des-charges/besoins/ajouter/", v.need_create, name="need_create"),
    path(f"{P}cahier-des-charges/besoins/<int:need_pk>/", v.need_edit, name="need_edit"),
    path(
        f"{P}cahier-des-charges/besoins/<int:need_pk>/supprimer/", v.need_delete, name="need_delete"
    ),
    path(f"{P}cahier-des-charges/cas-usage/ajouter/", v.use_case_create, name="use_case_create"),
    path(f"{P}cahier-des-charges/export.csv", v.needs_csv, name="needs_csv"),
    path(f"{P}cahier-des-charges/pdf/", v.needs_pdf, name="needs_pdf"),
    path(f"{P}demonstrations/", v.demos, name="demos"),
    path(f"{P}demonstrations/preselection/", v.shortlist_add, name="shortlist_add"),
    path(
        f"{P}demonstrations/preselection/<int:entry_pk>/retirer/",
        v.shortlist_remove,
        name="shortlist_remove",
    ),
    path(f"{P}demonstrations/seances/ajouter/", v.demo_session_create, name="demo_session_create"),
    path(f"{P}demonstrations/seances/<int:session_pk>/", v.demo_session, name="demo_session"),
    path(f"{P}deploiement/", v.deployment, name="deployment"),
    path(f"{P}deploiement/modifier/", v.deployment_plan_edit, name="deployment_plan_edit"),
    path(f"{P}deploiement/vagues/ajouter/", v.wave_create, name="wave_create"),
    path(f"{P}deploiement/vagues/<int:wave_pk>/", v.wave_edit, name="wave_edit"),
    path(f"{P}formation/", v.training, name="training"),
    path(f"{P}formation/ajouter/", v.training_create, name="training_create"),
    path(f"{P}formation/usage/", v.adoption_update, name="adoption_update"),
    path(f"{P}reunion-information/", v.meetings, name="meetings"),
    path(f"{P}reunion-information/ajouter/", v.meeting_create, name="meeting_create"),
    path(f"{P}facilitateurs/", v.project_facilitators, name="project_facilitators"),
    path(
        f"{P}facilitateurs/<int:facilitator_pk>/contact/",
        v.contact_request_create,
        name="contact_request_create",
    ),
    path(f"{P}demandes-editeur/", v.vendor_requests, name="vendor_requests"),
    path(f"{P}demandes-editeur/ajouter/", v.vendor_request_create, name="vendor_request_create"),
    path(
        f"{P}demandes-editeur/<int:request_pk>/", v.vendor_request_edit, name="vendor_request_edit"
    ),
    path("facilitateurs/", v.facilitators, name="facilitators"),
    path("facilitateurs/ajouter/", v.facilitator_create, name="facilitator_create"),
    path("facilitateurs/<int:facilitator_pk>/", v.facilitator_edit, name="facilitator_edit"),
    path("facilitateurs/demandes/", v.contact_requests, name="contact_requests"),
    path(
        "facilitateurs/demandes/<int:request_pk>/",
        v.contact_request_update,
        name="contact_request_update",
    ),
]
