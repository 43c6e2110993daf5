"""Every URL of the project, asked by every role, gets the answer of the table below.

The table maps each URL pattern (by `namespace:name`, or by its route when it has no name) to
the answer each role gets: anonymous, the regisseur of the verband that owns the objects
(alice), a regisseur of another verband (bob), a WSE-beoordelaar and a beheerder. A number is
the expected status; a path is a redirect (302) to exactly that path. The project's rule: who
may not see a thing gets a 404, who may see it but not change it a 403.

A new URL pattern without an entry fails `test_every_url_pattern_has_an_entry`, and so does an
entry whose pattern is gone. The admin site (namespace `beheer`) has one entry, `beheer:*`: each
of its generated patterns is asked one by one and checked against the rules of `admin_vragen`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.contrib.admin import site as beheer_site
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.aanvragen import pdf as aanvraag_pdf
from applications.aanvragen.models import Aanvraag, Actie, Bijlage
from applications.aanvragen.services import bijlage_add
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.accounts.constants import Rol
from applications.accounts.middleware import TweestapsMiddleware
from applications.accounts.models import User
from applications.api import services as api_services
from applications.api.constants import Scope
from applications.api.models import ApiAanroep, ApiToken
from applications.audit.models import Auditregel
from applications.beheer.models import Onderhoudsmelding
from applications.beoordeling import pdf as beslissing_pdf
from applications.beoordeling.models import Beslissing, Vraag
from applications.beoordeling.services import (
    aanvraag_decide,
    aanvraag_request_changes,
    aanvraag_take,
    vraag_stellen,
)
from applications.berichten.models import Bericht
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.core.transactions import store_file
from applications.oproepen.constants import Bijlagemoment
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep
from applications.uitvoering.constants import Ledenwijzigingssoort, Schijfmoment
from applications.uitvoering.models import (
    Afsluiting,
    Betalingsschijf,
    Opvolgbijlage,
    Opvolgmoment,
    Opvolgtermijn,
    Planwijziging,
)
from applications.uitvoering.wijzigingen import (
    Actiegegevens,
    actie_voorstellen,
    lid_voorstellen,
    planwijziging_starten,
)

from .aanvraag_helpers import fill_everything, pdf_bytes, pdf_upload, worker_maakt_pdfs
from .conftest import client_for
from .factories import AanvraagFactory, OproepFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLLEN = ("anoniem", "regisseur", "collega", "beoordelaar", "beheerder")
ADMIN = "beheer"  # the namespace of the admin site (`beheer_site`)
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/beheer/login/"
TWEESTAPS = "/accounts/tweestaps/"
ACMIDM_AUTORISATIE = "/op/authorize"  # the path of the test provider's authorization endpoint

# An expected answer: a status code, or (a string) a 302 to exactly that path, in which
# "{w.<attribute>}" is filled from the test's objects.
Verwacht = int | str


# --- The objects every URL is filled from -------------------------------------------------------


@dataclass
class Wereld:
    """The objects of one test: everything belongs to `verband` (alice's), unless said."""

    verband: Regieverband
    concept: Aanvraag  # editable, in the open call: the section pages
    actie: Actie
    bijlage: Bijlage
    bijlage_weg: Bijlage  # deleted by the owner's POST
    dossier: Aanvraag  # in review, submitted twice (versions 1 and 2), one open question
    vraag: Vraag
    beslist: Aanvraag  # approved, with its decision letter
    gebruiker: User  # a spare account for the beheer actions (invite again, (de)activate)
    bericht: Bericht  # a failed e-mail, tried again by a beheerder
    token: ApiToken  # alice's API token, revoked by her POST
    admin_objecten: dict[type[Model], Model] = field(default_factory=dict)
    opvolgbijlage: Opvolgbijlage | None = None  # of `beslist`'s opvolgmoment of its first year
    # A draft change to `beslist`'s plan (proposed in its period, 2030), with a new action and
    # a bestuur joining; the period is not running today, so the regisseurs' posts are refused.
    planwijziging: Planwijziging | None = None
    afgesloten: Aanvraag | None = None  # granted and closed, with its decision letter stored


def _wereld(regisseur: User, beoordelaar: User, beheerder: User, concept: Aanvraag) -> Wereld:
    verband = concept.regieverband
    actie = Actie.objects.create(
        aanvraag=concept,
        prioriteit=concept.oproep.prioriteiten.get(code="WSE-LR1"),
        jaar=concept.oproep.eerste_jaar,
        titel="Verzonnen actie",
        budget=Decimal("1000.00"),
    )
    lso = concept.oproep.bijlagetypes.get(code="lso-vdab")
    bijlagen = [
        bijlage_add(aanvraag=concept, by=regisseur, bijlagetype=lso, upload=pdf_upload())
        for _i in range(2)
    ]
    # What the portal renders when an aanvraag is submitted or decided does not matter here:
    # a one-page PDF stands in, so that only the draft PDF (one call per role) is rendered.
    # The dossier's version 1 has its sealed PDF; its version 2 is still being made ("wordt
    # verzegeld"), so the pages show that state to every role.
    with (
        mock.patch.object(aanvraag_pdf, "render_aanvraag", return_value=pdf_bytes()),
        mock.patch.object(aanvraag_pdf, "render_inhoud", return_value=pdf_bytes()),
        mock.patch.object(beslissing_pdf, "render_beslissing", return_value=pdf_bytes()),
    ):
        # The newest call with submitted aanvragen is the overviews' default: the dossier's.
        dossier = AanvraagFactory.create(
            regieverband=verband,
            oproep=OproepFactory.create(slug="dossier-test", eerste_jaar=2031, laatste_jaar=2033),
        )
        fill_everything(dossier, regisseur)
        aanvraag_submit(aanvraag=dossier, by=regisseur)
        worker_maakt_pdfs()
        aanvraag_take(aanvraag=dossier, by=beoordelaar)
        aanvraag_request_changes(
            aanvraag=dossier,
            by=beoordelaar,
            reden="Verzonnen reden.",
            tot=timezone.now() + datetime.timedelta(days=7),
        )
        aanvraag_submit(aanvraag=dossier, by=regisseur)
        aanvraag_take(aanvraag=dossier, by=beoordelaar)
        vraag = vraag_stellen(aanvraag=dossier, by=beoordelaar, tekst="Verzonnen vraag?")

        beslist = AanvraagFactory.create(
            regieverband=verband,
            # Its decisions are published: its open data is public.
            oproep=OproepFactory.create(slug="beslist-test", beslissingen_gepubliceerd=True),
        )
        fill_everything(beslist, regisseur)
        aanvraag_submit(aanvraag=beslist, by=regisseur)
        worker_maakt_pdfs(beslist)
        aanvraag_take(aanvraag=beslist, by=beoordelaar)
        aanvraag_decide(
            aanvraag=beslist,
            by=beoordelaar,
            uitkomst=AanvraagStatus.GOEDGEKEURD,
            motivatie="Verzonnen motivatie.",
            bedragen={jaar: Decimal("50000") for jaar in beslist.oproep.jaren},
        )
    dossier.refresh_from_db()
    beslist.refresh_from_db()
    assert dossier.status == AanvraagStatus.IN_BEHANDELING
    assert [i.pdf_klaar for i in dossier.indieningen.order_by("nummer")] == [True, False]
    assert beslist.status == AanvraagStatus.GOEDGEKEURD
    # The first year's opvolgmoment of the granted aanvraag, for the API (a row, not yet filled in).
    Opvolgmoment.objects.create(aanvraag=beslist, jaar=beslist.oproep.eerste_jaar)
    wereld = Wereld(
        verband=verband,
        concept=concept,
        actie=actie,
        bijlage=bijlagen[0],
        bijlage_weg=bijlagen[1],
        dossier=dossier,
        vraag=vraag,
        beslist=beslist,
        gebruiker=UserFactory.create(email="eve@example.org"),
        bericht=Bericht.objects.create(
            aan=["eve@example.org"],
            onderwerp="Verzonnen e-mail",
            sjabloon="test",
            tekst="Verzonnen.",
            status=Bericht.Status.MISLUKT,
            laatste_fout="Verzonnen fout",
        ),
        token=api_services.token_maken(
            by=regisseur,
            voor=regisseur,
            naam="Verzonnen sleutel",
            scopes=[Scope.OPROEPEN],
            verloopt_op=timezone.now() + datetime.timedelta(days=1),
        )[0],
    )
    # The admin's change, delete and history pages of one existing object of each model.
    wereld.admin_objecten = {
        Aanvraag: concept,
        Actie: actie,
        Bijlage: wereld.bijlage,
        LokaalBestuur: LokaalBestuur.objects.get(nis_code="73107"),
        Oproep: concept.oproep,
        Beleidsprioriteit: concept.oproep.prioriteiten.all()[0],
        Regieverband: verband,
        User: regisseur,
        Group: Group.objects.get(name=Rol.REGISSEUR.value),
        Bericht: wereld.bericht,
        Onderhoudsmelding: Onderhoudsmelding.objects.create(tekst="Verzonnen melding"),
        Betalingsschijf: Betalingsschijf.objects.create(
            oproep=beslist.oproep,
            naam="Voorschot",
            percentage=Decimal(60),
            moment=Schijfmoment.BEGIN_JAAR,
        ),
        Opvolgtermijn: Opvolgtermijn.objects.create(
            oproep=beslist.oproep,
            jaar=beslist.oproep.eerste_jaar,
            uiterlijk=datetime.date(beslist.oproep.eerste_jaar + 1, 6, 30),
        ),
        ApiToken: wereld.token,
        ApiAanroep: ApiAanroep.objects.create(methode="GET", pad="/api/v1/oproepen/", status=401),
        Auditregel: Auditregel.objects.create(
            soort=Auditregel.Soort.BEHEER, actie="Verzonnen wijziging", pad="/beheer/"
        ),
    }
    # An attachment of `beslist`'s first opvolgmoment (made above). Its year is not over, so the
    # service would refuse it: stored as the service stores it.
    bijlage = Opvolgbijlage(
        opvolgmoment=Opvolgmoment.objects.get(aanvraag=beslist, jaar=beslist.oproep.eerste_jaar),
        bijlagetype=BijlageType.objects.create(
            oproep=beslist.oproep,
            code="jaarrekening",
            naam="Jaarrekening",
            voor=Bijlagemoment.OPVOLGMOMENT,
        ),
        naam="jaarrekening.pdf",
        grootte=len(pdf_bytes()),
        sha256="0" * 64,
    )
    store_file(bijlage.bestand, "jaarrekening.pdf", pdf_upload("jaarrekening.pdf"))
    bijlage.save()
    wereld.opvolgbijlage = bijlage
    in_periode = datetime.datetime(beslist.oproep.eerste_jaar, 3, 2, 10, tzinfo=datetime.UTC)
    wijziging = planwijziging_starten(aanvraag=beslist, by=regisseur, now=in_periode)
    actie_voorstellen(
        wijziging=wijziging,
        by=regisseur,
        gegevens=Actiegegevens(
            prioriteit=beslist.oproep.prioriteiten.order_by("volgorde")[0],
            jaar=beslist.oproep.laatste_jaar,
            titel="Verzonnen nieuwe actie",
        ),
        now=in_periode,
    )
    lid_voorstellen(
        wijziging=wijziging,
        by=regisseur,
        soort=Ledenwijzigingssoort.TOETREDING,
        bestuur=LokaalBestuur.objects.get(nis_code="72021"),
        datum=datetime.date(beslist.oproep.eerste_jaar, 6, 1),
        now=in_periode,
    )
    wereld.planwijziging = wijziging
    # A closed dossier of the verband, for its final bundle: its letter is a stored PDF.
    afgesloten = AanvraagFactory.create(
        regieverband=verband,
        oproep=OproepFactory.create(slug="afgesloten-test"),
        goedgekeurd=True,
    )
    brief = Beslissing(
        aanvraag=afgesloten,
        uitkomst=AanvraagStatus.GOEDGEKEURD,
        bedragen={str(j): "50000.00" for j in afgesloten.oproep.jaren},
        motivatie="Verzonnen motivatie.",
        door=beoordelaar,
        op=timezone.now(),
        brief_sha256=hashlib.sha256(pdf_bytes()).hexdigest(),
        brief_grootte=len(pdf_bytes()),
    )
    store_file(brief.brief, "brief.pdf", pdf_upload("brief.pdf"))
    brief.save()
    Afsluiting.objects.create(aanvraag=afgesloten, afgesloten_door=beoordelaar)
    wereld.afgesloten = afgesloten
    return wereld


def planwijziging(w: Wereld, **meer: Any) -> dict[str, Any]:
    assert w.planwijziging is not None
    return {"pk": w.beslist.pk, "nummer": w.planwijziging.nummer, **meer}


# --- The table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regel:
    """The answers to one URL pattern, and how to ask it."""

    verwacht: dict[str, Verwacht]
    kwargs: Callable[[Wereld], dict[str, Any]] = lambda w: {}
    post: bool = False
    data: Callable[[Wereld], dict[str, Any]] = lambda w: {}
    # Asked with a client of its own, because it ends the session (log out).
    eigen_client: bool = False

    def __post_init__(self) -> None:
        assert set(self.verwacht) == set(ROLLEN), self.verwacht


def rollen(
    anoniem: Verwacht = LOGIN,
    regisseur: Verwacht = 200,
    collega: Verwacht = 200,
    beoordelaar: Verwacht = 200,
    beheerder: Verwacht = 200,
) -> dict[str, Verwacht]:
    return {
        "anoniem": anoniem,
        "regisseur": regisseur,
        "collega": collega,
        "beoordelaar": beoordelaar,
        "beheerder": beheerder,
    }


# Open to everyone, logged in or not.
OPENBAAR = rollen(anoniem=200)
# Every logged-in user.
INGELOGD = rollen()
# What the verband owns: its regisseurs and WSE see it, a colleague of another verband may not.
VAN_VERBAND = rollen(collega=404)
# WSE's pages: nobody else learns they exist.
WSE = rollen(regisseur=404, collega=404)


def wijzigen(eigenaar: Verwacht) -> dict[str, Verwacht]:
    """A change of the aanvraag's content: its regisseurs only; WSE sees it, may not change it."""
    return rollen(regisseur=eigenaar, collega=404, beoordelaar=403, beheerder=403)


def wse_actie(wse: Verwacht) -> dict[str, Verwacht]:
    return rollen(regisseur=404, collega=404, beoordelaar=wse, beheerder=wse)


def concept(w: Wereld) -> dict[str, Any]:
    return {"pk": w.concept.pk}


def dossier(w: Wereld) -> dict[str, Any]:
    return {"pk": w.dossier.pk}


def beslist(w: Wereld) -> dict[str, Any]:
    return {"pk": w.beslist.pk}


def verband(w: Wereld) -> dict[str, Any]:
    return {"pk": w.verband.pk}


def gebruiker(w: Wereld) -> dict[str, Any]:
    return {"pk": w.gebruiker.pk}


def bericht(w: Wereld) -> dict[str, Any]:
    return {"pk": w.bericht.pk}


def oproep(w: Wereld) -> dict[str, Any]:
    return {"slug": w.dossier.oproep.slug}


# Every API endpoint and how to fill its URL: a list, or one object of alice's verband.
API_KWARGS: dict[str, Callable[[Wereld], dict[str, Any]]] = {
    "api-oproep-list": lambda w: {},
    "api-oproep-detail": lambda w: {"slug": w.beslist.oproep.slug},
    "api-prioriteit-list": lambda w: {},
    "api-prioriteit-detail": lambda w: {"pk": w.beslist.oproep.prioriteiten.all()[0].pk},
    "api-regieverband-list": lambda w: {},
    "api-regieverband-detail": lambda w: {"pk": w.verband.pk},
    "api-aanvraag-list": lambda w: {},
    "api-aanvraag-detail": lambda w: {"pk": w.beslist.pk},
    "api-beslissing-list": lambda w: {},
    "api-beslissing-detail": lambda w: {"pk": w.beslist.beslissing.pk},
    "api-opvolgmoment-list": lambda w: {},
    "api-opvolgmoment-detail": lambda w: {"pk": w.beslist.opvolgmomenten.get().pk},
    "api-betalingen-list": lambda w: {},
    "api-betalingen-detail": lambda w: {"pk": w.beslist.pk},
}
API_SESSIE = rollen(401, 401, 401, 401, 401)


TABEL: dict[str, Regel] = {
    # --- Accounts: login, invitation, two-step login, Django's auth pages
    "login": Regel(OPENBAAR),
    # An invitation link that does not exist: the same 404 page for everyone.
    "uitnodiging_aanvaarden": Regel(
        rollen(404, 404, 404, 404, 404), kwargs=lambda w: {"token": "bestaat-niet"}
    ),
    # Regisseurs log in with a password only: for them these pages do not exist. WSE passed the
    # second step already.
    "tweestaps_controleren": Regel(
        rollen(regisseur=404, collega=404, beoordelaar="/", beheerder="/")
    ),
    "tweestaps_instellen": Regel(
        rollen(regisseur=404, collega=404, beoordelaar=TWEESTAPS, beheerder=TWEESTAPS)
    ),
    "logout": Regel(rollen(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN), post=True, eigen_client=True),
    # The login through ACM/IDM (configured for the test provider by `_acmidm` below): to the
    # provider's authorization endpoint for everyone; its way back without a state of this
    # session is refused (400) for everyone.
    "acmidm_aanmelden": Regel(rollen(*[ACMIDM_AUTORISATIE] * 5)),
    "acmidm_terug": Regel(rollen(400, 400, 400, 400, 400)),
    "password_change": Regel(INGELOGD),
    "password_change_done": Regel(INGELOGD),
    "password_reset": Regel(OPENBAAR),
    "password_reset_done": Regel(OPENBAAR),
    # A link with an unknown user and token: the page says the link is invalid.
    "password_reset_confirm": Regel(
        OPENBAAR, kwargs=lambda w: {"uidb64": "MA", "token": "ongeldig-token"}
    ),
    "password_reset_complete": Regel(OPENBAAR),
    "set_language": Regel(
        rollen("/", "/", "/", "/", "/"), post=True, data=lambda w: {"language": "nl"}
    ),
    "healthz": Regel(OPENBAAR),
    # Prometheus' metrics: only with the bearer token of REGIEROL_METRICS_TOKEN (not set here;
    # tests/core/test_metrics.py asks with it). A session, of whatever role, is no token.
    "metrics": Regel(rollen(404, 404, 404, 404, 404)),
    # The public pages in every page's footer.
    "contact": Regel(OPENBAAR),
    "privacy": Regel(OPENBAAR),
    "toegankelijkheid": Regel(OPENBAAR),
    # Browsers ask for it on pages without an icon link: the portal's icon, for everyone.
    "favicon": Regel(rollen(*(["/static/favicon.svg"] * 5))),
    # --- The portal
    "dashboard": Regel(INGELOGD),
    "regieverband_detail": Regel(VAN_VERBAND, kwargs=verband),
    "aanvraag_list": Regel(INGELOGD),
    # Starting the aanvraag that already exists leads to it; only the verband's regisseurs.
    "aanvraag_start": Regel(
        rollen(
            regisseur="/aanvragen/{w.concept.pk}/verband/",
            collega=404,
            beoordelaar=404,
            beheerder=404,
        ),
        post=True,
        data=lambda w: {"regieverband": w.verband.pk, "oproep": w.concept.oproep_id},
    ),
    "aanvraag_overzicht": Regel(VAN_VERBAND, kwargs=concept),
    "aanvraag_verband": Regel(VAN_VERBAND, kwargs=concept),
    "aanvraag_teksten": Regel(VAN_VERBAND, kwargs=concept),
    # Without a field to save: refused as a bad request, after the permission check.
    "aanvraag_autosave": Regel(wijzigen(400), kwargs=concept, post=True),
    "aanvraag_meerjarenplan": Regel(VAN_VERBAND, kwargs=concept),
    "actie_nieuw": Regel(VAN_VERBAND, kwargs=concept),
    "actie_wijzig": Regel(
        VAN_VERBAND, kwargs=lambda w: {"pk": w.concept.pk, "actie_pk": w.actie.pk}
    ),
    # Without a year: back to the action with a message.
    "actie_dupliceer": Regel(
        wijzigen("/aanvragen/{w.concept.pk}/acties/{w.actie.pk}/"),
        kwargs=lambda w: {"pk": w.concept.pk, "actie_pk": w.actie.pk},
        post=True,
    ),
    # Without the version the user saw: not deleted, back to the action.
    "actie_verwijder": Regel(
        wijzigen("/aanvragen/{w.concept.pk}/acties/{w.actie.pk}/"),
        kwargs=lambda w: {"pk": w.concept.pk, "actie_pk": w.actie.pk},
        post=True,
    ),
    "aanvraag_begroting": Regel(VAN_VERBAND, kwargs=concept),
    "aanvraag_bijlagen": Regel(VAN_VERBAND, kwargs=concept),
    "bijlage_download": Regel(
        VAN_VERBAND, kwargs=lambda w: {"pk": w.concept.pk, "bijlage_pk": w.bijlage.pk}
    ),
    "bijlage_verwijder": Regel(
        wijzigen("/aanvragen/{w.concept.pk}/bijlagen/"),
        kwargs=lambda w: {"pk": w.concept.pk, "bijlage_pk": w.bijlage_weg.pk},
        post=True,
    ),
    # Incomplete: not submitted, back to the overview with the missing parts.
    "aanvraag_indienen": Regel(wijzigen("/aanvragen/{w.concept.pk}/"), kwargs=concept, post=True),
    # The draft PDF, rendered now (the one real rendering per role).
    "aanvraag_pdf": Regel(VAN_VERBAND, kwargs=concept),
    "aanvraag_pdf_versie": Regel(VAN_VERBAND, kwargs=lambda w: {"pk": w.dossier.pk, "nummer": 1}),
    # The state of the sealed PDFs (version 2 still being made), asked by the overview's script.
    "aanvraag_pdf_status": Regel(VAN_VERBAND, kwargs=lambda w: {"pk": w.dossier.pk}),
    # Logged-in users only (the answer names the aanvraag a PDF belongs to).
    "pdf_verifieer": Regel(INGELOGD),
    "oproep_pdfs_zip": Regel(WSE, kwargs=oproep),
    # --- WSE's overviews and exports
    "dekking_standaard": Regel(
        rollen(
            regisseur=404,
            collega=404,
            beoordelaar="/dekking/dossier-test/",
            beheerder="/dekking/dossier-test/",
        )
    ),
    "dekking": Regel(WSE, kwargs=oproep),
    "budget_standaard": Regel(
        rollen(
            regisseur=404,
            collega=404,
            beoordelaar="/budget/dossier-test/",
            beheerder="/budget/dossier-test/",
        )
    ),
    "budget": Regel(WSE, kwargs=oproep),
    "export": Regel(
        WSE, kwargs=lambda w: {"slug": "dossier-test", "soort": "aanvragen", "formaat": "xlsx"}
    ),
    # --- Open data of a call whose decisions are published: everyone, logged in or not
    "opendata_catalogus": Regel(OPENBAAR),
    "opendata_oproep": Regel(OPENBAAR, kwargs=lambda w: {"slug": w.beslist.oproep.slug}),
    "opendata_jsonld": Regel(OPENBAAR, kwargs=lambda w: {"slug": w.beslist.oproep.slug}),
    "opendata_csv": Regel(OPENBAAR, kwargs=lambda w: {"slug": w.beslist.oproep.slug}),
    # --- The API reads tokens only: a session, whoever's, is no key (401). Its schema and
    # documentation are public. Each endpoint by token: `API_TOKENS` below.
    **{naam: Regel(API_SESSIE, kwargs=API_KWARGS[naam]) for naam in API_KWARGS},
    "api_schema": Regel(OPENBAAR),
    "api_docs": Regel(OPENBAAR),
    # A regisseur's own tokens; WSE's systems get theirs in /beheer/.
    "api_tokens": Regel(rollen(regisseur=200, collega=200, beoordelaar=404, beheerder=404)),
    "api_token_intrekken": Regel(
        rollen(regisseur="/account/api-sleutels/", collega=404, beoordelaar=404, beheerder=404),
        kwargs=lambda w: {"pk": w.token.pk},
        post=True,
    ),
    # --- WSE's review. The actions, posted without data, are refused at their form (400).
    "beoordeling_queue": Regel(WSE),
    "beoordeling_detail": Regel(WSE, kwargs=dossier),
    "beoordeling_nemen": Regel(wse_actie(400), kwargs=dossier, post=True),
    "beoordeling_vraag": Regel(wse_actie(400), kwargs=dossier, post=True),
    "beoordeling_notitie": Regel(wse_actie(400), kwargs=dossier, post=True),
    "beoordeling_wijzigingen": Regel(wse_actie(400), kwargs=dossier, post=True),
    "beoordeling_uitstel": Regel(wse_actie(400), kwargs=dossier, post=True),
    "beoordeling_beslissing": Regel(wse_actie(400), kwargs=dossier, post=True),
    "beoordeling_voorstel_bevestigen": Regel(wse_actie(400), kwargs=dossier, post=True),
    "beoordeling_voorstel_terugsturen": Regel(wse_actie(400), kwargs=dossier, post=True),
    "beoordeling_form": Regel(WSE, kwargs=dossier),
    "beoordeling_versies": Regel(WSE, kwargs=lambda w: {"pk": w.dossier.pk, "oud": 1, "nieuw": 2}),
    # --- The regisseurs' follow-up
    "aanvraag_opvolging": Regel(VAN_VERBAND, kwargs=dossier),
    # An answer: the verband's regisseurs give it; WSE sees the question, may not answer it.
    "vraag_antwoord": Regel(
        wijzigen("/aanvragen/{w.dossier.pk}/opvolging/"),
        kwargs=lambda w: {"pk": w.dossier.pk, "vraag_pk": w.vraag.pk},
        post=True,
        data=lambda w: {f"v{w.vraag.pk}-antwoord": "Verzonnen antwoord."},
    ),
    # Withdrawing a decided aanvraag: refused at the form for its regisseurs; WSE may not.
    "aanvraag_intrekken": Regel(wijzigen(400), kwargs=beslist, post=True),
    "beslissing_brief": Regel(VAN_VERBAND, kwargs=beslist),
    # --- The uitvoering of a granted aanvraag: its regisseurs and WSE read it; a beheerder books
    # payments, a reviewer decides new amounts (posted without data: refused at the form, 400);
    # the others see the page and may not (403).
    "aanvraag_uitvoering": Regel(VAN_VERBAND, kwargs=beslist),
    "uitvoering_boeking": Regel(
        rollen(regisseur=403, collega=404, beoordelaar=403, beheerder=400),
        kwargs=beslist,
        post=True,
    ),
    # The opvolgmoment of a year (its call sets a due date; 2030 is not over, so nobody fills it
    # in yet): read like the uitvoering; judged by a reviewer only (nothing submitted: 400).
    "uitvoering_opvolgmoment": Regel(
        VAN_VERBAND, kwargs=lambda w: {"pk": w.beslist.pk, "jaar": w.beslist.oproep.eerste_jaar}
    ),
    # Its attachments: uploaded and removed by the verband's regisseurs (posted without a file:
    # refused at the form, 400; removing is refused, the year not being over: back to the page);
    # downloaded by whoever reads the uitvoering.
    "uitvoering_opvolgbijlage": Regel(
        wijzigen(400),
        kwargs=lambda w: {"pk": w.beslist.pk, "jaar": w.beslist.oproep.eerste_jaar},
        post=True,
    ),
    "uitvoering_opvolgbijlage_download": Regel(
        VAN_VERBAND,
        kwargs=lambda w: {
            "pk": w.beslist.pk,
            "jaar": w.beslist.oproep.eerste_jaar,
            "bijlage_pk": w.opvolgbijlage.pk if w.opvolgbijlage else 0,
        },
    ),
    "uitvoering_opvolgbijlage_verwijder": Regel(
        wijzigen("/aanvragen/{w.beslist.pk}/uitvoering/opvolging/{w.beslist.oproep.eerste_jaar}/"),
        kwargs=lambda w: {
            "pk": w.beslist.pk,
            "jaar": w.beslist.oproep.eerste_jaar,
            "bijlage_pk": w.opvolgbijlage.pk if w.opvolgbijlage else 0,
        },
        post=True,
    ),
    "uitvoering_opvolgmoment_beoordelen": Regel(
        rollen(regisseur=403, collega=404, beoordelaar=400, beheerder=403),
        kwargs=lambda w: {"pk": w.beslist.pk, "jaar": w.beslist.oproep.eerste_jaar},
        post=True,
    ),
    "uitvoering_herbeslissing": Regel(
        rollen(regisseur=403, collega=404, beoordelaar=400, beheerder=403),
        kwargs=beslist,
        post=True,
    ),
    # The changes to the plan: read like the uitvoering; the forms of a draft are its
    # regisseurs' (WSE sees the proposal, may not change it: 403). A post of theirs outside
    # the call's period is refused: back to the proposal with the reason. WSE decides (posted
    # without data: refused at the form, 400).
    "planwijzigingen": Regel(VAN_VERBAND, kwargs=beslist),
    "planwijziging_detail": Regel(VAN_VERBAND, kwargs=planwijziging),
    "planwijziging_actie_nieuw": Regel(wijzigen(200), kwargs=planwijziging),
    "planwijziging_actie": Regel(
        wijzigen(200),
        kwargs=lambda w: planwijziging(w, actie_pk=w.beslist.acties.order_by("pk")[0].pk),
    ),
    "planwijziging_onderdeel": Regel(
        wijzigen(200),
        kwargs=lambda w: planwijziging(
            w, onderdeel_pk=w.planwijziging.acties.get().pk if w.planwijziging else 0
        ),
    ),
    "planwijziging_lid": Regel(wijzigen(200), kwargs=planwijziging),
    "planwijziging_lid_verwijder": Regel(
        wijzigen("/aanvragen/{w.beslist.pk}/uitvoering/wijzigingen/1/"),
        kwargs=lambda w: planwijziging(
            w, lid_pk=w.planwijziging.leden.get().pk if w.planwijziging else 0
        ),
        post=True,
    ),
    "planwijziging_beoordelen": Regel(
        rollen(regisseur=403, collega=404, beoordelaar=400, beheerder=400),
        kwargs=planwijziging,
        post=True,
    ),
    # Closing a dossier: the confirmation step is for reviewers and beheerders (the verband's
    # regisseurs see the uitvoering, may not close it: 403). The final bundle of a closed
    # dossier: whoever reads its uitvoering.
    "uitvoering_afsluiten": Regel(rollen(regisseur=403, collega=404), kwargs=beslist),
    # Reopening a closed dossier: a beheerder's (posted without a reason: 400); the verband's
    # regisseurs and reviewers see the page and may not (403).
    "uitvoering_heropenen": Regel(
        rollen(regisseur=403, collega=404, beoordelaar=403, beheerder=400),
        kwargs=lambda w: {"pk": w.afgesloten.pk if w.afgesloten else 0},
        post=True,
    ),
    "uitvoering_eindbundel": Regel(
        VAN_VERBAND, kwargs=lambda w: {"pk": w.afgesloten.pk if w.afgesloten else 0}
    ),
    # WSE's overview of the follow-up of a call: nobody else learns it exists.
    "opvolgoverzicht": Regel(WSE, kwargs=lambda w: {"slug": w.beslist.oproep.slug}),
    # The uitvoering of a call in figures (realisations, money per verband): WSE only too.
    "oproep_uitvoering": Regel(WSE, kwargs=lambda w: {"slug": w.beslist.oproep.slug}),
    # --- The beheerders' pages. Accounts: 404 for anyone else.
    "beheer_gebruikers": Regel(rollen(LOGIN, 404, 404, 404, 200)),
    "beheer_uitnodigen": Regel(rollen(LOGIN, 404, 404, 404, 200)),
    "beheer_uitnodiging_opnieuw": Regel(
        rollen(LOGIN, 404, 404, 404, "/beheer/gebruikers/"), kwargs=gebruiker, post=True
    ),
    "beheer_email_opnieuw": Regel(
        rollen(LOGIN, 404, 404, 404, "/beheer/gebruikers/"), kwargs=bericht, post=True
    ),
    "beheer_gebruiker_deactiveren": Regel(
        rollen(LOGIN, 404, 404, 404, "/beheer/gebruikers/"), kwargs=gebruiker, post=True
    ),
    "beheer_gebruiker_heractiveren": Regel(
        rollen(LOGIN, 404, 404, 404, "/beheer/gebruikers/"), kwargs=gebruiker, post=True
    ),
    # Verbanden: 404 for anyone else too, also for the regisseur who sees her verband elsewhere.
    "beheer_verbanden": Regel(rollen(regisseur=404, collega=404, beoordelaar=404)),
    "beheer_bewaring": Regel(rollen(regisseur=404, collega=404, beoordelaar=404)),
    "beheer_verband": Regel(rollen(regisseur=404, collega=404, beoordelaar=404), kwargs=verband),
    # The dry run of `fusies_doorvoeren` as a page: read-only, for beheerders.
    "beheer_fusies": Regel(rollen(regisseur=404, collega=404, beoordelaar=404)),
    # The forms, posted without data, are refused at the form (400) for a beheerder.
    "beheer_lid_toevoegen": Regel(
        rollen(regisseur=404, collega=404, beoordelaar=404, beheerder=400),
        kwargs=verband,
        post=True,
    ),
    "beheer_lid_beeindigen": Regel(
        rollen(regisseur=404, collega=404, beoordelaar=404, beheerder=400),
        kwargs=verband,
        post=True,
    ),
    "beheer_trekker": Regel(
        rollen(regisseur=404, collega=404, beoordelaar=404, beheerder=400),
        kwargs=verband,
        post=True,
    ),
    # Nothing planned to apply: back to the verband's page with a message.
    "beheer_trekker_toepassen": Regel(
        rollen(
            regisseur=404,
            collega=404,
            beoordelaar=404,
            beheerder="/beheer/regieverbanden/{w.verband.pk}/",
        ),
        kwargs=verband,
        post=True,
    ),
    # --- Django's admin site: every generated pattern, one by one; the answers are the rules
    # of `admin_vragen`, not these.
    f"{ADMIN}:*": Regel(rollen()),
}


# --- The admin site -----------------------------------------------------------------------------

# The admin's own pages (named `beheer:<name>`), as a beheerder sees them.
ADMIN_SITE_BEHEERDER: dict[str, Verwacht] = {
    "index": 200,
    "login": "/beheer/",  # already logged in with access: on to the index
    "logout": LOGIN,  # LOGOUT_REDIRECT_URL
    "password_change": 200,
    "password_change_done": 200,
    "autocomplete": 403,  # asked without a field to complete: Django refuses
    "jsi18n": 200,
    "view_on_site": 404,  # no model of the portal has a public page (get_absolute_url)
    "app_list": 200,
}
# Models of which the admin adds no rows: they are made in the portal, by its services.
ADMIN_GEEN_TOEVOEGEN = {Aanvraag, Actie, Bijlage, Auditregel, Bericht, ApiAanroep}
# Models of which the admin deletes no rows: the audit log only grows, the outbox is a record,
# API tokens are revoked (their log stays with them) and the log of API calls only grows.
ADMIN_GEEN_VERWIJDEREN = {Auditregel, Bericht, ApiToken, ApiAanroep}


@dataclass(frozen=True)
class Patroon:
    """One URL pattern: its key in the table, its full route and its namespace."""

    sleutel: str
    route: str
    naam: str | None
    namespace: str


def patronen(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Patroon]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from patronen(entry, route, ns)
        else:
            if entry.name:
                sleutel = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                sleutel = route
            yield Patroon(sleutel, route, entry.name, namespace)


def _uniek(alle: Iterator[Patroon]) -> list[Patroon]:
    """One pattern per key: `django.contrib.auth.urls` repeats our login at the same route."""
    gezien: dict[str, Patroon] = {}
    for p in alle:
        gezien.setdefault(p.sleutel, p)
    return list(gezien.values())


def _tabelsleutel(p: Patroon) -> str:
    return f"{ADMIN}:*" if p.namespace == ADMIN else p.sleutel


@dataclass(frozen=True)
class Verzoek:
    """One request to make and the answer expected."""

    sleutel: str
    url: str
    verwacht: Verwacht
    post: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    eigen_client: bool = False


def _admin_model(p: Patroon) -> tuple[type[Model], str] | None:
    """The model of a per-model admin pattern and the pattern's suffix (`change`, `add`, ...;
    the name itself when it does not follow the admin's pattern, `<object_id>` when unnamed)."""
    for model in beheer_site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if p.naam and p.naam.startswith(prefix):
            return model, p.naam.removeprefix(prefix)
    for model in beheer_site._registry:
        if f"/{model._meta.app_label}/{model._meta.model_name}/" in f"/{p.route}":
            return model, p.naam or "<object_id>"
    return None


def admin_vragen(p: Patroon, rol: str, w: Wereld) -> list[Verzoek]:
    """The requests to an admin pattern and their answers for `rol`; [] if there is no rule."""
    # Anonymous visitors go to the admin's login page; anyone else logged in but a beheerder
    # gets a 404, as on every page of /beheer/.
    geweigerd: Verwacht = ADMIN_LOGIN if rol == "anoniem" else 404
    beheerder = rol == "beheerder"
    verwacht: Verwacht
    model_suffix = _admin_model(p)
    if model_suffix is not None:
        model, suffix = model_suffix
        obj = w.admin_objecten.get(model)
        assert obj is not None, f"_wereld names no object of {model.__name__} for the admin"
        if suffix in {"changelist", "add"}:
            url = reverse(p.sleutel)
        elif suffix in {"change", "delete", "history"}:
            url = reverse(p.sleutel, kwargs={"object_id": obj.pk})
        elif suffix == "auth_user_password_change" and model is User:  # UserAdmin's own name
            url = reverse(p.sleutel, kwargs={"id": obj.pk})
        elif suffix == "<object_id>" and p.route.endswith("<path:object_id>/"):
            # The old address of a change page leads to the new one.
            url = "/" + p.route.replace("<path:object_id>", str(obj.pk))
        else:
            return []
        change = reverse(
            f"{ADMIN}:{model._meta.app_label}_{model._meta.model_name}_change",
            kwargs={"object_id": obj.pk},
        )
        if (suffix == "add" and model in ADMIN_GEEN_TOEVOEGEN) or (
            suffix == "delete" and model in ADMIN_GEEN_VERWIJDEREN
        ):
            verwacht = 403
        elif suffix == "<object_id>":
            verwacht = change
        else:
            verwacht = 200
        return [Verzoek(p.sleutel, url, verwacht if beheerder else geweigerd)]
    if p.naam is None and p.route == f"{ADMIN}/(?P<url>.*)$":
        # The catch-all: an unknown address under /beheer/ is a 404, for a beheerder only.
        return [Verzoek(p.sleutel, "/beheer/bestaat-niet/", 404 if beheerder else geweigerd)]
    if p.naam is None or p.naam not in ADMIN_SITE_BEHEERDER:
        return []
    verwacht = ADMIN_SITE_BEHEERDER[p.naam] if beheerder else geweigerd
    if p.naam == "login" and rol == "anoniem":
        verwacht = 200  # the login form
    if p.naam == "logout":
        # Anonymous, logging out of the site leads to its index (then to its login).
        return [
            Verzoek(
                p.sleutel,
                reverse(p.sleutel),
                "/beheer/" if rol == "anoniem" else verwacht,
                post=True,
                eigen_client=True,
            )
        ]
    if p.naam == "app_list":
        labels = sorted({m._meta.app_label for m in beheer_site._registry})
        return [
            Verzoek(p.sleutel, reverse(p.sleutel, kwargs={"app_label": label}), verwacht)
            for label in labels
        ]
    if p.naam == "view_on_site":
        obj = w.admin_objecten[Regieverband]
        ct = ContentType.objects.get_for_model(Regieverband)
        url = reverse(p.sleutel, kwargs={"content_type_id": ct.pk, "object_id": obj.pk})
        return [Verzoek(p.sleutel, url, verwacht)]
    return [Verzoek(p.sleutel, reverse(p.sleutel), verwacht)]


def vragen(rol: str, w: Wereld) -> Iterator[Verzoek]:
    """Every request of the walk for one role, in the order of the URL patterns."""
    for p in _uniek(patronen()):
        if p.namespace == ADMIN:
            gevonden = admin_vragen(p, rol, w)
            assert gevonden, f"No rule for the admin pattern {p.sleutel!r} ({p.route})"
            yield from gevonden
            continue
        regel = TABEL.get(p.sleutel)
        if regel is None:
            continue  # test_every_url_pattern_has_an_entry names it
        yield Verzoek(
            p.sleutel,
            reverse(p.sleutel, kwargs=regel.kwargs(w)),
            regel.verwacht[rol],
            post=regel.post,
            data=regel.data(w),
            eigen_client=regel.eigen_client,
        )


# --- Asking -------------------------------------------------------------------------------------


def _antwoord(response: HttpResponseBase) -> str:
    if response.status_code == 302:
        return f"302 -> {response['Location']}"
    return str(response.status_code)


def _klopt(response: HttpResponseBase, verwacht: Verwacht, w: Wereld) -> bool:
    if isinstance(verwacht, int):
        return response.status_code == verwacht
    return response.status_code == 302 and urlsplit(response["Location"]).path == verwacht.format(
        w=w
    )


def _vraag(client: Client, v: Verzoek) -> HttpResponseBase:
    if v.post:
        return client.post(v.url, v.data)
    return client.get(v.url)


def _afwijkingen(
    maak_client: Callable[[], Client], alle: Iterator[Verzoek], w: Wereld
) -> list[str]:
    client = maak_client()
    afwijkingen = []
    for v in alle:
        response = _vraag(maak_client() if v.eigen_client else client, v)
        if not _klopt(response, v.verwacht, w):
            verwacht = v.verwacht if isinstance(v.verwacht, int) else f"302 -> {v.verwacht}"
            afwijkingen.append(
                f"{v.sleutel}: {'POST' if v.post else 'GET'} {v.url}: expected "
                f"{str(verwacht).format(w=w)}, got {_antwoord(response)}"
            )
    return afwijkingen


# --- The tests ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _acmidm(acmidm: Any) -> None:
    """The login through ACM/IDM is configured, against the tests' provider on loopback."""


def test_every_url_pattern_has_an_entry() -> None:
    sleutels = {_tabelsleutel(p) for p in patronen()}
    zonder = sorted(sleutels - set(TABEL))
    verouderd = sorted(set(TABEL) - sleutels)
    assert not zonder and not verouderd, (
        f"URL patterns without an entry in TABEL of tests/test_url_roles.py: {zonder}; "
        f"entries of TABEL that match no URL pattern any more: {verouderd}"
    )


@pytest.mark.parametrize("rol", ROLLEN)
def test_every_url_answers_each_role_as_the_table_says(
    rol: str,
    request: pytest.FixtureRequest,
    regisseur: User,
    collega: User,
    beoordelaar: User,
    beheerder: User,
    aanvraag: Aanvraag,
) -> None:
    w = _wereld(regisseur, beoordelaar, beheerder, aanvraag)
    user = None if rol == "anoniem" else request.getfixturevalue(rol)
    afwijkingen = _afwijkingen(lambda: client_for(user), vragen(rol, w), w)
    assert not afwijkingen, f"{len(afwijkingen)} answer(s) for {rol} differ:\n" + "\n".join(
        afwijkingen
    )


# Pages that WSE staff reach after the password alone, and their answers there; every other
# page sends them to the second step first.
ZONDER_CODE: dict[str, dict[str, Verwacht]] = {
    "tweestaps_controleren": {"beoordelaar": 200, "beheerder": 200},
    # The app is linked already: give its code.
    "tweestaps_instellen": {"beoordelaar": TWEESTAPS, "beheerder": TWEESTAPS},
    "logout": {"beoordelaar": LOGIN, "beheerder": LOGIN},
    # The admin site's logout: a beoordelaar is never a beheerder (404, as every page of
    # /beheer/); without the second step a beheerder has no access to the site yet (the admin
    # checks it too), so it leads to its index, which sends them on to the second step.
    f"{ADMIN}:logout": {"beoordelaar": 404, "beheerder": "/beheer/"},
    "set_language": {"beoordelaar": "/", "beheerder": "/"},
    "healthz": {"beoordelaar": 200, "beheerder": 200},
    "favicon": {"beoordelaar": "/static/favicon.svg", "beheerder": "/static/favicon.svg"},
}


@pytest.mark.parametrize("rol", ["beoordelaar", "beheerder"])
def test_wse_staff_without_the_second_step_reach_only_the_two_step_pages(
    rol: str,
    request: pytest.FixtureRequest,
    regisseur: User,
    beoordelaar: User,
    beheerder: User,
    aanvraag: Aanvraag,
) -> None:
    w = _wereld(regisseur, beoordelaar, beheerder, aanvraag)
    user: User = request.getfixturevalue(rol)
    TOTPDevice.objects.create(user=user, name="Test-app", confirmed=True)

    def alleen_wachtwoord() -> Client:
        client = Client()
        client.force_login(user)
        return client

    alle = [
        Verzoek(
            v.sleutel,
            v.url,
            ZONDER_CODE[v.sleutel][rol] if v.sleutel in ZONDER_CODE else TWEESTAPS,
            v.post,
            v.data,
            v.eigen_client,
        )
        for v in vragen(rol, w)
    ]
    # The pages free of the second step are the middleware's list, no more, no less.
    assert set(ZONDER_CODE) == {
        v.sleutel for v in alle if v.sleutel.rpartition(":")[2] in TweestapsMiddleware.VRIJ
    }
    afwijkingen = _afwijkingen(alleen_wachtwoord, iter(alle), w)
    assert not afwijkingen, (
        f"{len(afwijkingen)} page(s) answer a {rol} who gave only the password differently:\n"
        + "\n".join(afwijkingen)
    )


# --- The API by token ---------------------------------------------------------------------------

TOKENS = ("geen", "eigenaar", "collega", "wse_systeem", "ingetrokken", "verlopen")


def api_tokens(eigenaar: Verwacht, collega: Verwacht) -> dict[str, Verwacht]:
    """The answers per token: alice's (the owner), bob's (another verband), one of WSE's
    systems (everything), and no, a revoked or an expired token (401)."""
    return {
        "geen": 401,
        "eigenaar": eigenaar,
        "collega": collega,
        "wse_systeem": 200,
        "ingetrokken": 401,
        "verlopen": 401,
    }


API_TOKENS: dict[str, dict[str, Verwacht]] = {
    # Calls and priorities are the same for every token with that scope.
    "api-oproep-list": api_tokens(200, 200),
    "api-oproep-detail": api_tokens(200, 200),
    "api-prioriteit-list": api_tokens(200, 200),
    "api-prioriteit-detail": api_tokens(200, 200),
    # What a verband owns: another verband's token does not learn it exists.
    "api-regieverband-list": api_tokens(200, 200),
    "api-regieverband-detail": api_tokens(200, 404),
    "api-aanvraag-list": api_tokens(200, 200),
    "api-aanvraag-detail": api_tokens(200, 404),
    "api-beslissing-list": api_tokens(200, 200),
    "api-beslissing-detail": api_tokens(200, 404),
    # The uitvoering of a granted aanvraag, as its page: the verband's and WSE's only.
    "api-opvolgmoment-list": api_tokens(200, 200),
    "api-opvolgmoment-detail": api_tokens(200, 404),
    "api-betalingen-list": api_tokens(200, 200),
    "api-betalingen-detail": api_tokens(200, 404),
}


def test_every_api_endpoint_answers_each_token_as_the_table_says(
    regisseur: User, collega: User, beoordelaar: User, beheerder: User, aanvraag: Aanvraag
) -> None:
    assert (
        set(API_TOKENS)
        == set(API_KWARGS)
        == {p.sleutel for p in patronen() if p.route.startswith("api/v1/")}
    )
    w = _wereld(regisseur, beoordelaar, beheerder, aanvraag)
    morgen = timezone.now() + datetime.timedelta(days=1)

    def token(by: User, voor: User | None) -> str:
        return api_services.token_maken(
            by=by, voor=voor, naam="Test", scopes=list(Scope.values), verloopt_op=morgen
        )[1]

    teksten = {
        "eigenaar": token(regisseur, regisseur),
        "collega": token(collega, collega),
        "wse_systeem": token(beheerder, None),
        "ingetrokken": token(regisseur, regisseur),
        "verlopen": token(regisseur, regisseur),
    }
    for soort in ("ingetrokken", "verlopen"):
        prefix = teksten[soort].split("_")[1]
        veld = "ingetrokken_op" if soort == "ingetrokken" else "verloopt_op"
        ApiToken.objects.filter(prefix=prefix).update(**{veld: timezone.now()})
    afwijkingen = []
    for naam, verwacht in API_TOKENS.items():
        url = reverse(naam, kwargs=API_KWARGS[naam](w))
        for soort in TOKENS:
            kop = {"Authorization": f"Bearer {teksten[soort]}"} if soort in teksten else {}
            response = Client().get(url, headers=kop)
            if response.status_code != verwacht[soort]:
                afwijkingen.append(
                    f"{naam} {url} with the {soort} token: expected {verwacht[soort]}, "
                    f"got {response.status_code}"
                )
    assert not afwijkingen, "\n".join(afwijkingen)
