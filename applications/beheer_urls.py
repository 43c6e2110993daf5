"""The beheerders' own pages under /beheer/, next to Django's admin (which comes after these)."""

from django.urls import URLPattern, path

urlpatterns: list[URLPattern] = []
