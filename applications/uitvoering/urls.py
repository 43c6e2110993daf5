"""The uitvoering of a granted aanvraag."""

from django.urls import URLPattern, path

from applications.uitvoering import afsluiting_views, views

urlpatterns: list[URLPattern] = [
    path(
        "aanvragen/<int:pk>/uitvoering/",
        views.aanvraag_uitvoering,
        name="aanvraag_uitvoering",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/boekingen/",
        views.boeking_nieuw,
        name="uitvoering_boeking",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/bedragen/",
        views.herbeslissing_nieuw,
        name="uitvoering_herbeslissing",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/opvolging/<int:jaar>/",
        views.opvolgmoment,
        name="uitvoering_opvolgmoment",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/opvolging/<int:jaar>/bijlagen/",
        views.opvolgbijlage_nieuw,
        name="uitvoering_opvolgbijlage",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/opvolging/<int:jaar>/bijlagen/<int:bijlage_pk>/",
        views.opvolgbijlage_download,
        name="uitvoering_opvolgbijlage_download",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/opvolging/<int:jaar>/bijlagen/<int:bijlage_pk>/verwijderen/",
        views.opvolgbijlage_verwijder,
        name="uitvoering_opvolgbijlage_verwijder",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/opvolging/<int:jaar>/beoordelen/",
        views.opvolgmoment_beoordelen,
        name="uitvoering_opvolgmoment_beoordelen",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/afsluiten/",
        afsluiting_views.dossier_afsluiten,
        name="uitvoering_afsluiten",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/heropenen/",
        views.dossier_heropenen,
        name="uitvoering_heropenen",
    ),
    path(
        "aanvragen/<int:pk>/uitvoering/eindbundel.zip",
        afsluiting_views.dossier_bundel,
        name="uitvoering_eindbundel",
    ),
]
