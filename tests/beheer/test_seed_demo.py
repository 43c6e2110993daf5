from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from applications.aanvragen.completeness import aanvraag_completeness
from applications.aanvragen.models import Aanvraag
from applications.aanvragen.momentopname import inhoud_sha256
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.beheer.demo import planwijziging_demo
from applications.besturen.fusies import fusieplan
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.oproepen.models import Oproep
from applications.uitvoering.selectors import grootboek

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_with_debug_off():
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo")
    assert not User.objects.filter(email="regisseur@example.org").exists()


@override_settings(DEBUG=True)
def test_seed_demo_is_idempotent_and_its_logins_work():
    call_command("seed_demo")
    counts = (User.objects.count(), Regieverband.objects.count(), Aanvraag.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Regieverband.objects.count(), Aanvraag.objects.count()) == counts
    maasland = Regieverband.objects.get(naam="Sociale Economie Maasland")
    assert sorted(maasland.lidmaatschappen.values_list("bestuur__nis_code", flat=True)) == [
        "72018", "72021", "72041", "73042", "73107",
    ]  # fmt: skip
    assert maasland.regisseurs.filter(email="regisseur@example.org").exists()
    submitted = Aanvraag.objects.get(status="ingediend")
    assert aanvraag_completeness(submitted).is_complete
    demo = Oproep.objects.get(slug="demo")
    assert demo.status == "open"
    assert "fictief" in demo.naam
    for email in ("regisseur@example.org", "beoordelaar@example.org", "beheerder@example.org"):
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": email, "password": "regierol-demo"}, follow=True
        )
        # With debug off, WSE staff go on to the second step (the demo of `make run` runs with
        # debug on, where it is offered but not required).
        tweestaps = "/accounts/tweestaps/instellen/?next=%2F"
        expected = "/" if email.startswith("regisseur") else tweestaps
        assert response.redirect_chain[-1][0] == expected, email


@override_settings(DEBUG=True)
def test_the_demo_has_an_aanvraag_in_every_status_the_demo_regisseur_can_open() -> None:
    call_command("seed_demo")
    regisseur = User.objects.get(email="regisseur@example.org")
    statussen = {
        a.status: a
        for a in Aanvraag.objects.filter(regieverband__regisseurs=regisseur).select_related(
            "regieverband"
        )
    }
    assert set(statussen) == {
        "concept",
        "ingediend",
        "in_behandeling",
        "wijzigingen_gevraagd",
        "goedgekeurd",
        "afgewezen",
    }
    assert statussen["in_behandeling"].vragen.filter(beantwoord_op__isnull=True).exists()
    assert statussen["goedgekeurd"].beslissing.brief
    client = Client()
    client.force_login(regisseur)
    for aanvraag in statussen.values():
        assert client.get(f"/aanvragen/{aanvraag.pk}/").status_code == 200
    # Werkkracht10's members are likely, not official, and the verband says so.
    werkkracht = Regieverband.objects.get(naam="Werkkracht10")
    assert werkkracht.lidmaatschappen.count() == 10
    assert "waarschijnlijk, niet officieel" in werkkracht.opmerking


@override_settings(DEBUG=True)
def test_the_granted_demo_aanvraag_has_opvolgmomenten_and_payments_once() -> None:
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: no second set of payments
    aanvraag = Aanvraag.objects.get(
        status="goedgekeurd",
        oproep__slug="2023-2025",
        regieverband__naam="Welzijnsband Meetjesland",
    )
    boek = grootboek(aanvraag)
    per_jaar = {j.jaar: (j.toegekend, j.betaald) for j in boek.jaren}
    assert per_jaar[2023][0] == per_jaar[2023][1] > 0  # paid in full
    assert per_jaar[2024][0] == per_jaar[2024][1] > 0
    assert per_jaar[2025][1] == (per_jaar[2025][0] * 60 / 100).quantize(Decimal("0.01"))
    assert len(boek.boekingen) == 5
    assert all(b.referentie.startswith("DEMO-") for b in boek.boekingen)
    assert {s.naam for s in aanvraag.oproep.betalingsschijven.all()} == {
        "Demo: voorschot",
        "Demo: saldo",
    }
    # 2023 and 2024 accepted, 2025 submitted and waiting for the demo reviewer.
    assert {m.jaar: m.status for m in aanvraag.opvolgmomenten.all()} == {
        2023: "aanvaard",
        2024: "aanvaard",
        2025: "ingediend",
    }
    client = Client()
    client.force_login(User.objects.get(email="regisseur@example.org"))
    assert client.get(f"/aanvragen/{aanvraag.pk}/uitvoering/").status_code == 200


@override_settings(DEBUG=True)
def test_the_demo_has_the_welzijnsband_meetjesland_with_likely_members_and_the_merger() -> None:
    """Wachtebeke merged into Lochristi on 1 January 2025: imported from the repository's merger
    file and carried over by the command's own service; a second run changes nothing."""
    call_command("seed_demo")
    verband = Regieverband.objects.get(naam="Welzijnsband Meetjesland")

    def leden() -> list[tuple[object, ...]]:
        return list(
            verband.lidmaatschappen.order_by("bestuur__nis_code", "van").values_list(
                "pk", "bestuur__nis_code", "van", "tot", "waarschijnlijk"
            )
        )

    rijen = leden()
    start, einde, fusie = date(2023, 1, 1), date(2024, 12, 31), date(2025, 1, 1)
    assert [r[1:] for r in rijen] == [
        ("43002", start, None, True),
        ("43005", start, None, True),
        ("43007", start, None, True),
        ("43010", start, None, True),
        ("43014", start, None, True),
        ("43018", start, None, True),
        ("44019", start, None, True),
        ("44073", start, einde, True),  # Wachtebeke, until the merger
        ("44084", start, None, True),
        ("44085", start, None, True),
        ("44087", fusie, None, True),  # Lochristi, from the merger
    ]
    wachtebeke = LokaalBestuur.objects.get(nis_code="44073")
    assert wachtebeke.opvolger is not None
    assert (wachtebeke.geldig_tot, wachtebeke.opvolger.nis_code) == (einde, "44087")
    assert "Rechtsvorm niet bevestigd" in verband.opmerking
    regisseur = User.objects.get(email="regisseur@example.org")
    assert verband.regisseurs.filter(pk=regisseur.pk).exists()
    # The granted aanvraag followed up (opvolgmomenten, payments) is Meetjesland's; Maasland's
    # is granted without follow-up.
    gevolgd = Aanvraag.objects.get(regieverband=verband, oproep__slug="2023-2025")
    assert gevolgd.status == "goedgekeurd" and gevolgd.opvolgmomenten.count() == 3
    maasland = Aanvraag.objects.get(
        regieverband__naam="Sociale Economie Maasland", oproep__slug="2023-2025"
    )
    assert maasland.status == "goedgekeurd" and not maasland.boekingen.exists()
    # Its sealed snapshot holds the members of 1 January 2023: Wachtebeke, not Lochristi.
    inhoud = gevolgd.indieningen.get(nummer=1).inhoud
    assert "44073" in inhoud["leden"] and "44087" not in inhoud["leden"]
    assert fusieplan().is_leeg
    regels = Auditregel.objects.filter(actie="fusies_doorvoeren").count()
    assert regels == 1

    call_command("seed_demo")
    assert leden() == rijen
    assert Auditregel.objects.filter(actie="fusies_doorvoeren").count() == regels
    pagina = Client()
    pagina.force_login(regisseur)
    inhoud_pagina = pagina.get(f"/regieverbanden/{verband.pk}/").content.decode()
    assert "Wachtebeke (sinds 1 januari 2025 deel van Lochristi)" in inhoud_pagina
    assert inhoud_pagina.count(">waarschijnlijk, niet bevestigd</span>") == 11


@override_settings(DEBUG=True)
def test_the_granted_demo_aanvraag_has_one_approved_change_in_2024_once() -> None:
    call_command("seed_demo")
    aanvraag = Aanvraag.objects.get(
        regieverband__naam="Welzijnsband Meetjesland", oproep__slug="2023-2025"
    )
    regisseur = User.objects.get(email="regisseur@example.org")
    beoordelaar = User.objects.get(email="beoordelaar@example.org")
    # Called again (as seed_demo does on every run): nothing new.
    planwijziging_demo(aanvraag, regisseur=regisseur, beoordelaar=beoordelaar)
    call_command("seed_demo")
    [wijziging] = aanvraag.planwijzigingen.all()
    assert wijziging.status == "goedgekeurd"
    assert wijziging.ingediend_op is not None and wijziging.beoordeeld_op is not None
    assert wijziging.ingediend_op.year == wijziging.beoordeeld_op.year == 2024
    assert wijziging.versie is not None and wijziging.versie.nummer == 2
    assert wijziging.versie.inhoud_sha256 == inhoud_sha256(wijziging.versie.inhoud)
    assert sorted(wijziging.acties.values_list("soort", flat=True)) == ["geschrapt", "nieuw"]
    # The opvolgmoment of 2024 reports on the changed actions.
    titels = set(
        aanvraag.opvolgmomenten.get(jaar=2024).rapporten.values_list("actie__titel", flat=True)
    )
    assert "Demo-actie WSE-LR3 2024: startersloket sociaal ondernemen" in titels
    assert "Demo-actie WSE-LR3 2024 nr. 1" not in titels
    client = Client()
    client.force_login(regisseur)
    pagina = client.get(f"/aanvragen/{aanvraag.pk}/uitvoering/wijzigingen/1/").content.decode()
    assert "startersloket sociaal ondernemen" in pagina
