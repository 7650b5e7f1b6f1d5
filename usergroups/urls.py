"""Tenant pages of this app, mounted under /<federation_slug>/groupes/."""

from django.urls import path

from . import views

app_name = "usergroups"

urlpatterns = [
    path("", views.groups, name="groups"),
    path("nouveau/", views.group_create, name="group_create"),
    path("<int:pk>/", views.group, name="group"),
    path("<int:pk>/modifier/", views.group_edit, name="group_edit"),
    path("<int:pk>/agenda.ics", views.group_ics, name="group_ics"),
    path("<int:pk>/retours/", views.group_feedback, name="group_feedback"),
    path("<int:pk>/seances/nouvelle/", views.session_create, name="session_create"),
    path("seances/<int:pk>/", views.session, name="session"),
    path("seances/<int:pk>/seance.ics", views.session_ics, name="session_ics"),
    path("seances/<int:pk>/sujets/", views.topic_create, name="topic_create"),
    path("seances/<int:pk>/sujets/<int:topic_pk>/vote/", views.topic_vote, name="topic_vote"),
    path("seances/<int:pk>/inscription/", views.register, name="register"),
    path("seances/<int:pk>/presences/", views.attendance, name="attendance"),
    path("seances/<int:pk>/inviter-editeur/", views.invite_vendor, name="invite_vendor"),
    path("seances/<int:pk>/retours/", views.feedback_create, name="feedback_create"),
    path("seances/<int:pk>/compte-rendu/", views.minutes, name="minutes"),
    path("seances/<int:pk>/propositions/", views.amendment_create, name="amendment_create"),
    path(
        "seances/<int:pk>/propositions/<int:amendment_pk>/",
        views.amendment_decide,
        name="amendment_decide",
    ),
    path("syntheses/", views.syntheses, name="syntheses"),
    path("syntheses/nouvelle/", views.synthesis_create, name="synthesis_create"),
    path("syntheses/<int:pk>/", views.synthesis, name="synthesis"),
    path("syntheses/<int:pk>/retours/", views.synthesis_merge, name="synthesis_merge"),
    path("syntheses/<int:pk>/regrouper/", views.needs_merge, name="needs_merge"),
    path("syntheses/<int:pk>/besoins/<int:need_pk>/rang/", views.need_move, name="need_move"),
    path("syntheses/<int:pk>/publier/", views.synthesis_publish, name="synthesis_publish"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("besoins/<int:pk>/", views.need, name="need"),
    path("besoins/<int:pk>/soutien/", views.need_support, name="need_support"),
]
