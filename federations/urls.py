from django.urls import path

from . import views

app_name = "federations"

urlpatterns = [
    path("", views.home, name="home"),
    path("msp/", views.centres, name="centres"),
    path("msp/nouvelle/", views.centre_create, name="centre_create"),
    path("personnes/", views.people, name="people"),
    path("personnes/inviter/", views.invite, name="invite"),
    path("personnes/<int:pk>/", views.member_edit, name="member_edit"),
    path("journal/", views.audit, name="audit"),
    path("parametres/", views.settings_page, name="settings"),
]
