from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from applications.beheer.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Laadt demogegevens: voorbeeldverbanden, demo-oproep, één gebruiker per rol (debug)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo maakt gebruikers met een bekend wachtwoord en draait daarom alleen "
                "met DJANGO_DEBUG=1."
            )
        result = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))
        self.stdout.write(f"Demo-oproep open tot {result['demo_deadline']:%Y-%m-%d %H:%M:%S %Z}.")
        self.stdout.write(f"Demo-aanmeldingen (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for email in result["users"]:  # type: ignore[attr-defined]
            self.stdout.write(f"  {email}")
        if not settings.REGIEROL_TWEESTAPS_VERPLICHT:
            self.stdout.write(
                "Aanmelden in twee stappen (authenticator-app) is in deze demo niet verplicht; het "
                "menu biedt het aan. In productie is het verplicht voor beoordelaars en beheerders."
            )
