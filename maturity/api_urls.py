"""API of this app, mounted under /api/v1/."""

from django.urls import path

from . import api

P = "federations/<slug:federation_slug>/maturite"

urlpatterns = [
    path(f"{P}/referentiels/", api.FrameworkList.as_view(), name="api-maturity-frameworks"),
    path(
        f"{P}/referentiels/<int:pk>/", api.FrameworkDetail.as_view(), name="api-maturity-framework"
    ),
    path(f"{P}/campagnes/", api.CampaignList.as_view(), name="api-maturity-campaigns"),
    path(f"{P}/campagnes/<int:pk>/", api.CampaignDetail.as_view(), name="api-maturity-campaign"),
    path(
        f"{P}/campagnes/<int:pk>/reponses/", api.RatingList.as_view(), name="api-maturity-ratings"
    ),
    path(
        f"{P}/campagnes/<int:pk>/consensus/",
        api.ConsensusList.as_view(),
        name="api-maturity-consensus",
    ),
    path(
        f"{P}/campagnes/<int:pk>/positionnements/",
        api.PositioningList.as_view(),
        name="api-maturity-positionings",
    ),
    path(f"{P}/campagnes/<int:pk>/actions/", api.ActionList.as_view(), name="api-maturity-actions"),
    path(
        f"{P}/campagnes/<int:pk>/actions/<int:action_id>/",
        api.ActionDetail.as_view(),
        name="api-maturity-action",
    ),
]
