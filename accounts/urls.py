from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("mon-compte/", views.profile, name="profile"),
    path("acces-api/", views.api_token, name="api_token"),
]
