"""Hostile input to the beheer forms (beheerder): invitations, members and trekker of a
verband, the admin's user forms; and to accepting an invitation.

The harness and the properties every example checks: `tests/hostile.py`.
"""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beheer.forms import EindeForm, LidToevoegenForm, TrekkerForm, UitnodigingForm
from applications.beheer.models import Uitnodiging
from applications.beheer.services import hash_token
from applications.besturen.models import Lidmaatschap, Trekkerwissel

from ..factories import LidmaatschapFactory
from ..hostile import (
    EMAIL,
    ENCODING,
    FOUT_EMAIL,
    FOUT_WACHTWOORD,
    FOUTE_DATUM,
    GETAL,
    VEEL,
    WACHTWOORD,
    Veld,
    _datum,
    _foute_tekst,
    _ids,
    _tekst,
    alleen,
    als_querydict,
    formulier,
    invullen,
    keuze,
    laatste,
    post,
    tekstveld,
    voorbeeld,
    wachtwoorden,
)

pytestmark = pytest.mark.django_db


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
                "berichten_bericht",
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


# --- Accepting an invitation (the link a beheerder sent) ------------------------------------------

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
            # Accepting logs the new user in: a line of the audit log.
            alleen(uitkomst.veranderd, "accounts_user", "beheer_uitnodiging", "audit_auditregel")
            gebruiker = User.objects.get(pk=uitgenodigd.pk)
            assert gebruiker.check_password(laatste(invoer, "new_password1"))
            assert Uitnodiging.objects.get(gebruiker=gebruiker).gebruikt_op is not None
