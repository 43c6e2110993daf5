"""The beheerders' own pages under /beheer/, next to Django's admin (which comes after these)."""

from django.urls import URLPattern, path

from applications.beheer import gebruiker_views as account_views
from applications.beheer import views as beheer_views

urlpatterns: list[URLPattern] = [
    path("gebruikers/", account_views.beheer_gebruikers, name="beheer_gebruikers"),
    path("gebruikers/uitnodigen/", account_views.beheer_uitnodigen, name="beheer_uitnodigen"),
    path(
        "gebruikers/<int:pk>/uitnodiging/",
        account_views.beheer_uitnodiging_opnieuw,
        name="beheer_uitnodiging_opnieuw",
    ),
    path(
        "gebruikers/<int:pk>/deactiveren/",
        account_views.beheer_gebruiker_deactiveren,
        name="beheer_gebruiker_deactiveren",
    ),
    path(
        "gebruikers/<int:pk>/heractiveren/",
        account_views.beheer_gebruiker_heractiveren,
        name="beheer_gebruiker_heractiveren",
    ),
    path("e-mails/<int:pk>/opnieuw/", beheer_views.email_opnieuw, name="beheer_email_opnieuw"),
    path("regieverbanden/", beheer_views.verbanden, name="beheer_verbanden"),
    path("fusies/", beheer_views.fusies, name="beheer_fusies"),
    path("bewaring/", beheer_views.bewaring, name="beheer_bewaring"),
    path("regieverbanden/<int:pk>/", beheer_views.verband, name="beheer_verband"),
    path(
        "regieverbanden/<int:pk>/leden/toevoegen/",
        beheer_views.lid_toevoegen,
        name="beheer_lid_toevoegen",
    ),
    path(
        "regieverbanden/<int:pk>/leden/beeindigen/",
        beheer_views.lid_beeindigen,
        name="beheer_lid_beeindigen",
    ),
    path("regieverbanden/<int:pk>/trekker/", beheer_views.trekker_wijzigen, name="beheer_trekker"),
    path(
        "regieverbanden/<int:pk>/trekker/toepassen/",
        beheer_views.trekker_toepassen,
        name="beheer_trekker_toepassen",
    ),
]
