"""Vendor-portal pages of the user groups, mounted under /editeur/syntheses/."""

from django.urls import path

from . import portal_views

app_name = "portal"

urlpatterns = [
    path("", portal_views.syntheses, name="syntheses"),
    path("<int:pk>/", portal_views.version, name="version"),
    path("<int:pk>/difficultes-et-astuces/", portal_views.feedback, name="feedback"),
    path("<int:pk>/besoins/<int:need_pk>/repondre/", portal_views.answer, name="answer"),
]
