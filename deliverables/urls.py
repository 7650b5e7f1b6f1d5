from django.urls import path

from . import views

app_name = "deliverables"

urlpatterns = [
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/telecharger/", views.download, name="download"),
    path("<uuid:pk>/relancer/", views.retry, name="retry"),
]
