"""The page of one regieverband; the login through ACM/IDM."""

from django.urls import URLPattern, path

from applications.besturen import views

urlpatterns: list[URLPattern] = [
    path("regieverbanden/<int:pk>/", views.regieverband_detail, name="regieverband_detail"),
    path("accounts/acmidm/", views.acmidm_aanmelden, name="acmidm_aanmelden"),
    path("accounts/acmidm/terug/", views.acmidm_terug, name=views.TERUG),
]
