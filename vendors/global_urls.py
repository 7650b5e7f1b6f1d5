"""Pages outside any federation: the vendor portal home (vendor users)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.vendor_home, name="vendor_home"),
]
