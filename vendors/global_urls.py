"""Pages outside any federation: the vendor portal (vendor users)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.vendor_home, name="vendor_home"),
    path("logiciels/", views.vendor_software, name="vendor_software"),
    path("logiciels/<slug:slug>/corriger/", views.vendor_correction, name="vendor_correction"),
]
