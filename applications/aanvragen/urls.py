"""The regisseur's pages of an aanvraag, the dashboard, the PDF check, WSE's ZIP of PDFs."""

from django.urls import URLPattern, path

from applications.aanvragen.views import editing, home, submission

urlpatterns: list[URLPattern] = [
    path("", home.dashboard, name="dashboard"),
    path("aanvragen/", home.aanvraag_list, name="aanvraag_list"),
    path("aanvragen/start/", home.aanvraag_start, name="aanvraag_start"),
    path("aanvragen/<int:pk>/", submission.aanvraag_overzicht, name="aanvraag_overzicht"),
    path("aanvragen/<int:pk>/verband/", editing.aanvraag_verband, name="aanvraag_verband"),
    path("aanvragen/<int:pk>/teksten/", editing.aanvraag_teksten, name="aanvraag_teksten"),
    path("aanvragen/<int:pk>/autosave/", editing.aanvraag_autosave, name="aanvraag_autosave"),
    path(
        "aanvragen/<int:pk>/meerjarenplan/",
        editing.aanvraag_meerjarenplan,
        name="aanvraag_meerjarenplan",
    ),
    path("aanvragen/<int:pk>/acties/nieuw/", editing.actie_form, name="actie_nieuw"),
    path("aanvragen/<int:pk>/acties/<int:actie_pk>/", editing.actie_form, name="actie_wijzig"),
    path(
        "aanvragen/<int:pk>/acties/<int:actie_pk>/dupliceren/",
        editing.actie_dupliceer,
        name="actie_dupliceer",
    ),
    path(
        "aanvragen/<int:pk>/acties/<int:actie_pk>/verwijderen/",
        editing.actie_verwijder,
        name="actie_verwijder",
    ),
    path("aanvragen/<int:pk>/begroting/", editing.aanvraag_begroting, name="aanvraag_begroting"),
    path("aanvragen/<int:pk>/bijlagen/", editing.aanvraag_bijlagen, name="aanvraag_bijlagen"),
    path(
        "aanvragen/<int:pk>/bijlagen/<int:bijlage_pk>/",
        editing.bijlage_download,
        name="bijlage_download",
    ),
    path(
        "aanvragen/<int:pk>/bijlagen/<int:bijlage_pk>/verwijderen/",
        editing.bijlage_verwijder,
        name="bijlage_verwijder",
    ),
    path("aanvragen/<int:pk>/indienen/", submission.aanvraag_indienen, name="aanvraag_indienen"),
    path("aanvragen/<int:pk>/pdf/", submission.aanvraag_pdf, name="aanvraag_pdf"),
    path(
        "aanvragen/<int:pk>/pdf/status/",
        submission.aanvraag_pdf_status,
        name="aanvraag_pdf_status",
    ),
    path(
        "aanvragen/<int:pk>/pdf/<int:nummer>/", submission.aanvraag_pdf, name="aanvraag_pdf_versie"
    ),
    path("aanvragen/verifieer/", submission.pdf_verifieer, name="pdf_verifieer"),
    path("beoordeling/<slug:slug>/pdfs.zip", submission.oproep_pdfs_zip, name="oproep_pdfs_zip"),
]
