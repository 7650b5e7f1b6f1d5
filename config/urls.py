from django.conf.urls.i18n import i18n_patterns  # noqa: F401
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from federations import views as federation_views

api_patterns = [
    path("", include("federations.api_urls")),
    path("", include("projects.api_urls")),
    path("", include("maturity.api_urls")),
    path("", include("vendors.api_urls")),
    path("", include("usergroups.api_urls")),
]

tenant_patterns = [
    path("", include("federations.urls")),
    path("projets/", include("projects.urls")),
    path("maturite/", include("maturity.urls")),
    path("logiciels/", include("vendors.urls")),
    path("groupes/", include("usergroups.urls")),
]

urlpatterns = [
    path("", federation_views.root, name="home"),
    path("admin/", admin.site.urls),
    path("comptes/", include("accounts.urls")),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("federations/", federation_views.switch, name="federation_switch"),
    path("invitation/<str:token>/", federation_views.invitation_accept, name="invitation_accept"),
    path("editeur/syntheses/", include(("usergroups.portal_urls", "portal"))),
    path("editeur/", include("vendors.global_urls")),
    path("livrables/", include("deliverables.urls")),
    path("<slug:federation_slug>/", include(tenant_patterns)),
]

handler404 = "config.errors.not_found"
handler403 = "config.errors.forbidden"
handler500 = "config.errors.server_error"
