"""The deadline rule: accepted up to and including the deadline's second, in Brussels time,
refused one second later, on the server's clock."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from applications.aanvragen.deadline import is_before_deadline
from applications.aanvragen.models import Aanvraag, Verlenging
from applications.aanvragen.services import aanvraag_update
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_submit
from applications.oproepen.models import Oproep

from ..aanvraag_helpers import fill_everything
from ..conftest import client_for
from ..factories import AanvraagFactory, OproepFactory, RegieverbandFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(year: int, month: int, day: int, hour: int, minute: int, second: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=BRUSSELS)


@pytest.fixture
def call_2023(db):
    """A call like 2023-2025, open, closing 15 January 2023 23:59:59 Brussels (winter time)."""
    return OproepFactory.create(
        slug="zoals-2023", eerste_jaar=2023, laatste_jaar=2025, deadline=at(2023, 1, 15, 23, 59, 59)
    )


@pytest.fixture
def summer_call(db):
    """A call closing in summer time (CEST, UTC+2): 30 June 2031 23:59:59 Brussels."""
    return OproepFactory.create(
        slug="zomer", eerste_jaar=2032, laatste_jaar=2034, deadline=at(2031, 6, 30, 23, 59, 59)
    )


def complete(verband, oproep, regisseur) -> Aanvraag:
    return fill_everything(AanvraagFactory.create(regieverband=verband, oproep=oproep), regisseur)


def test_the_real_2023_deadline_is_stored_as_brussels_winter_time():
    deadline = Oproep.objects.get(slug="2023-2025").deadline
    assert deadline == datetime.datetime(2023, 1, 15, 22, 59, 59, tzinfo=datetime.UTC)


@pytest.mark.parametrize("call", ["call_2023", "summer_call"])
def test_last_second_is_accepted_also_its_last_microsecond(call, verband, regisseur, request):
    oproep = request.getfixturevalue(call)
    aanvraag = complete(verband, oproep, regisseur)
    last = oproep.deadline.astimezone(BRUSSELS).replace(microsecond=999_999)
    submitted = aanvraag_submit(aanvraag=aanvraag, by=regisseur, now=last)
    assert submitted.status == AanvraagStatus.INGEDIEND
    assert submitted.ingediend_op == last


@pytest.mark.parametrize("call", ["call_2023", "summer_call"])
def test_one_second_later_is_refused_and_nothing_changes(call, verband, regisseur, request):
    oproep = request.getfixturevalue(call)
    aanvraag = complete(verband, oproep, regisseur)
    too_late = oproep.deadline + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError) as excinfo:
        aanvraag_submit(aanvraag=aanvraag, by=regisseur, now=too_late)
    assert "is voorbij" in str(excinfo.value)
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.CONCEPT
    assert aanvraag.ingediend_op is None


def test_summer_deadline_is_utc_plus_two(summer_call):
    utc = summer_call.deadline.astimezone(datetime.UTC)
    assert (utc.hour, utc.minute, utc.second) == (21, 59, 59)
    aanvraag = AanvraagFactory.create(oproep=summer_call)
    assert is_before_deadline(
        aanvraag, now=datetime.datetime(2031, 6, 30, 21, 59, 59, tzinfo=datetime.UTC)
    )
    assert not is_before_deadline(
        aanvraag, now=datetime.datetime(2031, 6, 30, 22, 0, 0, tzinfo=datetime.UTC)
    )


def test_extension_allows_submission_after_the_call_deadline(call_2023, verband, regisseur):
    aanvraag = complete(verband, call_2023, regisseur)
    Verlenging.objects.create(aanvraag=aanvraag, tot=at(2023, 1, 20, 12, 0, 0), reden="Overmacht")
    submitted = aanvraag_submit(aanvraag=aanvraag, by=regisseur, now=at(2023, 1, 20, 12, 0, 0))
    assert submitted.status == AanvraagStatus.INGEDIEND
    other = AanvraagFactory.create(regieverband=RegieverbandFactory.create(), oproep=call_2023)
    assert not is_before_deadline(other, now=at(2023, 1, 20, 12, 0, 0))


def test_draft_is_read_only_after_the_deadline(call_2023, verband, regisseur):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=call_2023)
    with pytest.raises(ValidationError) as excinfo:
        aanvraag_update(
            aanvraag=aanvraag,
            by=regisseur,
            versie=aanvraag.versie,
            changes={"visie": "te laat"},
            now=at(2023, 1, 16, 0, 0, 0),
        )
    assert "uiterste indieningsdatum" in str(excinfo.value)


def test_submit_view_after_deadline_says_so_whatever_the_browser_says(verband, regisseur):
    closed = OproepFactory.create(
        slug="voorbij", eerste_jaar=2020, laatste_jaar=2022, deadline=at(2020, 1, 15, 23, 59, 59)
    )
    aanvraag = complete(verband, closed, regisseur)
    response = client_for(regisseur).post(
        f"/aanvragen/{aanvraag.pk}/indienen/", {"mandaat": "on"}, follow=True
    )
    body = response.content.decode()
    assert "Indienen kon tot en met 15 januari 2020 23:59:59" in body
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.CONCEPT


def test_deadline_and_time_left_shown_on_every_section(aanvraag, regisseur):
    client: Client = client_for(regisseur)
    for section in ("verband", "teksten", "meerjarenplan", "begroting", "bijlagen", ""):
        url = f"/aanvragen/{aanvraag.pk}/{section + '/' if section else ''}"
        body = client.get(url).content.decode()
        assert "15 januari 2030 om 23:59:59" in body, url
        assert "Nog " in body, url


@pytest.mark.parametrize(
    ("over", "tekst"),
    [
        (datetime.timedelta(days=58, hours=3), "58 dagen"),
        (datetime.timedelta(days=2), "2 dagen"),
        (datetime.timedelta(days=1, hours=5), "29 uur"),
        (datetime.timedelta(hours=1), "1 uur"),
        (datetime.timedelta(minutes=1, seconds=30), "1 minuut"),
        (datetime.timedelta(minutes=12), "12 minuten"),
        (datetime.timedelta(seconds=5), "1 minuut"),
    ],
)
def test_time_left_is_one_unit_in_proper_dutch(over, tekst):
    """Django's timeuntil said "Nog 1 maand, 4 weken"."""
    from applications.aanvragen.deadline import tijd_tot

    nu = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)
    assert tijd_tot(nu + over, nu) == tekst
