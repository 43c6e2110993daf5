from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.accounts.models import User
from applications.besturen.fusies import Fusieplan, fusieplan, fusies_doorvoeren


class Command(BaseCommand):
    help = (
        "Voert de ingelezen fusies door in de regieverbanden: lopende lidmaatschappen van een "
        "opgeheven bestuur eindigen op zijn laatste dag, de opvolger wordt lid vanaf de "
        "fusiedatum. Zonder --uitvoeren een proefdraai die alleen toont wat er zou veranderen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--uitvoeren",
            action="store_true",
            help="Voer het plan echt uit (één transactie, met een regel per lid in de auditlog).",
        )
        parser.add_argument(
            "--door",
            metavar="E-MAILADRES",
            help="Het e-mailadres van de beheerder die het uitvoert (nodig met --uitvoeren).",
        )

    def handle(self, *args: Any, uitvoeren: bool, door: str | None, **options: Any) -> None:
        if not uitvoeren:
            plan = fusieplan()
            self.stdout.write("Proefdraai: er is niets gewijzigd.")
            self._schrijf(plan, uitgevoerd=False)
            if plan.overgangen:
                self.stdout.write(
                    "Voer het uit met: manage.py fusies_doorvoeren --uitvoeren --door E-MAILADRES"
                )
            return
        if not door:
            raise CommandError("Zeg met --door welke beheerder het uitvoert (voor de auditlog).")
        by = User.objects.filter(email__iexact=door, is_active=True).first()
        if by is None:
            raise CommandError(f"Geen actieve gebruiker met e-mailadres {door}.")
        try:
            plan = fusies_doorvoeren(by=by)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self._schrijf(plan, uitgevoerd=True)

    def _schrijf(self, plan: Fusieplan, *, uitgevoerd: bool) -> None:
        if plan.is_leeg:
            self.stdout.write(
                "Niets door te voeren: geen lopend lidmaatschap van een opgeheven bestuur."
            )
            return
        if plan.overgangen:
            kop = "Doorgevoerd" if uitgevoerd else "Zou doorvoeren"
            self.stdout.write(f"{kop} ({len(plan.overgangen)}):")
            for overgang in plan.overgangen:
                self.stdout.write(f"  {overgang.tekst()}")
        if plan.gemarkeerd:
            self.stdout.write(
                self.style.WARNING(f"Voor de beheerder, niet verplaatst ({len(plan.gemarkeerd)}):")
            )
            for geval in plan.gemarkeerd:
                self.stdout.write(self.style.WARNING(f"  {geval.tekst()}"))
        if uitgevoerd:
            self.stdout.write(self.style.SUCCESS("Klaar."))
