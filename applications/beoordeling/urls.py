"""WSE's review pages, and the regisseur's follow-up page of a submitted aanvraag."""

from django.urls import URLPattern, path

from applications.beoordeling import views

urlpatterns: list[URLPattern] = [
    path("beoordeling/", views.beoordeling_queue, name="beoordeling_queue"),
    path("beoordeling/<int:pk>/", views.beoordeling_detail, name="beoordeling_detail"),
    path("beoordeling/<int:pk>/nemen/", views.beoordeling_nemen, name="beoordeling_nemen"),
    path("beoordeling/<int:pk>/vraag/", views.beoordeling_vraag, name="beoordeling_vraag"),
    path(
        "beoordeling/<int:pk>/notitie/",
        views.beoordeling_notitie,
        name="beoordeling_notitie",
    ),
    path(
        "beoordeling/<int:pk>/wijzigingen/",
        views.beoordeling_wijzigingen,
        name="beoordeling_wijzigingen",
    ),
    path(
        "beoordeling/<int:pk>/uitstel/",
        views.beoordeling_uitstel,
        name="beoordeling_uitstel",
    ),
    path(
        "beoordeling/<int:pk>/beslissing/",
        views.beoordeling_beslissing,
        name="beoordeling_beslissing",
    ),
    path(
        "beoordeling/<int:pk>/mijn-beoordeling/",
        views.beoordeling_form,
        name="beoordeling_form",
    ),
    path(
        "beoordeling/<int:pk>/versies/<int:oud>/<int:nieuw>/",
        views.beoordeling_versies,
        name="beoordeling_versies",
    ),
    path(
        "aanvragen/<int:pk>/opvolging/",
        views.aanvraag_opvolging,
        name="aanvraag_opvolging",
    ),
    path(
        "aanvragen/<int:pk>/vragen/<int:vraag_pk>/antwoord/",
        views.vraag_antwoord,
        name="vraag_antwoord",
    ),
    path("aanvragen/<int:pk>/intrekken/", views.aanvraag_intrekken, name="aanvraag_intrekken"),
    path(
        "aanvragen/<int:pk>/beslissing.pdf",
        views.beslissing_brief,
        name="beslissing_brief",
    ),
]
