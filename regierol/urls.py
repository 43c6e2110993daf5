from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from applications.accounts import views as accounts_views
from applications.accounts.forms import WachtwoordResetForm
from applications.beheer.gebruiker_views import uitnodiging_aanvaarden
from applications.core import views as core_views
from applications.core.metrics import METRICS_URL_NAME, metrics
from applications.core.views import favicon, healthz

urlpatterns = [
    path("accounts/login/", accounts_views.Aanmelden.as_view(), name="login"),
    path(
        "accounts/uitnodiging/<str:token>/",
        uitnodiging_aanvaarden,
        name="uitnodiging_aanvaarden",
    ),
    path("accounts/tweestaps/", accounts_views.controleren, name="tweestaps_controleren"),
    path("accounts/tweestaps/instellen/", accounts_views.instellen, name="tweestaps_instellen"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=WachtwoordResetForm),
        name="password_reset",
    ),
    path("accounts/logout/", accounts_views.Afmelden.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", include("applications.beheer.urls")),
    path("beheer/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name=METRICS_URL_NAME),
    path("favicon.ico", favicon, name="favicon"),
    path("toegankelijkheid/", core_views.toegankelijkheid, name="toegankelijkheid"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("contact/", core_views.contact, name="contact"),
    path("", include("applications.aanvragen.urls")),
    path("", include("applications.besturen.urls")),
    path("", include("applications.beoordeling.urls")),
    path("", include("applications.uitvoering.urls")),
    path("", include("applications.overzichten.urls")),
    path("", include("applications.opendata.urls")),
    path("", include("applications.api.urls")),
]
