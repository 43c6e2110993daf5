"""Members and trekker of a regieverband over time, managed by beheerders.

The rules of `applications.besturen.services` (each bad input refused with nothing saved, history
kept), a bestuur in two verbanden of one call, and the two beheer pages with their forms and
permissions.
"""

from __future__ import annotations

import datetime
import threading
from io import StringIO

import factory
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.aanvragen.overlaps import (
    overlap_aantallen,
    overlaps_in_oproep,
    overlaps_van_lidmaatschap,
)
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.beheer.selectors import IN_VOEGE, VERVANGEN, verband_beheer
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband, Trekkerwissel
from applications.besturen.services import (
    bestuur_zoeken,
    lidmaatschap_beeindigen,
    lidmaatschap_toevoegen,
    trekker_wijzigen,
    trekkerwissels_toepassen,
)
from applications.oproepen.models import Oproep

from ..conftest import client_for
from ..factories import (
    AanvraagFactory,
    LidmaatschapFactory,
    LokaalBestuurFactory,
    OproepFactory,
    RegieverbandFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 6, 15)


def _field_errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.fixture
def bestuur(db: None) -> LokaalBestuur:
    return LokaalBestuurFactory.create(nis_code="90001", naam="Verzonnengem")


@pytest.fixture
def tweede(db: None) -> LokaalBestuur:
    return LokaalBestuurFactory.create(nis_code="90002", naam="Fictiedorp")


@pytest.fixture
def opvolger(db: None) -> LokaalBestuur:
    """A made-up merger: 'Samenstad' (90012) succeeds an older 'Samenstad' (90011)."""
    return LokaalBestuurFactory.create(
        nis_code="90012", naam="Samenstad", geldig_vanaf=D(2025, 1, 1)
    )


@pytest.fixture
def gefuseerd(opvolger: LokaalBestuur) -> LokaalBestuur:
    return LokaalBestuurFactory.create(
        nis_code="90011", naam="Samenstad", geldig_tot=D(2024, 12, 31), opvolger=opvolger
    )


def _counts() -> tuple[int, int]:
    return Lidmaatschap.objects.count(), Trekkerwissel.objects.count()


# --- Adding a member ------------------------------------------------------------------------------


def test_add_member_open_ended(verband, bestuur, beheerder):
    lid = lidmaatschap_toevoegen(
        regieverband=verband, bestuur=bestuur, van=D(2026, 1, 1), by=beheerder
    )
    lid.refresh_from_db()
    assert (lid.regieverband, lid.bestuur, lid.van, lid.tot) == (
        verband,
        bestuur,
        D(2026, 1, 1),
        None,
    )


def test_add_member_with_end(verband, bestuur, beheerder):
    lid = lidmaatschap_toevoegen(
        regieverband=verband, bestuur=bestuur, van=D(2026, 1, 1), tot=D(2026, 1, 1), by=beheerder
    )
    assert lid.tot == D(2026, 1, 1)  # one day is a period too


def test_membership_ending_before_it_starts_is_refused(verband, bestuur, beheerder):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_toevoegen(
            regieverband=verband,
            bestuur=bestuur,
            van=D(2026, 1, 2),
            tot=D(2026, 1, 1),
            by=beheerder,
        )
    assert "kan niet eindigen voor het begint" in _field_errors(exc)["tot"][0]
    assert _counts() == before


@pytest.mark.parametrize(
    ("bestaand", "nieuw"),
    [
        ((D(2020, 1, 1), None), (D(2020, 1, 1), None)),  # the same first day
        ((D(2020, 1, 1), None), (D(2026, 1, 1), None)),  # starts while the open one runs
        ((D(2020, 1, 1), D(2022, 12, 31)), (D(2022, 12, 31), None)),  # shares the last day
        ((D(2024, 1, 1), D(2024, 12, 31)), (D(2020, 1, 1), None)),  # open-ended over a later one
        ((D(2024, 1, 1), None), (D(2020, 1, 1), D(2024, 1, 1))),  # ends on its first day
        ((D(2024, 1, 1), D(2024, 6, 30)), (D(2024, 3, 1), D(2024, 3, 31))),  # inside
        ((D(2024, 3, 1), D(2024, 3, 31)), (D(2024, 1, 1), D(2024, 6, 30))),  # around
    ],
)
def test_a_bestuur_added_twice_with_overlapping_periods_is_refused(
    verband, bestuur, beheerder, bestaand, nieuw
):
    LidmaatschapFactory.create(
        regieverband=verband, bestuur=bestuur, van=bestaand[0], tot=bestaand[1]
    )
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_toevoegen(
            regieverband=verband, bestuur=bestuur, van=nieuw[0], tot=nieuw[1], by=beheerder
        )
    message = _field_errors(exc)["van"][0]
    assert "Verzonnengem (90001) is al lid van dit regieverband" in message
    assert "mag die periode niet overlappen" in message
    assert _counts() == before


def test_a_new_period_right_after_an_ended_one_is_allowed(verband, bestuur, beheerder):
    LidmaatschapFactory.create(
        regieverband=verband, bestuur=bestuur, van=D(2020, 1, 1), tot=D(2022, 12, 31)
    )
    lidmaatschap_toevoegen(regieverband=verband, bestuur=bestuur, van=D(2023, 1, 1), by=beheerder)
    assert verband.lidmaatschappen.filter(bestuur=bestuur).count() == 2


def test_the_same_bestuur_in_another_verband_is_allowed(verband, ander_verband, bestuur, beheerder):
    LidmaatschapFactory.create(regieverband=ander_verband, bestuur=bestuur, van=D(2020, 1, 1))
    lidmaatschap_toevoegen(regieverband=verband, bestuur=bestuur, van=D(2020, 1, 1), by=beheerder)
    assert Lidmaatschap.objects.filter(bestuur=bestuur).count() == 2


@pytest.mark.parametrize(
    ("van", "tot", "veld", "tekst"),
    [
        # the old Samenstad ended on 31 December 2024
        (D(2024, 1, 1), None, "tot", "bestaat maar tot en met 31 december 2024"),
        (D(2024, 1, 1), D(2025, 6, 30), "tot", "bestaat maar tot en met 31 december 2024"),
        (D(2025, 2, 1), D(2025, 6, 30), "bestuur", "bestaat niet op 1 februari 2025"),
    ],
)
def test_a_bestuur_not_valid_in_the_period_is_refused(
    verband, gefuseerd, beheerder, van, tot, veld, tekst
):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_toevoegen(
            regieverband=verband, bestuur=gefuseerd, van=van, tot=tot, by=beheerder
        )
    message = _field_errors(exc)[veld][0]
    assert tekst in message
    assert "Samenstad (90012)" in message  # names the successor
    assert _counts() == before


def test_a_bestuur_before_it_exists_is_refused(verband, opvolger, beheerder):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_toevoegen(
            regieverband=verband, bestuur=opvolger, van=D(2024, 7, 1), by=beheerder
        )
    assert "bestaat pas vanaf 1 januari 2025" in _field_errors(exc)["van"][0]
    assert _counts() == before


def test_a_merged_bestuur_within_its_validity_is_allowed(verband, gefuseerd, beheerder):
    lid = lidmaatschap_toevoegen(
        regieverband=verband,
        bestuur=gefuseerd,
        van=D(2023, 1, 1),
        tot=D(2024, 12, 31),
        by=beheerder,
    )
    assert lid.pk


@pytest.mark.parametrize("who", ["regisseur", "beoordelaar"])
def test_only_beheerders_change_members_and_trekker(verband, bestuur, who, request):
    user = request.getfixturevalue(who)
    lid = verband.lidmaatschappen.get()
    before = _counts()
    with pytest.raises(PermissionDenied):
        lidmaatschap_toevoegen(regieverband=verband, bestuur=bestuur, van=D(2026, 1, 1), by=user)
    with pytest.raises(PermissionDenied):
        lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2026, 1, 1), by=user)
    with pytest.raises(PermissionDenied):
        trekker_wijzigen(regieverband=verband, trekker=None, vanaf=D(2026, 1, 1), by=user)
    assert _counts() == before


# --- Ending a membership --------------------------------------------------------------------------


def test_ending_a_membership_keeps_its_row(verband, beheerder):
    lid = verband.lidmaatschappen.get()
    lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2025, 12, 31), by=beheerder)
    lid.refresh_from_db()
    assert (lid.van, lid.tot) == (D(2020, 1, 1), D(2025, 12, 31))
    assert verband.lidmaatschappen.count() == 1
    assert not verband.lidmaatschappen.actief_op(D(2026, 1, 1)).exists()
    assert verband.lidmaatschappen.actief_op(D(2025, 12, 31)).exists()


def test_ending_before_the_start_is_refused(verband, beheerder):
    lid = verband.lidmaatschappen.get()
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2019, 12, 31), by=beheerder)
    assert "is lid vanaf 1 januari 2020" in _field_errors(exc)["tot"][0]
    lid.refresh_from_db()
    assert lid.tot is None


def test_ending_a_membership_already_ended_is_refused(verband, beheerder):
    lid = verband.lidmaatschappen.get()
    lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2025, 12, 31), by=beheerder)
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2026, 3, 31), by=beheerder)
    assert "is al beëindigd" in _field_errors(exc)["lidmaatschap"][0]
    lid.refresh_from_db()
    assert lid.tot == D(2025, 12, 31)


def test_ending_after_the_bestuur_ceased_is_refused(verband, gefuseerd, beheerder):
    lid = LidmaatschapFactory.create(regieverband=verband, bestuur=gefuseerd, van=D(2023, 1, 1))
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2025, 6, 30), by=beheerder)
    assert "bestaat maar tot en met 31 december 2024" in _field_errors(exc)["tot"][0]
    lid.refresh_from_db()
    assert lid.tot is None
    lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2024, 12, 31), by=beheerder)


def test_the_trekker_cannot_leave_while_still_trekker(verband, tweede, beheerder):
    lid = verband.lidmaatschappen.get()
    trekker = lid.bestuur
    LidmaatschapFactory.create(regieverband=verband, bestuur=tweede, van=D(2020, 1, 1))
    trekker_wijzigen(
        regieverband=verband, trekker=trekker, vanaf=D(2021, 1, 1), by=beheerder, today=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2026, 12, 31), by=beheerder)
    assert "is op 1 januari 2027 trekker" in _field_errors(exc)["tot"][0]
    lid.refresh_from_db()
    assert lid.tot is None
    # First the new trekker from the next day, then the end: accepted.
    trekker_wijzigen(
        regieverband=verband, trekker=tweede, vanaf=D(2027, 1, 1), by=beheerder, today=TODAY
    )
    lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2026, 12, 31), by=beheerder)
    lid.refresh_from_db()
    assert lid.tot == D(2026, 12, 31)


def test_a_planned_trekker_cannot_leave_before_its_day(verband, tweede, beheerder):
    lid = LidmaatschapFactory.create(regieverband=verband, bestuur=tweede, van=D(2020, 1, 1))
    trekker_wijzigen(
        regieverband=verband, trekker=tweede, vanaf=D(2027, 1, 1), by=beheerder, today=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        lidmaatschap_beeindigen(lidmaatschap=lid, tot=D(2026, 6, 30), by=beheerder)
    assert "is op 1 januari 2027 trekker" in _field_errors(exc)["tot"][0]


# --- The trekker ----------------------------------------------------------------------------------


def test_a_trekker_change_from_today_or_earlier_applies_at_once(verband, beheerder):
    lid = verband.lidmaatschappen.get()
    wissel = trekker_wijzigen(
        regieverband=verband, trekker=lid.bestuur, vanaf=TODAY, by=beheerder, today=TODAY
    )
    verband.refresh_from_db()
    assert verband.trekker == lid.bestuur
    assert (wissel.geregistreerd_door, wissel.vanaf) == (beheerder, TODAY)


def test_a_future_trekker_change_is_planned_and_applied_on_its_day(verband, tweede, beheerder):
    eerste = verband.lidmaatschappen.get().bestuur
    LidmaatschapFactory.create(regieverband=verband, bestuur=tweede, van=D(2020, 1, 1))
    trekker_wijzigen(
        regieverband=verband, trekker=eerste, vanaf=D(2024, 1, 1), by=beheerder, today=TODAY
    )
    trekker_wijzigen(
        regieverband=verband, trekker=tweede, vanaf=D(2026, 9, 1), by=beheerder, today=TODAY
    )
    verband.refresh_from_db()
    assert verband.trekker == eerste  # planned, not yet

    assert trekkerwissels_toepassen(today=D(2026, 8, 31)) == []
    assert trekkerwissels_toepassen(today=D(2026, 9, 1)) == [verband]
    verband.refresh_from_db()
    assert verband.trekker == tweede
    assert trekkerwissels_toepassen(today=D(2026, 9, 2)) == []  # idempotent


def test_a_trekker_change_keeps_the_earlier_ones(verband, tweede, beheerder):
    eerste = verband.lidmaatschappen.get().bestuur
    LidmaatschapFactory.create(regieverband=verband, bestuur=tweede, van=D(2020, 1, 1))
    for trekker, vanaf in [(eerste, D(2021, 1, 1)), (tweede, D(2023, 1, 1)), (None, D(2025, 1, 1))]:
        trekker_wijzigen(
            regieverband=verband, trekker=trekker, vanaf=vanaf, by=beheerder, today=TODAY
        )
    rows = list(verband.trekkerwissels.order_by("vanaf").values_list("trekker", "vanaf"))
    assert rows == [(eerste.pk, D(2021, 1, 1)), (tweede.pk, D(2023, 1, 1)), (None, D(2025, 1, 1))]
    verband.refresh_from_db()
    assert verband.trekker is None  # the vereniging itself


def test_a_back_dated_change_does_not_displace_a_later_one(verband, tweede, beheerder):
    eerste = verband.lidmaatschappen.get().bestuur
    LidmaatschapFactory.create(regieverband=verband, bestuur=tweede, van=D(2020, 1, 1))
    trekker_wijzigen(
        regieverband=verband, trekker=eerste, vanaf=D(2024, 1, 1), by=beheerder, today=TODAY
    )
    trekker_wijzigen(
        regieverband=verband, trekker=tweede, vanaf=D(2022, 1, 1), by=beheerder, today=TODAY
    )
    verband.refresh_from_db()
    assert verband.trekker == eerste
    assert verband.trekkerwissels.count() == 2


def test_a_later_registration_for_the_same_day_corrects_the_earlier(verband, tweede, beheerder):
    eerste = verband.lidmaatschappen.get().bestuur
    LidmaatschapFactory.create(regieverband=verband, bestuur=tweede, van=D(2020, 1, 1))
    trekker_wijzigen(
        regieverband=verband, trekker=eerste, vanaf=D(2024, 1, 1), by=beheerder, today=TODAY
    )
    trekker_wijzigen(
        regieverband=verband, trekker=tweede, vanaf=D(2024, 1, 1), by=beheerder, today=TODAY
    )
    verband.refresh_from_db()
    assert verband.trekker == tweede
    beheer = verband_beheer(regieverband=verband, today=TODAY)
    statussen = [rij.status for rij in beheer.wissels]
    assert statussen == [IN_VOEGE, VERVANGEN]


@pytest.mark.parametrize(
    ("van", "tot", "vanaf"),
    [
        (D(2027, 1, 1), None, D(2026, 12, 31)),  # not yet a member
        (D(2020, 1, 1), D(2025, 12, 31), D(2026, 1, 1)),  # no longer a member
    ],
)
def test_a_trekker_that_is_not_a_member_on_that_day_is_refused(
    verband, tweede, beheerder, van, tot, vanaf
):
    LidmaatschapFactory.create(regieverband=verband, bestuur=tweede, van=van, tot=tot)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        trekker_wijzigen(
            regieverband=verband, trekker=tweede, vanaf=vanaf, by=beheerder, today=TODAY
        )
    assert "geen lid van dit regieverband" in _field_errors(exc)["trekker"][0]
    assert _counts() == before
    verband.refresh_from_db()
    assert verband.trekker is None


def test_a_member_of_another_verband_is_no_trekker(verband, ander_verband, tweede, beheerder):
    LidmaatschapFactory.create(regieverband=ander_verband, bestuur=tweede, van=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        trekker_wijzigen(
            regieverband=verband, trekker=tweede, vanaf=TODAY, by=beheerder, today=TODAY
        )
    assert not Trekkerwissel.objects.exists()


def test_a_trekker_that_no_longer_exists_is_refused(verband, gefuseerd, beheerder):
    LidmaatschapFactory.create(
        regieverband=verband, bestuur=gefuseerd, van=D(2020, 1, 1), tot=D(2024, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        trekker_wijzigen(
            regieverband=verband, trekker=gefuseerd, vanaf=D(2025, 1, 1), by=beheerder, today=TODAY
        )
    assert "bestaat niet op 1 januari 2025" in _field_errors(exc)["trekker"][0]
    assert not Trekkerwissel.objects.exists()


# --- Finding a bestuur by name or NIS code --------------------------------------------------------


def test_bestuur_by_nis_code_or_as_the_list_offers_it(bestuur):
    assert bestuur_zoeken(tekst="90001", op=TODAY) == bestuur
    assert bestuur_zoeken(tekst=" Verzonnengem (90001) ", op=TODAY) == bestuur
    assert bestuur_zoeken(tekst="verzonnengem", op=TODAY) == bestuur


def test_a_name_counts_among_the_besturen_valid_on_that_day(gefuseerd, opvolger):
    assert bestuur_zoeken(tekst="Samenstad", op=D(2024, 6, 1)) == gefuseerd
    assert bestuur_zoeken(tekst="Samenstad", op=D(2025, 6, 1)) == opvolger


def test_a_nis_code_not_valid_that_day_names_its_successor(gefuseerd):
    with pytest.raises(ValidationError) as exc:
        bestuur_zoeken(tekst="90011", op=D(2025, 6, 1))
    assert exc.value.messages == [
        "Samenstad (90011) bestaat niet op 1 juni 2025 (geldig tot en met 31 december 2024). "
        "Opvolger: Samenstad (90012)."
    ]


@pytest.mark.parametrize("tekst", ["Nergensdorp", "99999"])
def test_an_unknown_bestuur_is_said_so(tekst, db):
    with pytest.raises(ValidationError) as exc:
        bestuur_zoeken(tekst=tekst, op=TODAY)
    assert "geen lokaal bestuur" in exc.value.messages[0].lower()


# --- A bestuur in two verbanden of one call -------------------------------------------------------


@pytest.fixture
def twee_verbanden(oproep: Oproep, bestuur: LokaalBestuur) -> tuple[Regieverband, Regieverband]:
    """Two verbanden with an aanvraag in the call (peildatum 1 January 2030) sharing a bestuur."""
    noord = RegieverbandFactory.create(naam="Noord (test)")
    zuid = RegieverbandFactory.create(naam="Zuid (test)")
    for verband in (noord, zuid):
        LidmaatschapFactory.create(regieverband=verband, bestuur=bestuur, van=D(2025, 1, 1))
        AanvraagFactory.create(regieverband=verband, oproep=oproep)
    return noord, zuid


def test_overlaps_in_oproep_gives_per_bestuur_the_verbanden(oproep, bestuur, twee_verbanden):
    noord, zuid = twee_verbanden
    with CaptureQueriesContext(connection) as queries:
        overlaps = overlaps_in_oproep(oproep)
    assert len(queries) == 1
    assert [(o.bestuur, o.regieverbanden) for o in overlaps] == [(bestuur, (noord, zuid))]
    assert overlaps[0].andere(noord) == [zuid]
    assert overlaps[0].is_tegen_regel


def test_a_withdrawn_aanvraag_does_not_count(oproep, twee_verbanden):
    _noord, zuid = twee_verbanden
    zuid.aanvragen.update(status=AanvraagStatus.INGETROKKEN)
    assert overlaps_in_oproep(oproep) == []


def test_a_withdrawn_aanvraag_in_another_call_does_not_hide_the_overlap(oproep, twee_verbanden):
    _noord, zuid = twee_verbanden
    oud = OproepFactory.create(slug="oud-test", eerste_jaar=2026, laatste_jaar=2028)
    AanvraagFactory.create(regieverband=zuid, oproep=oud, status=AanvraagStatus.INGETROKKEN)
    assert len(overlaps_in_oproep(oproep)) == 1


def test_a_membership_ended_before_the_peildatum_does_not_count(oproep, bestuur, twee_verbanden):
    _noord, zuid = twee_verbanden
    zuid.lidmaatschappen.filter(bestuur=bestuur).update(tot=D(2029, 12, 31))
    assert overlaps_in_oproep(oproep) == []


def test_a_membership_starting_after_the_peildatum_does_not_count(oproep, bestuur, twee_verbanden):
    _noord, zuid = twee_verbanden
    zuid.lidmaatschappen.filter(bestuur=bestuur).update(van=D(2030, 1, 2))
    assert overlaps_in_oproep(oproep) == []


def test_a_membership_ending_on_the_peildatum_counts(oproep, bestuur, twee_verbanden):
    _noord, zuid = twee_verbanden
    zuid.lidmaatschappen.filter(bestuur=bestuur).update(tot=D(2030, 1, 1))
    assert len(overlaps_in_oproep(oproep)) == 1


def test_a_verband_without_aanvraag_in_the_call_does_not_count(oproep, bestuur, twee_verbanden):
    derde = RegieverbandFactory.create(naam="Derde (test)")
    LidmaatschapFactory.create(regieverband=derde, bestuur=bestuur, van=D(2025, 1, 1))
    (overlap,) = overlaps_in_oproep(oproep)
    assert derde not in overlap.regieverbanden


def test_adding_a_member_that_overlaps_is_allowed_with_the_overlap_named(
    oproep, tweede, twee_verbanden, beheerder
):
    noord, zuid = twee_verbanden
    LidmaatschapFactory.create(regieverband=zuid, bestuur=tweede, van=D(2020, 1, 1))
    lid = lidmaatschap_toevoegen(
        regieverband=noord, bestuur=tweede, van=D(2029, 1, 1), by=beheerder
    )
    (overlap,) = overlaps_van_lidmaatschap(lid)
    assert (overlap.oproep, overlap.bestuur, overlap.andere(noord)) == (oproep, tweede, [zuid])


def test_no_overlap_warning_when_the_call_allows_two_verbanden(
    oproep, tweede, twee_verbanden, beheerder
):
    noord, zuid = twee_verbanden
    Oproep.objects.filter(pk=oproep.pk).update(een_verband_per_bestuur=False)
    LidmaatschapFactory.create(regieverband=zuid, bestuur=tweede, van=D(2020, 1, 1))
    lid = lidmaatschap_toevoegen(
        regieverband=noord, bestuur=tweede, van=D(2029, 1, 1), by=beheerder
    )
    assert overlaps_van_lidmaatschap(lid) == []


def test_no_overlap_warning_for_a_membership_not_running_on_the_peildatum(
    oproep, tweede, twee_verbanden, beheerder
):
    noord, zuid = twee_verbanden
    LidmaatschapFactory.create(regieverband=zuid, bestuur=tweede, van=D(2020, 1, 1))
    lid = lidmaatschap_toevoegen(
        regieverband=noord, bestuur=tweede, van=D(2030, 6, 1), by=beheerder
    )
    assert overlaps_van_lidmaatschap(lid) == []


# --- Who reaches the pages ------------------------------------------------------------------------

ROLES = ["beheerder", "regisseur", "collega", "beoordelaar", None]
# Every page of /beheer/ is a 404 for anyone logged in but a beheerder, even for the regisseur
# who sees her own verband elsewhere: nobody else learns these pages exist.
VERBAND_PAGE = {"beheerder": 200, "regisseur": 404, "collega": 404, "beoordelaar": 404, None: 302}
LIST_PAGE = {"beheerder": 200, "regisseur": 404, "collega": 404, "beoordelaar": 404, None: 302}


def _user(request: pytest.FixtureRequest, who: str | None) -> User | None:
    return request.getfixturevalue(who) if who else None


@pytest.mark.parametrize("who", ROLES)
def test_list_page_permission_matrix(who, verband, request):
    response = client_for(_user(request, who)).get("/beheer/regieverbanden/")
    assert response.status_code == LIST_PAGE[who]
    if who is None:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ROLES)
def test_verband_page_permission_matrix(who, verband, request):
    response = client_for(_user(request, who)).get(f"/beheer/regieverbanden/{verband.pk}/")
    assert response.status_code == VERBAND_PAGE[who]
    if who is None:
        assert response["Location"].startswith("/accounts/login/")


def _post_data(verband: Regieverband) -> dict[str, dict[str, str]]:
    lid = verband.lidmaatschappen.get()
    today = timezone.localdate()
    return {
        "leden/toevoegen/": {"lid-bestuur": "90001", "lid-van": today.isoformat()},
        "leden/beeindigen/": {"einde-lidmaatschap": str(lid.pk), "einde-tot": today.isoformat()},
        "trekker/": {"trekker-trekker": "vereniging", "trekker-vanaf": today.isoformat()},
        "trekker/toepassen/": {},
    }


POST_EXPECTED = {"beheerder": 302, "regisseur": 404, "collega": 404, "beoordelaar": 404, None: 302}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(
    "action", ["leden/toevoegen/", "leden/beeindigen/", "trekker/", "trekker/toepassen/"]
)
def test_form_posts_permission_matrix(who, action, verband, bestuur, request):
    before = (_counts(), list(verband.lidmaatschappen.values_list("tot", flat=True)))
    response = client_for(_user(request, who)).post(
        f"/beheer/regieverbanden/{verband.pk}/{action}", _post_data(verband)[action]
    )
    assert response.status_code == POST_EXPECTED[who]
    after = (_counts(), list(verband.lidmaatschappen.values_list("tot", flat=True)))
    if who == "beheerder":
        assert response["Location"] == f"/beheer/regieverbanden/{verband.pk}/"
    else:
        assert after == before
        if who is None:
            assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_verband_is_404_for_a_beheerder(beheerder):
    assert client_for(beheerder).get("/beheer/regieverbanden/999999/").status_code == 404


def test_the_pages_take_no_get_for_their_forms(verband, beheerder):
    response = client_for(beheerder).get(f"/beheer/regieverbanden/{verband.pk}/trekker/")
    assert response.status_code == 405


# --- The pages as a beheerder uses them -----------------------------------------------------------


def test_list_page_shows_members_trekker_and_overlaps(beheerder, oproep, bestuur, twee_verbanden):
    noord, _zuid = twee_verbanden
    ander = RegieverbandFactory.create(naam="Zonder overlap (test)")
    LidmaatschapFactory.create(regieverband=ander, van=D(2000, 1, 1), tot=D(2001, 1, 1))
    html = client_for(beheerder).get("/beheer/regieverbanden/").content.decode()
    assert f'href="/beheer/regieverbanden/{noord.pk}/"' in html
    assert f'href="/beheer/besturen/regieverband/{noord.pk}/change/"' in html
    # Each row counts its overlaps per call and links to the verband's page, which names them.
    for verband in twee_verbanden:
        row = html.split(f"{verband.naam}</a>")[1].split("</tr>")[0]
        assert f'href="/beheer/regieverbanden/{verband.pk}/#v-leden"' in row
        assert f"1 bestuur is in de oproep {oproep.naam} ook lid van een ander verband" in row
    row = html.split("Zonder overlap (test)</a>")[1].split("</tr>")[0]
    assert "badge" not in row and "ook lid van een ander verband" not in row
    # An ended membership is no current member.
    assert '<td class="text-end" data-label="Huidige leden">0</td>' in row
    assert "de vereniging zelf" in row


def test_list_page_query_count_does_not_grow_with_verbanden(beheerder, oproep):
    client = client_for(beheerder)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/beheer/regieverbanden/").status_code == 200
        return len(queries)

    RegieverbandFactory.create()
    count()  # the first page also reads the maintenance message, then kept for 30 s
    few = count()
    for _i in range(15):
        verband = RegieverbandFactory.create()
        LidmaatschapFactory.create(regieverband=verband)
        AanvraagFactory.create(regieverband=verband, oproep=oproep)
    assert count() == few + 1  # one more: the call now has aanvragen to check


def test_overlap_counts_follow_the_rule_of_the_overlaps(oproep, bestuur, tweede, twee_verbanden):
    """Per verband, the count in the list is the number of its besturen that
    `overlaps_in_oproep` names: an ended membership, a withdrawn aanvraag and a verband without
    aanvraag do not count."""
    noord, zuid = twee_verbanden
    LidmaatschapFactory.create(regieverband=noord, bestuur=tweede, van=D(2025, 1, 1))
    LidmaatschapFactory.create(regieverband=zuid, bestuur=tweede, van=D(2025, 1, 1))
    ingetrokken = RegieverbandFactory.create(naam="Ingetrokken (test)")
    LidmaatschapFactory.create(regieverband=ingetrokken, bestuur=bestuur, van=D(2025, 1, 1))
    AanvraagFactory.create(
        regieverband=ingetrokken, oproep=oproep, status=AanvraagStatus.INGETROKKEN
    )
    gestopt = RegieverbandFactory.create(naam="Gestopt (test)")
    LidmaatschapFactory.create(
        regieverband=gestopt, bestuur=tweede, van=D(2025, 1, 1), tot=D(2029, 12, 31)
    )
    AanvraagFactory.create(regieverband=gestopt, oproep=oproep)
    zonder = RegieverbandFactory.create(naam="Zonder aanvraag (test)")
    LidmaatschapFactory.create(regieverband=zonder, bestuur=bestuur, van=D(2025, 1, 1))
    ids = [noord.pk, zuid.pk, ingetrokken.pk, gestopt.pk, zonder.pk]

    with CaptureQueriesContext(connection) as queries:
        counts = overlap_aantallen(oproep, ids)
    assert len(queries) == 1
    expected: dict[int, int] = {}
    for overlap in overlaps_in_oproep(oproep):
        for verband in overlap.regieverbanden:
            expected[verband.pk] = expected.get(verband.pk, 0) + 1
    assert counts == expected == {noord.pk: 2, zuid.pk: 2}
    assert overlap_aantallen(oproep, [zuid.pk]) == {zuid.pk: 2}


def test_list_page_finds_a_verband_by_name_member_or_nis_code(beheerder, verband, tweede):
    ander = RegieverbandFactory.create(naam="Andere regio (test)")
    LidmaatschapFactory.create(regieverband=ander, bestuur=tweede, van=D(2020, 1, 1))
    vroeger = RegieverbandFactory.create(naam="Vroeger (test)")
    LidmaatschapFactory.create(
        regieverband=vroeger, bestuur=tweede, van=D(2000, 1, 1), tot=D(2001, 1, 1)
    )
    client = client_for(beheerder)

    def found(zoek: str) -> set[str]:
        html = client.get("/beheer/regieverbanden/", {"zoek": zoek}).content.decode()
        names = {verband.naam, ander.naam, vroeger.naam}
        return {naam for naam in names if f"{naam}</a>" in html}

    assert found("andere REGIO") == {ander.naam}
    assert found("Fictiedorp") == {ander.naam}  # a current member; a former one does not count
    assert found("90002") == {ander.naam}
    assert found("") == {verband.naam, ander.naam, vroeger.naam}
    html = client.get("/beheer/regieverbanden/", {"zoek": "Bestaatniet"}).content.decode()
    assert '0 regieverbanden gevonden voor "Bestaatniet"' in html
    assert "Geen regieverband gevonden." in html
    assert 'href="/beheer/regieverbanden/">Alle regieverbanden tonen' in html
    assert client.get("/beheer/regieverbanden/", {"zoek": "a\x00b"}).status_code == 200


def test_list_page_shows_fifty_verbanden_a_page_and_keeps_the_search(beheerder):
    RegieverbandFactory.create_batch(53, naam=factory.Sequence(lambda n: f"Lijstverband {n:03d}"))
    client = client_for(beheerder)
    eerste = client.get("/beheer/regieverbanden/", {"zoek": "lijst"}).content.decode()
    assert eerste.count("Lijstverband ") == 50 * 2  # the link and the link to its data
    assert "1 tot 50 van 53" in eerste
    assert 'href="?zoek=lijst&amp;pagina=2" rel="next"' in eerste
    assert 'aria-current="page"' in eerste
    tweede = client.get("/beheer/regieverbanden/", {"zoek": "lijst", "pagina": "2"}).content
    assert tweede.decode().count("Lijstverband ") == 3 * 2
    # A page number that is no number gives the first page, one past the end the last.
    assert (
        client.get("/beheer/regieverbanden/", {"pagina": "x"})
        .content.decode()
        .count("Lijstverband ")
        == 50 * 2
    )
    laatste = client.get("/beheer/regieverbanden/", {"zoek": "lijst", "pagina": "99"})
    assert laatste.content.decode().count("Lijstverband ") == 3 * 2


def test_verband_page_shows_history_greyed_trekker_and_links(verband, tweede, beheerder):
    today = timezone.localdate()
    LidmaatschapFactory.create(
        regieverband=verband, bestuur=tweede, van=D(2020, 1, 1), tot=D(2021, 12, 31)
    )
    eerste = verband.lidmaatschappen.get(tot__isnull=True).bestuur
    trekker_wijzigen(regieverband=verband, trekker=eerste, vanaf=D(2021, 1, 1), by=beheerder)
    trekker_wijzigen(
        regieverband=verband, trekker=None, vanaf=today + datetime.timedelta(days=30), by=beheerder
    )
    html = client_for(beheerder).get(f"/beheer/regieverbanden/{verband.pk}/").content.decode()
    ended = html.split("Alle lidmaatschappen")[1]
    assert '<tr class="text-body-secondary">\n        <td>Fictiedorp</td>' in ended
    assert "beëindigd" in ended
    assert "Maasmechelen" in html.split("Alle lidmaatschappen")[0]  # a current member
    assert "Fictiedorp" not in html.split("Trekker</h2>")[0].split("Leden op")[1]
    assert "in voege" in html and "gepland" in html
    assert 'href="/beheer/regieverbanden/"' in html
    assert f'href="/beheer/besturen/regieverband/{verband.pk}/change/"' in html


def test_verband_page_flags_an_overlapping_member(oproep, twee_verbanden, beheerder):
    noord, _zuid = twee_verbanden
    html = client_for(beheerder).get(f"/beheer/regieverbanden/{noord.pk}/").content.decode()
    current = html.split("Trekker</h2>")[0]
    assert "overlap" in current
    assert f"Zuid (test), in de oproep {oproep.naam}" in current


def test_admin_change_page_links_to_the_beheer_page(verband, beheerder):
    response = client_for(beheerder).get(f"/beheer/besturen/regieverband/{verband.pk}/change/")
    assert response.status_code == 200
    assert f'href="/beheer/regieverbanden/{verband.pk}/"' in response.content.decode()


def test_admin_no_longer_changes_the_trekker_without_history(verband, beheerder):
    bestuur = verband.lidmaatschappen.get().bestuur
    lid = verband.lidmaatschappen.get()
    client_for(beheerder).post(
        f"/beheer/besturen/regieverband/{verband.pk}/change/",
        {
            "naam": verband.naam,
            "rechtsvorm": verband.rechtsvorm,
            "trekker": bestuur.pk,
            "lidmaatschappen-TOTAL_FORMS": "1",
            "lidmaatschappen-INITIAL_FORMS": "1",
            "lidmaatschappen-0-id": lid.pk,
            "lidmaatschappen-0-regieverband": verband.pk,
            "lidmaatschappen-0-bestuur": bestuur.pk,
            "lidmaatschappen-0-van": "2020-01-01",
        },
    )
    verband.refresh_from_db()
    assert verband.trekker is None


def test_add_member_through_the_page(verband, bestuur, beheerder):
    client = client_for(beheerder)
    response = client.post(
        f"/beheer/regieverbanden/{verband.pk}/leden/toevoegen/",
        {"lid-bestuur": "Verzonnengem (90001)", "lid-van": "2026-01-01"},
        follow=True,
    )
    assert "Verzonnengem (90001) is lid vanaf 1 januari 2026, zonder einddatum." in (
        response.content.decode()
    )
    assert verband.lidmaatschappen.filter(bestuur=bestuur, van=D(2026, 1, 1)).exists()


@pytest.mark.parametrize(
    ("data", "tekst"),
    [
        (
            {"lid-bestuur": "90001", "lid-van": "2026-02-01", "lid-tot": "2026-01-01"},
            "Een lidmaatschap kan niet eindigen voor het begint",
        ),
        ({"lid-bestuur": "73107", "lid-van": "2026-02-01"}, "is al lid van dit regieverband"),
        ({"lid-bestuur": "Nergensdorp", "lid-van": "2026-02-01"}, "Kies een bestuur uit de lijst"),
        ({"lid-bestuur": "90001", "lid-van": "1 februari"}, "Geef een geldige datum"),
        ({"lid-bestuur": "", "lid-van": "2026-02-01"}, "Geef de naam of de NIS-code"),
    ],
)
def test_bad_member_input_is_refused_on_the_page_with_input_kept(
    verband, bestuur, beheerder, data, tekst
):
    before = _counts()
    response = client_for(beheerder).post(
        f"/beheer/regieverbanden/{verband.pk}/leden/toevoegen/", data
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert tekst in html
    assert f'value="{data["lid-bestuur"]}"' in html or not data["lid-bestuur"]
    assert f'value="{data["lid-van"]}"' in html
    assert _counts() == before


def test_adding_an_overlapping_member_warns_naming_the_other_verband_and_call(
    oproep, tweede, twee_verbanden, beheerder
):
    noord, zuid = twee_verbanden
    LidmaatschapFactory.create(regieverband=zuid, bestuur=tweede, van=D(2020, 1, 1))
    response = client_for(beheerder).post(
        f"/beheer/regieverbanden/{noord.pk}/leden/toevoegen/",
        {"lid-bestuur": "90002", "lid-van": "2029-01-01"},
        follow=True,
    )
    html = response.content.decode()
    assert (
        '<div class="alert alert-warning">Let op: Fictiedorp (90002) is op 1 januari 2030' in html
    )
    assert f"ook lid van Zuid (test), met een aanvraag voor de oproep {oproep.naam}" in html
    assert noord.lidmaatschappen.filter(bestuur=tweede).exists()  # allowed: WSE decides


def test_end_membership_through_the_page(verband, beheerder):
    lid = verband.lidmaatschappen.get()
    response = client_for(beheerder).post(
        f"/beheer/regieverbanden/{verband.pk}/leden/beeindigen/",
        {"einde-lidmaatschap": str(lid.pk), "einde-tot": "31/12/2025"},
        follow=True,
    )
    assert "loopt tot en met 31 december 2025" in response.content.decode()
    lid.refresh_from_db()
    assert lid.tot == D(2025, 12, 31)


def test_ending_an_ended_membership_on_the_page_says_so(verband, beheerder):
    lid = verband.lidmaatschappen.get()
    Lidmaatschap.objects.filter(pk=lid.pk).update(tot=D(2024, 12, 31))
    response = client_for(beheerder).post(
        f"/beheer/regieverbanden/{verband.pk}/leden/beeindigen/",
        {"einde-lidmaatschap": str(lid.pk), "einde-tot": "2025-12-31"},
    )
    assert response.status_code == 400
    assert "is al beëindigd" in response.content.decode()
    assert 'value="2025-12-31"' in response.content.decode()
    lid.refresh_from_db()
    assert lid.tot == D(2024, 12, 31)


def test_a_membership_of_another_verband_cannot_be_ended_here(verband, ander_verband, beheerder):
    ander = LidmaatschapFactory.create(regieverband=ander_verband, van=D(2020, 1, 1))
    response = client_for(beheerder).post(
        f"/beheer/regieverbanden/{verband.pk}/leden/beeindigen/",
        {"einde-lidmaatschap": str(ander.pk), "einde-tot": "2025-12-31"},
    )
    assert response.status_code == 400
    assert "Kies een lidmaatschap van dit regieverband" in response.content.decode()
    ander.refresh_from_db()
    assert ander.tot is None


def test_change_trekker_through_the_page_now_and_planned(verband, beheerder):
    today = timezone.localdate()
    bestuur = verband.lidmaatschappen.get().bestuur
    client = client_for(beheerder)
    response = client.post(
        f"/beheer/regieverbanden/{verband.pk}/trekker/",
        {"trekker-trekker": str(bestuur.pk), "trekker-vanaf": today.isoformat()},
        follow=True,
    )
    assert "Maasmechelen (73107) is trekker sinds" in response.content.decode()
    verband.refresh_from_db()
    assert verband.trekker == bestuur
    later = today + datetime.timedelta(days=10)
    response = client.post(
        f"/beheer/regieverbanden/{verband.pk}/trekker/",
        {"trekker-trekker": "vereniging", "trekker-vanaf": later.isoformat()},
        follow=True,
    )
    assert "Gepland: de vereniging zelf is trekker vanaf" in response.content.decode()
    verband.refresh_from_db()
    assert verband.trekker == bestuur
    assert verband.trekkerwissels.count() == 2


def test_a_trekker_not_member_that_day_is_refused_on_the_page(verband, beheerder):
    bestuur = verband.lidmaatschappen.get().bestuur
    response = client_for(beheerder).post(
        f"/beheer/regieverbanden/{verband.pk}/trekker/",
        {"trekker-trekker": str(bestuur.pk), "trekker-vanaf": "2019-06-01"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "is op 1 juni 2019 geen lid van dit regieverband" in html
    assert 'value="2019-06-01"' in html
    assert not Trekkerwissel.objects.exists()


def test_a_bestuur_outside_the_verband_is_no_choice_for_trekker(verband, bestuur, beheerder):
    response = client_for(beheerder).post(
        f"/beheer/regieverbanden/{verband.pk}/trekker/",
        {"trekker-trekker": str(bestuur.pk), "trekker-vanaf": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "Kies een lid van dit regieverband of de vereniging zelf" in response.content.decode()
    assert not Trekkerwissel.objects.exists()


def test_a_due_change_not_yet_applied_is_shown_and_applied_by_the_button(verband, beheerder):
    bestuur = verband.lidmaatschappen.get().bestuur
    # Registered in the past as planned for yesterday; the daily job has not run since.
    Trekkerwissel.objects.create(
        regieverband=verband,
        trekker=bestuur,
        vanaf=timezone.localdate() - datetime.timedelta(days=1),
        geregistreerd_door=beheerder,
    )
    client = client_for(beheerder)
    html = client.get(f"/beheer/regieverbanden/{verband.pk}/").content.decode()
    assert "nog niet toegepast" in html
    response = client.post(f"/beheer/regieverbanden/{verband.pk}/trekker/toepassen/", follow=True)
    assert "is toegepast" in response.content.decode()
    verband.refresh_from_db()
    assert verband.trekker == bestuur
    assert "nog niet toegepast" not in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_beheerders_adding_the_same_bestuur_at_once_save_one(verband, bestuur, beheerder):
    """Two database sessions at once, different first days: the lock on the verband lets the
    second one see the first membership, and refuse."""
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add(van: datetime.date) -> None:
        try:
            barrier.wait()
            lidmaatschap_toevoegen(regieverband=verband, bestuur=bestuur, van=van, by=beheerder)
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(d,)) for d in (D(2026, 1, 1), D(2026, 2, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert Lidmaatschap.objects.filter(bestuur=bestuur).count() == 1


def test_the_daily_command_applies_a_planned_trekker_change_whose_day_came(verband, beheerder):
    lid = verband.lidmaatschappen.get().bestuur
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    Trekkerwissel.objects.create(
        regieverband=verband, trekker=lid, vanaf=gisteren, geregistreerd_door=beheerder
    )
    out = StringIO()
    call_command("trekkerwissels_toepassen", stdout=out)
    verband.refresh_from_db()
    assert verband.trekker == lid
    assert f"{verband.naam}: trekker is nu {lid.naam}" in out.getvalue()
    call_command("trekkerwissels_toepassen", stdout=out)
    assert out.getvalue().endswith("0 trekkerwissel(s) toegepast.\n")
