"""Retention of closed dossiers: what `manage.py dossiers_anonimiseren` changes, first as a
preview (`bewaarplan`), then for real (`uitvoeren`).

Two settings of the call, both counted in years from the dossier's closing and empty (nothing
happens) until a beheerder sets them: `Oproep.bewaartermijn_jaren` for personal data and
`Oproep.archieftermijn_jaren` for the sealed PDFs.

- After the retention period the dossier's personal data is anonymised: the aanvraag's contact
  person (name, function, e-mail, telephone), and every account of someone who left (inactive)
  whose dossiers are all past their retention period: name and e-mail address (and the ACM/IDM
  identifiers) are emptied, the id stays, so every row that names them still points at one
  account; their lines in the audit log keep that id and lose the address.
- After the archive period the sealed PDFs (every submitted version's and the decision letter)
  are deleted whole, never edited: the file goes, the row keeps its SHA-256 and size and the
  date it was deleted. Once both periods are over, the contact and the submitter in each
  version's sealed snapshot (`Indiening.inhoud`) are emptied too; its SHA-256 stays as sealed.
- Amounts, decisions, the ledger, the opvolgmomenten and every hash stay.

Every change is an audit line (`Auditregel.Soort.DOSSIER`, without a user: the command runs on
the server), plus one line that sums up the run. A second run finds nothing left to do.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from applications.aanvragen.models import (
    Aanvraag,
    Bijlage,
    Indiening,
    Statuswijziging,
    Verlenging,
)
from applications.accounts.models import User
from applications.audit import services as audit
from applications.audit.models import Auditregel
from applications.beoordeling.models import (
    Bekeken,
    Beoordeling,
    BeoordelingConcept,
    Beslissing,
    Beslissingsvoorstel,
    Notitie,
    Vraag,
)
from applications.uitvoering.models import (
    Afsluiting,
    Boeking,
    Herbeslissing,
    Opvolgbijlage,
    Opvolgmoment,
    Opvolgwijziging,
)

# Where the audit lines say the changes came from.
COMMANDO = "manage.py dossiers_anonimiseren"

# Every row of a dossier that names a user: (model, user field, path to the aanvraag's id).
# A user who left is anonymised once every dossier in which any of these names them is.
VERWIJZINGEN: list[tuple[type[models.Model], str, str]] = [
    (Aanvraag, "ingediend_door", "pk"),
    (Aanvraag, "behandelaar", "pk"),
    (Aanvraag, "gewijzigd_door", "pk"),
    (Indiening, "ingediend_door", "aanvraag_id"),
    (Statuswijziging, "door", "aanvraag_id"),
    (Verlenging, "toegekend_door", "aanvraag_id"),
    (Bijlage, "opgeladen_door", "aanvraag_id"),
    (Beoordeling, "beoordelaar", "aanvraag_id"),
    (BeoordelingConcept, "beoordelaar", "aanvraag_id"),
    (Vraag, "gesteld_door", "aanvraag_id"),
    (Vraag, "beantwoord_door", "aanvraag_id"),
    (Notitie, "door", "aanvraag_id"),
    (Beslissing, "door", "aanvraag_id"),
    (Beslissingsvoorstel, "door", "aanvraag_id"),
    (Beslissingsvoorstel, "behandeld_door", "aanvraag_id"),
    (Bekeken, "gebruiker", "aanvraag_id"),
    (Boeking, "geboekt_door", "aanvraag_id"),
    (Herbeslissing, "door", "aanvraag_id"),
    (Opvolgmoment, "ingediend_door", "aanvraag_id"),
    (Opvolgmoment, "beoordeeld_door", "aanvraag_id"),
    (Opvolgwijziging, "door", "opvolgmoment__aanvraag_id"),
    (Opvolgbijlage, "opgeladen_door", "opvolgmoment__aanvraag_id"),
    (Afsluiting, "afgesloten_door", "aanvraag_id"),
    (Afsluiting, "heropend_door", "aanvraag_id"),
]

CONTACTVELDEN = ("contact_naam", "contact_functie", "contact_email", "contact_telefoon")


def jaren_na(moment: datetime.datetime, jaren: int) -> datetime.datetime:
    """The same moment `jaren` years later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + jaren)
    except ValueError:
        return moment.replace(year=moment.year + jaren, day=28)


@dataclass
class Dossierstap:
    """What the run does to one closed dossier."""

    afsluiting: Afsluiting
    anonimiseren: bool = False
    archief_voorbij: bool = False
    pdfs: list[Indiening] = field(default_factory=list)
    brief: Beslissing | None = None
    snapshots: list[Indiening] = field(default_factory=list)

    @property
    def aanvraag(self) -> Aanvraag:
        return self.afsluiting.aanvraag

    @property
    def pdfs_markeren(self) -> bool:
        return self.archief_voorbij and self.afsluiting.pdfs_verwijderd_op is None

    @property
    def iets_te_doen(self) -> bool:
        return bool(
            self.anonimiseren or self.pdfs or self.brief or self.snapshots or self.pdfs_markeren
        )

    def regels(self) -> list[str]:
        """The preview of this dossier, in Dutch, for the beheerder."""
        a = self.aanvraag
        kop = (
            f"{a.referentie} {a.regieverband.naam} (afgesloten op "
            f"{timezone.localtime(self.afsluiting.afgesloten_op):%d/%m/%Y})"
        )
        regels = [kop]
        if self.anonimiseren:
            regels.append(
                "  contactpersoon geanonimiseerd (naam, functie, e-mail, telefoon): "
                f"{a.contact_naam or '-'}"
            )
        for i in self.pdfs:
            regels.append(
                f"  verzegelde PDF van versie {i.nummer} verwijderd (SHA-256 {i.pdf_sha256} blijft)"
            )
        if self.brief is not None:
            regels.append(
                f"  beslissingsbrief verwijderd (SHA-256 {self.brief.brief_sha256} blijft)"
            )
        for i in self.snapshots:
            regels.append(
                f"  ingediende inhoud van versie {i.nummer}: contactpersoon en indiener "
                f"geanonimiseerd (SHA-256 {i.inhoud_sha256} blijft)"
            )
        return regels


@dataclass
class Bewaarplan:
    """Everything a run would change now: per dossier its step, and the accounts of people who
    left that are anonymised."""

    nu: datetime.datetime
    dossiers: list[Dossierstap]
    gebruikers: list[User]

    @property
    def leeg(self) -> bool:
        return not self.dossiers and not self.gebruikers

    def regels(self) -> list[str]:
        regels: list[str] = []
        for stap in self.dossiers:
            regels += stap.regels()
        for u in self.gebruikers:
            regels.append(
                f"gebruiker {u.pk} ({u.get_full_name() or '-'}, {u.email or '-'}): naam en "
                "e-mailadres vervangen, id blijft; auditregels verliezen het e-mailadres"
            )
        return regels

    @property
    def samenvatting(self) -> dict[str, int]:
        return {
            "dossiers_geanonimiseerd": sum(1 for s in self.dossiers if s.anonimiseren),
            "pdfs_verwijderd": sum(len(s.pdfs) for s in self.dossiers),
            "brieven_verwijderd": sum(1 for s in self.dossiers if s.brief is not None),
            "snapshots_geanonimiseerd": sum(len(s.snapshots) for s in self.dossiers),
            "gebruikers_geanonimiseerd": len(self.gebruikers),
        }


def _dossierstap(afsluiting: Afsluiting, nu: datetime.datetime) -> Dossierstap:
    oproep = afsluiting.aanvraag.oproep
    bewaar = oproep.bewaartermijn_jaren
    archief = oproep.archieftermijn_jaren
    persoonlijk_voorbij = bewaar is not None and jaren_na(afsluiting.afgesloten_op, bewaar) <= nu
    archief_voorbij = archief is not None and jaren_na(afsluiting.afgesloten_op, archief) <= nu
    stap = Dossierstap(
        afsluiting=afsluiting,
        anonimiseren=persoonlijk_voorbij and afsluiting.geanonimiseerd_op is None,
        archief_voorbij=archief_voorbij,
    )
    indieningen = list(afsluiting.aanvraag.indieningen.all())
    if archief_voorbij:
        stap.pdfs = [i for i in indieningen if i.pdf_beschikbaar]
        beslissing = Beslissing.objects.filter(aanvraag=afsluiting.aanvraag).first()
        if beslissing is not None and not beslissing.brief_verwijderd and beslissing.brief:
            stap.brief = beslissing
        if persoonlijk_voorbij:
            stap.snapshots = [i for i in indieningen if i.inhoud_geanonimiseerd_op is None]
    return stap


def dossiers_per_gebruiker(gebruiker_ids: set[int]) -> dict[int, set[int]]:
    """Per user (of `gebruiker_ids`) the aanvragen whose dossier names them somewhere
    (`VERWIJZINGEN`): one query per kind of row, whatever the number of users."""
    per: dict[int, set[int]] = defaultdict(set)
    if not gebruiker_ids:
        return per
    for model, veld, pad in VERWIJZINGEN:
        for gebruiker_id, aanvraag_id in (
            model._default_manager.filter(**{f"{veld}_id__in": gebruiker_ids})
            .values_list(f"{veld}_id", pad)
            .distinct()
        ):
            per[gebruiker_id].add(aanvraag_id)
    return per


def bewaarplan(*, nu: datetime.datetime | None = None) -> Bewaarplan:
    """What a run would change now. Reads only: the preview and the run share it."""
    nu = nu or timezone.now()
    stappen = [
        stap
        # Only closings in force: a reopened dossier is not closed until it is closed again.
        for afsluiting in Afsluiting.objects.filter(heropend_op__isnull=True)
        .select_related("aanvraag__oproep", "aanvraag__regieverband")
        .order_by("afgesloten_op", "pk")
        if (stap := _dossierstap(afsluiting, nu)).iets_te_doen
    ]
    # Dossiers whose personal data is anonymised already, or will be in this run.
    klaar = set(
        Afsluiting.objects.filter(geanonimiseerd_op__isnull=False).values_list(
            "aanvraag_id", flat=True
        )
    ) | {s.aanvraag.pk for s in stappen if s.anonimiseren}
    vertrokken = {
        u.pk: u
        for u in User.objects.filter(is_active=False, geanonimiseerd_op__isnull=True).order_by("pk")
    }
    per = dossiers_per_gebruiker(set(vertrokken))
    gebruikers = [u for pk, u in vertrokken.items() if per.get(pk) and per[pk] <= klaar]
    return Bewaarplan(nu=nu, dossiers=stappen, gebruikers=gebruikers)


def _verwijder_bestand(bestand: Any) -> None:
    """Remove a stored file once the transaction that forgets it commits."""
    pad, opslag = bestand.name, bestand.storage
    transaction.on_commit(lambda: opslag.delete(pad))


def _anonimiseer_snapshot(inhoud: dict[str, Any]) -> dict[str, Any]:
    nieuw = dict(inhoud)
    if isinstance(nieuw.get("contact"), dict):
        nieuw["contact"] = dict.fromkeys(nieuw["contact"], "")
    indiening = nieuw.get("indiening")
    if isinstance(indiening, dict) and isinstance(indiening.get("ingediend_door"), dict):
        nieuw["indiening"] = {
            **indiening,
            "ingediend_door": dict.fromkeys(indiening["ingediend_door"], ""),
        }
    return nieuw


def _dossier_uitvoeren(stap: Dossierstap, nu: datetime.datetime) -> None:
    aanvraag = stap.aanvraag
    if stap.anonimiseren:
        # `update` leaves the aanvraag's "gewijzigd op" alone: its content did not change.
        Aanvraag.objects.filter(pk=aanvraag.pk).update(**dict.fromkeys(CONTACTVELDEN, ""))
        Afsluiting.objects.filter(pk=stap.afsluiting.pk).update(geanonimiseerd_op=nu)
        audit.dossier(
            gebruiker=None,
            actie="persoonsgegevens geanonimiseerd",
            onderwerp=aanvraag,
            omschrijving="Contactpersoon van de aanvraag geanonimiseerd na de bewaartermijn.",
            gegevens={"velden": ", ".join(CONTACTVELDEN)},
            pad=COMMANDO,
        )
    for i in stap.pdfs:
        _verwijder_bestand(i.pdf)
        Indiening.objects.filter(pk=i.pk).update(pdf="", pdf_verwijderd_op=nu)
    if stap.brief is not None:
        _verwijder_bestand(stap.brief.brief)
        Beslissing.objects.filter(pk=stap.brief.pk).update(brief="", brief_verwijderd_op=nu)
    if stap.pdfs_markeren:
        Afsluiting.objects.filter(pk=stap.afsluiting.pk).update(pdfs_verwijderd_op=nu)
    if stap.pdfs or stap.brief is not None:
        audit.dossier(
            gebruiker=None,
            actie="verzegelde PDF's verwijderd",
            onderwerp=aanvraag,
            omschrijving="Verzegelde PDF's in hun geheel verwijderd na de archieftermijn; hun "
            "SHA-256 blijft.",
            gegevens={
                **{f"versie {i.nummer}": i.pdf_sha256 for i in stap.pdfs},
                **({"beslissingsbrief": stap.brief.brief_sha256} if stap.brief else {}),
            },
            pad=COMMANDO,
        )
    for i in stap.snapshots:
        Indiening.objects.filter(pk=i.pk).update(
            inhoud=_anonimiseer_snapshot(i.inhoud), inhoud_geanonimiseerd_op=nu
        )
    if stap.snapshots:
        audit.dossier(
            gebruiker=None,
            actie="ingediende inhoud geanonimiseerd",
            onderwerp=aanvraag,
            omschrijving="Contactpersoon en indiener in de ingediende inhoud geanonimiseerd; de "
            "SHA-256 blijft zoals verzegeld.",
            gegevens={f"versie {i.nummer}": i.inhoud_sha256 for i in stap.snapshots},
            pad=COMMANDO,
        )


def _gebruiker_uitvoeren(gebruiker: User, nu: datetime.datetime) -> None:
    oud_email = gebruiker.email
    gebruiker.first_name = ""
    gebruiker.last_name = ""
    gebruiker.email = ""
    gebruiker.vo_id = ""
    gebruiker.oidc_issuer = ""
    gebruiker.oidc_sub = ""
    gebruiker.oidc_rechten = {}
    gebruiker.geanonimiseerd_op = nu
    gebruiker.set_unusable_password()
    gebruiker.save()
    # The audit log keeps the user's id and loses the address: on their own lines, on refused
    # logins with their address typed, and what a login line kept of them (address, claims).
    eigen = Auditregel.objects.filter(gebruiker=gebruiker)
    eigen.filter(soort=Auditregel.Soort.AANMELDING).update(gegevens={})
    eigen.update(gebruiker_email="")
    if oud_email:
        Auditregel.objects.filter(gebruiker__isnull=True, gebruiker_email__iexact=oud_email).update(
            gebruiker_email="", gegevens={}
        )
    # Lines about this account (a change in /beheer/): the label named them, the form held it.
    label = f"Gebruiker {gebruiker}"
    for regel in Auditregel.objects.filter(
        onderwerp_type="accounts.user", onderwerp_id=gebruiker.pk
    ):
        gegevens = {k: v for k, v in regel.gegevens.items() if k != "formulier"}
        Auditregel.objects.filter(pk=regel.pk).update(onderwerp=label, gegevens=gegevens)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(gebruiker.pk)
    ).update(object_repr=str(gebruiker))
    audit.dossier(
        gebruiker=None,
        actie="gebruiker geanonimiseerd",
        onderwerp=gebruiker,
        omschrijving="Naam en e-mailadres van een vertrokken gebruiker vervangen; het id blijft.",
        gegevens={"gebruiker": gebruiker.pk},
        pad=COMMANDO,
    )


@transaction.atomic
def uitvoeren(plan: Bewaarplan) -> dict[str, int]:
    """Carry out `plan` in one transaction (files are removed once it commits); returns the
    summary, which is also the run's last audit line. Rows are locked and the plan's
    conditions are checked again by taking the plan anew inside the transaction."""
    list(
        Afsluiting.objects.select_for_update()
        .filter(pk__in=[s.afsluiting.pk for s in plan.dossiers])
        .values_list("pk", flat=True)
    )
    plan = bewaarplan(nu=plan.nu)
    for stap in plan.dossiers:
        _dossier_uitvoeren(stap, plan.nu)
    for gebruiker in plan.gebruikers:
        _gebruiker_uitvoeren(gebruiker, plan.nu)
    samenvatting = plan.samenvatting
    if not plan.leeg:
        audit.dossier(
            gebruiker=None,
            actie="bewaartermijnen toegepast",
            onderwerp=None,
            omschrijving=", ".join(f"{k}={v}" for k, v in samenvatting.items()),
            gegevens=samenvatting,
            pad=COMMANDO,
        )
    return samenvatting
