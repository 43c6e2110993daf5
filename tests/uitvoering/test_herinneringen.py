"""Reminders of the opvolgmomenten through the outbox: 14 days before the due date and the day
after, each once, never for a submitted one or a year not over yet."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from applications.uitvoering.constants import Realisatie
from applications.uitvoering.herinneringen import send_opvolg_herinneringen
from applications.uitvoering.models import Opvolgherinnering
from applications.uitvoering.opvolging import Rapportinvoer, acties_van_jaar, opvolgmoment_bewaren

pytestmark = pytest.mark.django_db


def _op(dag: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(dag, datetime.time(8), tzinfo=datetime.UTC)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run(dag: datetime.date) -> list[tuple[int, str]]:
        with django_capture_on_commit_callbacks(execute=True):
            return [(h.jaar, h.moment) for h in send_opvolg_herinneringen(now=_op(dag))]

    return run


def test_14_days_before_and_the_day_after_the_due_date_each_once(
    lopend, regisseur, send, mailoutbox
):
    # 2023 is due 30 June 2024.
    assert send(datetime.date(2024, 6, 15)) == []
    assert send(datetime.date(2024, 6, 16)) == [(2023, "voor")]
    assert send(datetime.date(2024, 6, 20)) == []  # once
    assert send(datetime.date(2024, 6, 30)) == []
    assert send(datetime.date(2024, 7, 1)) == [(2023, "te_laat")]
    assert send(datetime.date(2024, 7, 2)) == []
    assert [m.to for m in mailoutbox] == [[regisseur.email], [regisseur.email]]
    assert (
        mailoutbox[0].subject
        == "Herinnering: opvolgmoment 2023 van Sociale Economie Maasland (test)"
    )
    assert "uiterlijk op 30 juni 2024 in te dienen" in mailoutbox[0].body
    assert f"/aanvragen/{lopend.pk}/uitvoering/opvolging/2023/" in mailoutbox[0].body
    assert mailoutbox[1].subject.startswith("Opvolgmoment 2023 te laat")


def test_no_reminder_for_a_submitted_opvolgmoment(lopend, regisseur, send, mailoutbox):
    opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer={
            a.pk: Rapportinvoer(Realisatie.GEREALISEERD, "", "AC1", True)
            for a in acties_van_jaar(lopend, 2023)
        },
        indienen=True,
        now=_op(datetime.date(2024, 3, 1)),
    )
    assert send(datetime.date(2024, 7, 1)) == []
    assert mailoutbox == []


def test_a_late_start_sends_only_the_late_reminder(lopend, regisseur, send):
    # The first run after the due date (the worker was down): not both at once.
    assert send(datetime.date(2024, 8, 1)) == [(2023, "te_laat")]
    assert Opvolgherinnering.objects.count() == 1


def test_the_command_says_what_it_sent(lopend, regisseur):
    out = StringIO()
    call_command("send_opvolg_herinneringen", stdout=out)
    # Today every year of 2023-2025 is past its due date (30 June after it).
    assert "Herinneringen verstuurd: 3." in out.getvalue()
    call_command("send_opvolg_herinneringen", stdout=(out := StringIO()))
    assert "Herinneringen verstuurd: 0." in out.getvalue()
