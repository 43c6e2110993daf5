"""Deadline reminders: 14 and 2 days before the deadline, each once, only for drafts of open
calls, to the verband's active regisseurs; and the cron command that sends them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.aanvragen import notifications
from applications.aanvragen.constants import Herinneringsmoment
from applications.aanvragen.models import Aanvraag, Herinnering
from applications.aanvragen.notifications import send_deadline_reminder
from applications.aanvragen.reminders import send_deadline_reminders
from applications.aanvragen.services import verlenging_add
from applications.aanvragen.statuses import AanvraagStatus
from applications.oproepen.constants import OproepStatus

from ..factories import AanvraagFactory, OproepFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the reminders at a given moment, sending the e-mails as after a commit."""

    def run(aanvraag: Aanvraag, days_before: float) -> list[Herinnering]:
        now = aanvraag.oproep.deadline - datetime.timedelta(days=days_before)
        with django_capture_on_commit_callbacks(execute=True):
            return send_deadline_reminders(now=now)

    return run


def _moments(sent: list[Herinnering]) -> list[str]:
    return [h.moment for h in sent]


def test_nothing_is_sent_15_days_before_the_deadline(aanvraag, regisseur, send, mailoutbox):
    assert send(aanvraag, 15) == []
    assert send(aanvraag, 14 + 1 / 86400) == []  # one second too early
    assert mailoutbox == []
    assert not Herinnering.objects.exists()


def test_14_day_reminder_is_sent_once(aanvraag, regisseur, send, mailoutbox):
    sent = send(aanvraag, 14)

    assert _moments(sent) == [Herinneringsmoment.VEERTIEN_DAGEN]
    herinnering = Herinnering.objects.get()
    assert (herinnering.aanvraag, herinnering.moment) == (aanvraag, "14d")
    assert herinnering.verstuurd_op == aanvraag.oproep.deadline - 14 * DAY
    assert len(mailoutbox) == 1
    assert aanvraag.referentie in mailoutbox[0].subject

    assert send(aanvraag, 13.5) == []
    assert len(mailoutbox) == 1


def test_nothing_new_3_days_before_the_deadline(aanvraag, regisseur, send, mailoutbox):
    send(aanvraag, 14)
    assert send(aanvraag, 3) == []
    assert len(mailoutbox) == 1


def test_2_day_reminder_is_sent_once(aanvraag, regisseur, send, mailoutbox):
    send(aanvraag, 14)
    sent = send(aanvraag, 2)

    assert _moments(sent) == [Herinneringsmoment.TWEE_DAGEN]
    assert sorted(Herinnering.objects.values_list("moment", flat=True)) == ["14d", "2d"]
    assert len(mailoutbox) == 2
    assert "2 dagen voor de uiterste indiening" in mailoutbox[1].body

    assert send(aanvraag, 1) == []
    assert send(aanvraag, 0) == []  # the deadline second itself
    assert len(mailoutbox) == 2


def test_draft_started_a_day_before_the_deadline_gets_only_the_2_day_reminder(
    aanvraag, regisseur, send, mailoutbox
):
    Aanvraag.objects.filter(pk=aanvraag.pk).update(
        aangemaakt_op=aanvraag.oproep.deadline - 1.2 * DAY
    )
    sent = send(aanvraag, 1)

    assert _moments(sent) == [Herinneringsmoment.TWEE_DAGEN]
    assert list(Herinnering.objects.values_list("moment", flat=True)) == ["2d"]
    assert len(mailoutbox) == 1
    assert send(aanvraag, 0.5) == []
    assert len(mailoutbox) == 1


def test_nothing_is_sent_after_the_deadline(aanvraag, regisseur, send, mailoutbox):
    assert send(aanvraag, -1 / 86400) == []
    assert send(aanvraag, -1) == []
    assert mailoutbox == []
    assert not Herinnering.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        AanvraagStatus.INGEDIEND,
        AanvraagStatus.IN_BEHANDELING,
        AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
        AanvraagStatus.INGETROKKEN,
    ],
)
def test_aanvragen_that_are_no_draft_get_nothing(
    status, verband, oproep, regisseur, send, mailoutbox
):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, status=status)
    assert send(aanvraag, 14) == []
    assert send(aanvraag, 2) == []
    assert mailoutbox == []


@pytest.mark.parametrize("status", [OproepStatus.GESLOTEN, OproepStatus.CONCEPT])
def test_drafts_of_a_call_that_is_not_open_get_nothing(
    status, verband, regisseur, send, mailoutbox
):
    oproep = OproepFactory.create(slug=f"niet-open-{status}", status=status)
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep)
    assert send(aanvraag, 14) == []
    assert send(aanvraag, 2) == []
    assert mailoutbox == []


def test_reminder_goes_to_the_verbands_active_regisseurs(
    aanvraag, verband, regisseur, collega, send, mailoutbox
):
    tweede = UserFactory.create(regisseur_van=[verband], email="alice2@example.org")
    UserFactory.create(regisseur_van=[verband], email="vertrokken@example.org", is_active=False)
    send(aanvraag, 14)

    [message] = mailoutbox
    assert message.to == sorted([regisseur.email, tweede.email])
    for text in (message.body, message.alternatives[0][0]):
        assert verband.naam in text
        assert "dinsdag 15 januari 2030 om 23:59:59" in text
        assert "14 dagen voor de uiterste indiening" in text


def test_each_draft_of_the_call_gets_its_own_reminder(
    aanvraag, ander_verband, oproep, regisseur, collega, send, mailoutbox
):
    ander = AanvraagFactory.create(regieverband=ander_verband, oproep=oproep)
    sent = send(aanvraag, 14)

    assert sorted(h.aanvraag_id for h in sent) == sorted([aanvraag.pk, ander.pk])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([regisseur.email, collega.email])
    assert all(len(m.to) == 1 for m in mailoutbox)


def test_reminders_follow_an_extension(aanvraag, regisseur, beoordelaar, send, mailoutbox):
    deadline = aanvraag.oproep.deadline
    send(aanvraag, 14)
    verlenging_add(
        aanvraag=aanvraag,
        by=beoordelaar,
        tot=deadline + 10 * DAY,
        reden="Fusie van twee leden.",
        now=deadline - 5 * DAY,
    )
    # Two days before the original deadline is eight before the extension: nothing yet.
    assert send(aanvraag, 2) == []
    # Past the original deadline, two days before the extension.
    assert _moments(send(aanvraag, -8)) == [Herinneringsmoment.TWEE_DAGEN]
    assert "vrijdag 25 januari 2030 om 23:59:59" in mailoutbox[-1].body


# --- The command for cron -------------------------------------------------------------------------


def test_command_sends_the_reminders_that_are_due_and_says_how_many(
    verband, regisseur, django_capture_on_commit_callbacks, mailoutbox
):
    oproep = OproepFactory.create(
        slug="bijna-dicht", deadline=timezone.now().replace(microsecond=0) + 10 * DAY
    )
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_deadline_reminders", stdout=out)

    assert Herinnering.objects.get().moment == Herinneringsmoment.VEERTIEN_DAGEN
    assert [m.to for m in mailoutbox] == [[regisseur.email]]
    output = out.getvalue()
    assert aanvraag.referentie in output
    assert "14 dagen voor de uiterste indiening" in output
    assert output.rstrip().endswith("Herinneringen verstuurd: 1.")

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_deadline_reminders", stdout=out)
    assert out.getvalue() == "Herinneringen verstuurd: 0.\n"
    assert len(mailoutbox) == 1


def test_a_reminder_whose_email_failed_is_sent_at_the_next_run(
    aanvraag, regisseur, send, mailoutbox, monkeypatch, caplog
):

    real = send_deadline_reminder

    def broken(**kwargs):
        raise OSError("SMTP-server onbereikbaar")

    monkeypatch.setattr(notifications, "send_deadline_reminder", broken)
    assert send(aanvraag, 14) == []
    assert not Herinnering.objects.exists()
    assert "niet verstuurd" in caplog.text

    monkeypatch.setattr(notifications, "send_deadline_reminder", real)
    assert _moments(send(aanvraag, 13.9)) == [Herinneringsmoment.VEERTIEN_DAGEN]
    assert len(mailoutbox) == 1
