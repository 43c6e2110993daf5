"""WSE's review pages, and the regisseur's follow-up page of a submitted aanvraag."""

from django.urls import URLPattern, path

from applications.beoordeling.views import follow_up, review

urlpatterns: list[URLPattern] = [
    path("beoordeling/", review.beoordeling_queue, name="beoordeling_queue"),
    path("beoordeling/<int:pk>/", review.beoordeling_detail, name="beoordeling_detail"),
    path("beoordeling/<int:pk>/nemen/", review.beoordeling_nemen, name="beoordeling_nemen"),
    path("beoordeling/<int:pk>/vraag/", review.beoordeling_vraag, name="beoordeling_vraag"),
    path(
        "beoordeling/<int:pk>/notitie/",
        review.beoordeling_notitie,
        name="beoordeling_notitie",
    ),
    path(
        "beoordeling/<int:pk>/wijzigingen/",
        review.beoordeling_wijzigingen,
        name="beoordeling_wijzigingen",
    ),
    path(
        "beoordeling/<int:pk>/uitstel/",
        review.beoordeling_uitstel,
        name="beoordeling_uitstel",
    ),
    path(
        "beoordeling/<int:pk>/beslissing/",
        review.beoordeling_beslissing,
        name="beoordeling_beslissing",
    ),
    path(
        "beoordeling/<int:pk>/voorstel/bevestigen/",
        review.beoordeling_voorstel_bevestigen,
        name="beoordeling_voorstel_bevestigen",
    ),
    path(
        "beoordeling/<int:pk>/voorstel/terugsturen/",
        review.beoordeling_voorstel_terugsturen,
        name="beoordeling_voorstel_terugsturen",
    ),
    path(
        "beoordeling/<int:pk>/mijn-beoordeling/",
        review.beoordeling_form,
        name="beoordeling_form",
    ),
    path(
        "beoordeling/<int:pk>/versies/<int:oud>/<int:nieuw>/",
        review.beoordeling_versies,
        name="beoordeling_versies",
    ),
    path(
        "aanvragen/<int:pk>/opvolging/",
        follow_up.aanvraag_opvolging,
        name="aanvraag_opvolging",
    ),
    path(
        "aanvragen/<int:pk>/vragen/<int:vraag_pk>/antwoord/",
        follow_up.vraag_antwoord,
        name="vraag_antwoord",
    ),
    path("aanvragen/<int:pk>/intrekken/", follow_up.aanvraag_intrekken, name="aanvraag_intrekken"),
    path(
        "aanvragen/<int:pk>/beslissing.pdf",
        follow_up.beslissing_brief,
        name="beslissing_brief",
    ),
]
