from typing import Any

from django.core.management.base import BaseCommand

from applications.uitvoering.constants import Opvolgherinneringsmoment
from applications.uitvoering.herinneringen import send_opvolg_herinneringen


class Command(BaseCommand):
    help = (
        "Mailt de regisseurs van een goedgekeurde aanvraag 14 dagen voor de termijn van een "
        "opvolgmoment en de dag erna, zolang het niet ingediend is. Elke herinnering gaat één "
        "keer uit; de worker doet het elke dag."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        herinneringen = send_opvolg_herinneringen()
        for h in herinneringen:
            moment = Opvolgherinneringsmoment(h.moment).label
            self.stdout.write(f"{h.aanvraag.referentie} {h.jaar}: {moment}")
        self.stdout.write(f"Herinneringen verstuurd: {len(herinneringen)}.")
