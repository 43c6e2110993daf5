"""The API under /api/v1/, its schema and documentation, and the regisseur's token page."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import permissions, routers

from applications.api import views

router = routers.SimpleRouter()
router.register("oproepen", views.OproepViewSet, basename="api-oproep")
router.register("prioriteiten", views.PrioriteitViewSet, basename="api-prioriteit")
router.register("regieverbanden", views.RegieverbandViewSet, basename="api-regieverband")
router.register("aanvragen", views.AanvraagViewSet, basename="api-aanvraag")
router.register("beslissingen", views.BeslissingViewSet, basename="api-beslissing")
router.register("opvolgmomenten", views.OpvolgmomentViewSet, basename="api-opvolgmoment")
router.register("betalingen", views.BetalingenViewSet, basename="api-betalingen")

# The description of the API is public, as the open data: it tells no data.
OPENBAAR = {"authentication_classes": [], "permission_classes": [permissions.AllowAny]}

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(**OPENBAAR), name="api_schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", **OPENBAAR),
        name="api_docs",
    ),
    path("account/api-sleutels/", views.tokens, name="api_tokens"),
    path(
        "account/api-sleutels/<int:pk>/intrekken/",
        views.token_intrekken,
        name="api_token_intrekken",
    ),
]
