"""Open data: public, without login."""

from django.urls import URLPattern, path

from applications.opendata import views

urlpatterns: list[URLPattern] = [
    path("open-data/catalog.jsonld", views.catalogus, name="opendata_catalogus"),
    path("open-data/<slug:slug>/", views.oproep, name="opendata_oproep"),
    path("open-data/<slug:slug>/subsidies.jsonld", views.subsidies_jsonld, name="opendata_jsonld"),
    path("open-data/<slug:slug>/subsidies.csv", views.subsidies_csv, name="opendata_csv"),
]
