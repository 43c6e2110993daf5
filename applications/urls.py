from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regieverbanden/<int:pk>/", views.regieverband_detail, name="regieverband_detail"),
]
