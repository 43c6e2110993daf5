"""Every form class of `applications` has a hostile-input test (issue 7).

`FORMULIEREN` maps every form class to its URL, the role that posts it and its tests in
`tests/<app>/test_hostile_input.py` (their harness: `tests/hostile.py`);
`test_every_form_has_a_hostile_input_test` fails when a new form is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass
from pathlib import Path

from django import forms as django_forms

import applications

# --- Which forms there are, where they are posted and by whom -----------------------------------


@dataclass(frozen=True)
class Formulier:
    url: str
    rol: str
    tests: tuple[str, ...]


FORMULIEREN: dict[str, Formulier] = {
    "applications.api.forms.TokenForm": Formulier(
        "/account/api-sleutels/", "regisseur", ("test_token_form",)
    ),
    "applications.api.forms.SysteemTokenForm": Formulier(
        "(basis van SysteemTokenAdminForm)", "beheerder", ("test_systeem_token_form",)
    ),
    "applications.api.admin.SysteemTokenAdminForm": Formulier(
        "/beheer/api/apitoken/add/", "beheerder", ("test_systeem_token_form",)
    ),
    "applications.accounts.forms.EmailAuthenticationForm": Formulier(
        "/accounts/login/", "anoniem", ("test_login_form",)
    ),
    "applications.core.forms.VersieForm": Formulier(
        "(basis van VerbandContactForm en TekstenForm: het veld versie)",
        "regisseur",
        ("test_aanvraag_text_sections",),
    ),
    "applications.aanvragen.forms.VerbandContactForm": Formulier(
        "/aanvragen/<pk>/verband/", "regisseur", ("test_aanvraag_text_sections",)
    ),
    "applications.aanvragen.forms.TekstenForm": Formulier(
        "/aanvragen/<pk>/teksten/ en /aanvragen/<pk>/autosave/",
        "regisseur",
        ("test_aanvraag_text_sections", "test_autosave"),
    ),
    "applications.aanvragen.forms.ActieForm": Formulier(
        "/aanvragen/<pk>/acties/nieuw/ en /aanvragen/<pk>/acties/<actie_pk>/",
        "regisseur",
        ("test_actie_form_new", "test_actie_form_edit"),
    ),
    "applications.aanvragen.forms.DupliceerForm": Formulier(
        "/aanvragen/<pk>/acties/<actie_pk>/dupliceren/", "regisseur", ("test_actie_duplicate",)
    ),
    "applications.aanvragen.forms.BijlageForm": Formulier(
        "/aanvragen/<pk>/bijlagen/", "regisseur", ("test_bijlage_form",)
    ),
    "applications.aanvragen.forms.VerifieerForm": Formulier(
        "/aanvragen/verifieer/", "elke aangemelde gebruiker", ("test_pdf_verify_form",)
    ),
    "applications.beoordeling.forms.TakeForm": Formulier(
        "/beoordeling/<pk>/nemen/", "beoordelaar", ("test_take_form",)
    ),
    "applications.beoordeling.forms.VraagForm": Formulier(
        "/beoordeling/<pk>/vraag/", "beoordelaar", ("test_vraag_and_notitie_forms",)
    ),
    "applications.beoordeling.forms.NotitieForm": Formulier(
        "/beoordeling/<pk>/notitie/", "beoordelaar", ("test_vraag_and_notitie_forms",)
    ),
    "applications.beoordeling.forms.AntwoordForm": Formulier(
        "/aanvragen/<pk>/vragen/<vraag_pk>/antwoord/", "regisseur", ("test_antwoord_form",)
    ),
    "applications.beoordeling.forms.WijzigingenForm": Formulier(
        "/beoordeling/<pk>/wijzigingen/", "beoordelaar", ("test_wijzigingen_form",)
    ),
    "applications.aanvragen.forms.VerlengingForm": Formulier(
        "/beoordeling/<pk>/uitstel/", "beoordelaar", ("test_uitstel_form",)
    ),
    "applications.aanvragen.forms.IntrekkenForm": Formulier(
        "/aanvragen/<pk>/intrekken/", "regisseur", ("test_intrekken_form",)
    ),
    "applications.beoordeling.forms.BeoordelingForm": Formulier(
        "/beoordeling/<pk>/mijn-beoordeling/",
        "beoordelaar",
        ("test_beoordeling_form", "test_beoordeling_concept"),
    ),
    "applications.beoordeling.forms.BeslissingForm": Formulier(
        "/beoordeling/<pk>/beslissing/", "beoordelaar", ("test_beslissing_form",)
    ),
    "applications.beoordeling.forms.VoorstelBevestigenForm": Formulier(
        "/beoordeling/<pk>/voorstel/bevestigen/", "beoordelaar", ("test_voorstel_forms",)
    ),
    "applications.beoordeling.forms.VoorstelTerugsturenForm": Formulier(
        "/beoordeling/<pk>/voorstel/terugsturen/", "beoordelaar", ("test_voorstel_forms",)
    ),
    "applications.uitvoering.forms.BoekingForm": Formulier(
        "/aanvragen/<pk>/uitvoering/boekingen/", "beheerder", ("test_boeking_form",)
    ),
    "applications.uitvoering.forms.HerbeslissingForm": Formulier(
        "/aanvragen/<pk>/uitvoering/bedragen/", "beoordelaar", ("test_herbeslissing_form",)
    ),
    "applications.uitvoering.forms.ActierapportForm": Formulier(
        "/aanvragen/<pk>/uitvoering/opvolging/<jaar>/", "regisseur", ("test_actierapport_form",)
    ),
    "applications.uitvoering.forms.OpvolgbijlageForm": Formulier(
        "/aanvragen/<pk>/uitvoering/opvolging/<jaar>/bijlagen/",
        "regisseur",
        ("test_opvolgbijlage_form",),
    ),
    "applications.uitvoering.forms.WijzigingActieForm": Formulier(
        "/aanvragen/<pk>/uitvoering/wijzigingen/<nummer>/acties/nieuw/ (en acties/<actie_pk>/, "
        "onderdelen/<onderdeel_pk>/)",
        "regisseur",
        ("test_wijziging_actie_form",),
    ),
    "applications.uitvoering.forms.LedenwijzigingForm": Formulier(
        "/aanvragen/<pk>/uitvoering/wijzigingen/<nummer>/leden/",
        "regisseur",
        ("test_ledenwijziging_form",),
    ),
    "applications.uitvoering.forms.PlanwijzigingForm": Formulier(
        "/aanvragen/<pk>/uitvoering/wijzigingen/<nummer>/",
        "regisseur",
        ("test_planwijziging_form",),
    ),
    "applications.uitvoering.forms.PlanwijzigingBeoordelingForm": Formulier(
        "/aanvragen/<pk>/uitvoering/wijzigingen/<nummer>/beoordelen/",
        "beoordelaar",
        ("test_planwijziging_beoordeling_form",),
    ),
    "applications.uitvoering.forms.AfsluitenForm": Formulier(
        "/aanvragen/<pk>/uitvoering/afsluiten/", "beoordelaar", ("test_afsluiten_form",)
    ),
    "applications.uitvoering.forms.HeropenenForm": Formulier(
        "/aanvragen/<pk>/uitvoering/heropenen/", "beheerder", ("test_heropenen_form",)
    ),
    "applications.uitvoering.forms.OpvolgBeoordelingForm": Formulier(
        "/aanvragen/<pk>/uitvoering/opvolging/<jaar>/beoordelen/",
        "beoordelaar",
        ("test_opvolg_beoordeling_form",),
    ),
    "applications.beheer.forms.UitnodigingForm": Formulier(
        "/beheer/gebruikers/uitnodigen/", "beheerder", ("test_uitnodiging_form",)
    ),
    "applications.beheer.forms.LidToevoegenForm": Formulier(
        "/beheer/regieverbanden/<pk>/leden/toevoegen/", "beheerder", ("test_lid_toevoegen_form",)
    ),
    "applications.beheer.forms.EindeForm": Formulier(
        "/beheer/regieverbanden/<pk>/leden/beeindigen/", "beheerder", ("test_lid_einde_form",)
    ),
    "applications.beheer.forms.TrekkerForm": Formulier(
        "/beheer/regieverbanden/<pk>/trekker/", "beheerder", ("test_trekker_form",)
    ),
    "applications.accounts.forms.CodeForm": Formulier(
        "/accounts/tweestaps/ en /accounts/tweestaps/instellen/",
        "beoordelaar of beheerder na het wachtwoord",
        ("test_tweestaps_code_form", "test_tweestaps_setup_form"),
    ),
    "applications.accounts.forms.BeheerUserCreationForm": Formulier(
        "/beheer/accounts/user/add/", "beheerder", ("test_admin_user_forms",)
    ),
    "applications.accounts.forms.BeheerUserChangeForm": Formulier(
        "/beheer/accounts/user/<pk>/change/", "beheerder", ("test_admin_user_forms",)
    ),
    # Django's own forms on the portal's pages.
    "django.contrib.auth.forms.SetPasswordForm": Formulier(
        "/accounts/uitnodiging/<token>/ en /accounts/reset/<uidb64>/set-password/",
        "wie de link heeft",
        ("test_uitnodiging_aanvaarden_form", "test_password_reset_forms"),
    ),
    "applications.accounts.forms.WachtwoordResetForm": Formulier(
        "/accounts/password_reset/", "anoniem", ("test_password_reset_forms",)
    ),
    "django.contrib.auth.forms.PasswordChangeForm": Formulier(
        "/accounts/password_change/", "elke aangemelde gebruiker", ("test_password_change_form",)
    ),
    "applications.aanvragen.forms.IndienenForm": Formulier(
        "/aanvragen/<pk>/indienen/",
        "regisseur",
        ("test_indienen_with_hostile_content",),
    ),
    # Posts without a form class: their fields are read in the view.
    "(geen formulier) aanvraag_start": Formulier(
        "/aanvragen/start/", "regisseur", ("test_aanvraag_start",)
    ),
    "(geen formulier) actie_verwijder": Formulier(
        "/aanvragen/<pk>/acties/<actie_pk>/verwijderen/", "regisseur", ("test_actie_delete",)
    ),
}


def _form_classes_of_the_portal() -> set[str]:
    """Every form class defined in a module of `applications` (those that mention forms)."""
    found: set[str] = set()
    for module_info in pkgutil.walk_packages(applications.__path__, "applications."):
        if ".migrations" in module_info.name or module_info.ispkg:
            continue
        spec = importlib.util.find_spec(module_info.name)
        if spec is None or spec.origin is None:
            continue
        with open(spec.origin, encoding="utf-8") as source:
            if "Form" not in source.read():
                continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, django_forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.add(f"{module.__name__}.{name}")
    return found


def _hostile_input_tests() -> dict[str, object]:
    """The tests of every `tests/<app>/test_hostile_input.py`, by name (each name once)."""
    found: dict[str, object] = {}
    for path in sorted(Path(__file__).parent.glob("*/test_hostile_input.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.test_hostile_input")
        for naam, waarde in vars(module).items():
            if naam.startswith("test_") and callable(waarde):
                assert naam not in found, f"{naam} is in two hostile-input modules"
                found[naam] = waarde
    return found


def test_every_form_has_a_hostile_input_test() -> None:
    found = _form_classes_of_the_portal()
    assert "applications.aanvragen.forms.ActieForm" in found  # the search itself works
    missing = sorted(found - FORMULIEREN.keys())
    assert not missing, (
        f"forms without an entry in FORMULIEREN (add a hostile-input test): {missing}"
    )
    tests = _hostile_input_tests()
    for naam, formulier in FORMULIEREN.items():
        for test in formulier.tests:
            assert callable(tests.get(test)), f"{naam}: no test called {test}"
