from django.urls import path

from . import overzicht_views, review_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regieverbanden/<int:pk>/", views.regieverband_detail, name="regieverband_detail"),
    path("aanvragen/", views.aanvraag_list, name="aanvraag_list"),
    path("aanvragen/start/", views.aanvraag_start, name="aanvraag_start"),
    path("aanvragen/<int:pk>/", views.aanvraag_overzicht, name="aanvraag_overzicht"),
    path("aanvragen/<int:pk>/verband/", views.aanvraag_verband, name="aanvraag_verband"),
    path("aanvragen/<int:pk>/teksten/", views.aanvraag_teksten, name="aanvraag_teksten"),
    path("aanvragen/<int:pk>/autosave/", views.aanvraag_autosave, name="aanvraag_autosave"),
    path(
        "aanvragen/<int:pk>/meerjarenplan/",
        views.aanvraag_meerjarenplan,
        name="aanvraag_meerjarenplan",
    ),
    path("aanvragen/<int:pk>/acties/nieuw/", views.actie_form, name="actie_nieuw"),
    path("aanvragen/<int:pk>/acties/<int:actie_pk>/", views.actie_form, name="actie_wijzig"),
    path(
        "aanvragen/<int:pk>/acties/<int:actie_pk>/dupliceren/",
        views.actie_dupliceer,
        name="actie_dupliceer",
    ),
    path(
        "aanvragen/<int:pk>/acties/<int:actie_pk>/verwijderen/",
        views.actie_verwijder,
        name="actie_verwijder",
    ),
    path("aanvragen/<int:pk>/begroting/", views.aanvraag_begroting, name="aanvraag_begroting"),
    path("aanvragen/<int:pk>/bijlagen/", views.aanvraag_bijlagen, name="aanvraag_bijlagen"),
    path(
        "aanvragen/<int:pk>/bijlagen/<int:bijlage_pk>/",
        views.bijlage_download,
        name="bijlage_download",
    ),
    path(
        "aanvragen/<int:pk>/bijlagen/<int:bijlage_pk>/verwijderen/",
        views.bijlage_verwijder,
        name="bijlage_verwijder",
    ),
    path("aanvragen/<int:pk>/indienen/", views.aanvraag_indienen, name="aanvraag_indienen"),
    path("aanvragen/<int:pk>/pdf/", views.aanvraag_pdf, name="aanvraag_pdf"),
    path("aanvragen/<int:pk>/pdf/<int:nummer>/", views.aanvraag_pdf, name="aanvraag_pdf_versie"),
    path("aanvragen/verifieer/", views.pdf_verifieer, name="pdf_verifieer"),
    path("beoordeling/<slug:slug>/pdfs.zip", views.oproep_pdfs_zip, name="oproep_pdfs_zip"),
    path("dekking/", overzicht_views.dekking_standaard, name="dekking_standaard"),
    path("dekking/<slug:slug>/", overzicht_views.dekking, name="dekking"),
    path("budget/", overzicht_views.budget_standaard, name="budget_standaard"),
    path("budget/<slug:slug>/", overzicht_views.budget, name="budget"),
    path("export/<slug:slug>/<slug:soort>.<slug:formaat>", overzicht_views.export, name="export"),
    path("beoordeling/", review_views.beoordeling_queue, name="beoordeling_queue"),
    path("beoordeling/<int:pk>/", review_views.beoordeling_detail, name="beoordeling_detail"),
    path("beoordeling/<int:pk>/nemen/", review_views.beoordeling_nemen, name="beoordeling_nemen"),
    path("beoordeling/<int:pk>/vraag/", review_views.beoordeling_vraag, name="beoordeling_vraag"),
    path(
        "beoordeling/<int:pk>/notitie/",
        review_views.beoordeling_notitie,
        name="beoordeling_notitie",
    ),
    path(
        "beoordeling/<int:pk>/wijzigingen/",
        review_views.beoordeling_wijzigingen,
        name="beoordeling_wijzigingen",
    ),
    path(
        "beoordeling/<int:pk>/uitstel/",
        review_views.beoordeling_uitstel,
        name="beoordeling_uitstel",
    ),
    path(
        "beoordeling/<int:pk>/beslissing/",
        review_views.beoordeling_beslissing,
        name="beoordeling_beslissing",
    ),
    path(
        "beoordeling/<int:pk>/mijn-beoordeling/",
        review_views.beoordeling_form,
        name="beoordeling_form",
    ),
    path(
        "beoordeling/<int:pk>/versies/<int:oud>/<int:nieuw>/",
        review_views.beoordeling_versies,
        name="beoordeling_versies",
    ),
    path(
        "aanvragen/<int:pk>/opvolging/",
        review_views.aanvraag_opvolging,
        name="aanvraag_opvolging",
    ),
    path(
        "aanvragen/<int:pk>/vragen/<int:vraag_pk>/antwoord/",
        review_views.vraag_antwoord,
        name="vraag_antwoord",
    ),
    path(
        "aanvragen/<int:pk>/intrekken/", review_views.aanvraag_intrekken, name="aanvraag_intrekken"
    ),
    path(
        "aanvragen/<int:pk>/beslissing.pdf",
        review_views.beslissing_brief,
        name="beslissing_brief",
    ),
]
