from typing import Any

from django.core.management.base import BaseCommand

from applications.aanvragen.constants import Herinneringsmoment
from applications.aanvragen.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Mailt de regisseurs van elke niet-ingediende aanvraag van een open oproep 14 en 2 dagen "
        "voor de uiterste indieningsdatum. Elke herinnering gaat één keer uit; de worker "
        "doet het elk uur."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        herinneringen = send_deadline_reminders()
        for herinnering in herinneringen:
            aanvraag = herinnering.aanvraag
            moment = Herinneringsmoment(herinnering.moment).label
            self.stdout.write(f"{aanvraag.referentie} ({aanvraag.regieverband.naam}): {moment}")
        self.stdout.write(f"Herinneringen verstuurd: {len(herinneringen)}.")
