"""What a login through ACM/IDM gives: the roles from the role claim, the organisation behind each
role, and the account (found by subject, never by e-mail address or name).

It lives here, not in `accounts`, because a role names an organisation (a bestuur's or a
verband's KBO number, or WSE's OVO code) and only `besturen` knows which regieverbanden that
organisation stands for. The protocol itself is `applications.accounts.oidc`.

The rules:

- A value of the role claim (`OIDC_ROLE_CLAIM`) reads `Rolnaam:ORGCODE`. `OIDC_ROL_REGISSEUR` with
  the KBO number of a gemeente or OCMW makes the person a regisseur of the regieverbanden that
  bestuur leads as trekker (with `OIDC_LEDEN_ZIJN_REGISSEUR` also those it is a member of today);
  with a verband's own KBO number, of that verband. `OIDC_ROL_BEOORDELAAR` and
  `OIDC_ROL_BEHEERDER` count only with one of `OIDC_WSE_ORGCODES`.
- No known role, or only roles of organisations the portal does not know: refused (`Weigering`),
  no account is made or changed.
- The account: the one linked to this issuer and subject; else, when the person is logged in
  with a password in this browser and that account is not linked yet, that account (the person
  proved both); else a new account from the claims. An e-mail address in the claims is taken only
  when no other account has it: the address never links.
- Every login updates the name from the claims and sets the roles and verbanden the claims give:
  what an earlier login through ACM/IDM gave and the claims no longer give is taken back (the
  bestuur's ACM/IDM administrator withdrew the role); what a beheerder gave besides stays (a
  beheerder adjusts in /beheer/). A role or verband given both ways follows ACM/IDM.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from applications.accounts.constants import Rol
from applications.accounts.emails import controleer_email
from applications.accounts.models import User
from applications.besturen.kbo import normaliseer_kbo
from applications.besturen.models import LokaalBestuur, Regieverband, lid_op

log = logging.getLogger("regierol.aanmelding")


class Weigering(Exception):
    """A login the portal refuses; `reden` picks the Dutch page (aanmelding_geweigerd.html)."""

    GEEN_ROL = "geen_rol"
    ONBEKENDE_ORGANISATIE = "onbekende_organisatie"
    GEDEACTIVEERD = "gedeactiveerd"
    ANDER_SUBJECT = "ander_subject"

    def __init__(self, reden: str, *, orgcodes: Iterable[str] = ()) -> None:
        super().__init__(reden)
        self.reden = reden
        self.orgcodes = sorted(set(orgcodes))


@dataclass
class Rechten:
    """What the role claim gives: roles, and for a regisseur the verbanden."""

    rollen: set[Rol] = field(default_factory=set)
    verbanden: set[Regieverband] = field(default_factory=set)
    onbekend: set[str] = field(default_factory=set)  # organisation codes the portal does not know


def rolwaarden(claims: dict[str, Any]) -> list[tuple[str, str]]:
    """The (role name, organisation code) pairs of the role claim (a text or a list of texts)."""
    waarde = claims.get(settings.OIDC_ROLE_CLAIM)
    waarden = [waarde] if isinstance(waarde, str) else waarde
    if not isinstance(waarden, list):
        return []
    paren = []
    for item in waarden:
        if isinstance(item, str) and ":" in item:
            naam, _sep, code = item.partition(":")
            if naam.strip() and code.strip():
                paren.append((naam.strip(), code.strip()))
    return paren


def verbanden_van_organisatie(code: str, dag: datetime.date) -> set[Regieverband]:
    """The regieverbanden a regisseur of organisation `code` (a KBO number) works for on `dag`:
    the verband with that number, and those led by the bestuur with that number (gemeente or
    OCMW), or with `OIDC_LEDEN_ZIJN_REGISSEUR` also those it is a member of."""
    kbo = normaliseer_kbo(code)
    if len(kbo) != 10:
        return set()
    besturen = LokaalBestuur.objects.filter(Q(kbo_gemeente=kbo) | Q(kbo_ocmw=kbo))
    voorwaarde = Q(kbo=kbo) | Q(trekker__in=besturen)
    if settings.OIDC_LEDEN_ZIJN_REGISSEUR:
        voorwaarde |= Q(
            pk__in=Regieverband.objects.filter(
                lid_op(dag, via="lidmaatschappen__"), lidmaatschappen__bestuur__in=besturen
            ).values("pk")
        )
    return set(Regieverband.objects.filter(voorwaarde))


def rechten_uit_claims(claims: dict[str, Any], dag: datetime.date | None = None) -> Rechten:
    """The roles and verbanden the role claim gives; `Weigering` when it gives none."""
    dag = dag or timezone.localdate()
    wse = {"beoordelaar": Rol.BEOORDELAAR, "beheerder": Rol.BEHEERDER}
    namen = {
        settings.OIDC_ROL_REGISSEUR: "regisseur",
        settings.OIDC_ROL_BEOORDELAAR: "beoordelaar",
        settings.OIDC_ROL_BEHEERDER: "beheerder",
    }
    rechten = Rechten()
    for naam, code in rolwaarden(claims):
        soort = namen.get(naam)
        if soort is None:
            continue  # a role of another application
        if soort == "regisseur":
            verbanden = verbanden_van_organisatie(code, dag)
            if verbanden:
                rechten.rollen.add(Rol.REGISSEUR)
                rechten.verbanden |= verbanden
            else:
                rechten.onbekend.add(code)
        elif code.upper() in settings.OIDC_WSE_ORGCODES:
            rechten.rollen.add(wse[soort])
        else:
            rechten.onbekend.add(code)
    if not rechten.rollen:
        if rechten.onbekend:
            raise Weigering(Weigering.ONBEKENDE_ORGANISATIE, orgcodes=rechten.onbekend)
        raise Weigering(Weigering.GEEN_ROL)
    return rechten


def _email_uit_claims(claims: dict[str, Any]) -> str:
    """The address of the claims when it is a valid one no account has yet; else none. A person
    whose address another account has gets an account without address: the address never
    decides who someone is."""
    adres = claims.get("email")
    if not isinstance(adres, str) or not adres:
        return ""
    try:
        adres = controleer_email(adres)
    except ValidationError:  # an address the portal would refuse is simply not taken
        return ""
    if User.objects.filter(email=adres).exists():
        return ""
    return adres


def _naam(claims: dict[str, Any], sleutel: str) -> str | None:
    waarde = claims.get(sleutel)
    return waarde.strip()[:150] if isinstance(waarde, str) and waarde.strip() else None


@dataclass(frozen=True)
class Aanmelding:
    gebruiker: User
    nieuw: bool
    gekoppeld: bool
    rechten: Rechten
    # What this login took back: roles (their values) and verbanden (ids) no longer in the claims.
    ingetrokken: dict[str, list[Any]] = field(default_factory=dict)


@transaction.atomic
def oidc_aanmelden(
    *, claims: dict[str, Any], ingelogd: User | None = None, dag: datetime.date | None = None
) -> Aanmelding:
    """The account of this login through ACM/IDM, made, linked or updated (see the module).

    `ingelogd` is the account already logged in with a password in this browser, if any: an
    unlinked one is linked to the subject, since the person proved both.
    """
    issuer, sub = str(claims["iss"]), str(claims["sub"])
    rechten = rechten_uit_claims(claims, dag)
    gebruiker = User.objects.select_for_update().filter(oidc_issuer=issuer, oidc_sub=sub).first()
    nieuw = gekoppeld = False
    if gebruiker is None and ingelogd is not None:
        gebruiker = User.objects.select_for_update().get(pk=ingelogd.pk)
        if gebruiker.oidc_sub:
            # Logged in with the password of an account linked to another subject.
            raise Weigering(Weigering.ANDER_SUBJECT)
        gebruiker.oidc_issuer, gebruiker.oidc_sub = issuer, sub
        gekoppeld = True
    if gebruiker is None:
        gebruiker = User(oidc_issuer=issuer, oidc_sub=sub, email=_email_uit_claims(claims))
        gebruiker.set_unusable_password()
        nieuw = True
    if not gebruiker.is_active:
        raise Weigering(Weigering.GEDEACTIVEERD)
    gebruiker.first_name = _naam(claims, "given_name") or gebruiker.first_name
    gebruiker.last_name = _naam(claims, "family_name") or gebruiker.last_name
    vo_id = claims.get("vo_id")
    if isinstance(vo_id, str) and vo_id:
        gebruiker.vo_id = vo_id[:64]
    gebruiker.full_clean(exclude=["password", "email"])
    try:
        with transaction.atomic():
            gebruiker.save()
    except IntegrityError:
        if not nieuw:
            raise
        # The same person's first login in two browsers at once: the other one made the
        # account first. This login continues with that account.
        eerder = User.objects.select_for_update().get(oidc_issuer=issuer, oidc_sub=sub)
        eerder.first_name, eerder.last_name = gebruiker.first_name, gebruiker.last_name
        eerder.vo_id = gebruiker.vo_id or eerder.vo_id
        eerder.save()
        gebruiker, nieuw = eerder, False
    ingetrokken = _rechten_zetten(gebruiker, rechten)
    log.info(
        "Aanmelding via ACM/IDM: gebruiker %s (subject %s), nieuw=%s, gekoppeld=%s, rollen=%s,"
        " ingetrokken=%s",
        gebruiker.pk,
        sub,
        nieuw,
        gekoppeld,
        sorted(rol.value for rol in rechten.rollen),
        ingetrokken,
    )
    return Aanmelding(
        gebruiker=gebruiker,
        nieuw=nieuw,
        gekoppeld=gekoppeld,
        rechten=rechten,
        ingetrokken=ingetrokken,
    )


def _rechten_zetten(gebruiker: User, rechten: Rechten) -> dict[str, list[Any]]:
    """Give what the claims give; take back what the previous login through ACM/IDM gave and
    the claims no longer give. Returns what was taken back:
    {"rollen": [...], "verbanden": [...]}."""
    vorige = gebruiker.oidc_rechten or {}
    rollen = {rol.value for rol in rechten.rollen}
    verbanden = {v.pk for v in rechten.verbanden}
    weg_rollen = sorted(set(vorige.get("rollen", [])) - rollen)
    weg_verbanden = sorted(set(vorige.get("verbanden", [])) - verbanden)
    if weg_rollen:
        gebruiker.groups.remove(*Group.objects.filter(name__in=weg_rollen))
    if weg_verbanden:
        for verband in Regieverband.objects.filter(pk__in=weg_verbanden):
            verband.regisseurs.remove(gebruiker)
    for rol in rechten.rollen:
        gebruiker.groups.add(Group.objects.get_or_create(name=rol.value)[0])
    for verband in rechten.verbanden:
        verband.regisseurs.add(gebruiker)
    gebruiker.oidc_rechten = {"rollen": sorted(rollen), "verbanden": sorted(verbanden)}
    gebruiker.save(update_fields=["oidc_rechten"])
    return {"rollen": weg_rollen, "verbanden": weg_verbanden}
