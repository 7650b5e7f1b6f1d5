"""The site's URLs plus the floor view; used only with ``config.settings.bench``."""

from django.urls import include, path

from config import urls as site_urls

from . import views

urlpatterns = [
    path("_banc/plancher/", views.floor, name="bench_floor"),
    path("", include(site_urls)),
]

handler404 = site_urls.handler404
handler403 = site_urls.handler403
handler500 = site_urls.handler500
