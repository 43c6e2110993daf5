"""Coverage, budget, the follow-up and exports of a call."""

from django.urls import URLPattern, path

from applications.overzichten import views

urlpatterns: list[URLPattern] = [
    path("dekking/", views.dekking_standaard, name="dekking_standaard"),
    path("dekking/<slug:slug>/", views.dekking, name="dekking"),
    path("budget/", views.budget_standaard, name="budget_standaard"),
    path("budget/<slug:slug>/", views.budget, name="budget"),
    path("opvolging/<slug:slug>/", views.opvolgoverzicht, name="opvolgoverzicht"),
    path("uitvoering/<slug:slug>/", views.oproep_uitvoering, name="oproep_uitvoering"),
    path("export/<slug:slug>/<slug:soort>.<slug:formaat>", views.export, name="export"),
]
