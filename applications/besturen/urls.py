"""The page of one regieverband."""

from django.urls import URLPattern, path

from applications.besturen import views

urlpatterns: list[URLPattern] = [
    path("regieverbanden/<int:pk>/", views.regieverband_detail, name="regieverband_detail"),
]
