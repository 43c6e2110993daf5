"""The regisseur's pages of an aanvraag, the dashboard, the PDF check, WSE's ZIP of PDFs."""

from django.urls import URLPattern, path

from applications.aanvragen import views

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
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
]
