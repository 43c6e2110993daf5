import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from applications.backup import grootte_tekst
from applications.bestanden import DEFAULT_WACHTTIJD, Wees, nakijken, verwijder_wezen


def _uren(waarde: str) -> datetime.timedelta:
    try:
        uren = float(waarde)
    except ValueError:
        uren = -1
    if not 0 < uren < 24 * 366:
        raise ValueError(waarde)
    return datetime.timedelta(hours=uren)


_uren.__name__ = "aantal uren"  # argparse's message: "invalid aantal uren value"


class Command(BaseCommand):
    help = (
        "Vergelijkt de private bestanden met de rijen die ernaar verwijzen. Meldt bestanden "
        "zonder rij (achtergebleven na een afgebroken opslag) en rijen waarvan het bestand "
        "ontbreekt (dan faalt het commando). Met --verwijder worden de bestanden zonder rij die "
        "ouder zijn dan de wachttijd verwijderd."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--verwijder",
            action="store_true",
            help="Verwijder de bestanden zonder rij die ouder zijn dan de wachttijd.",
        )
        parser.add_argument(
            "--wachttijd",
            type=_uren,
            default=DEFAULT_WACHTTIJD,
            metavar="UREN",
            help=(
                "Een bestand zonder rij dat jonger is, kan van een opslag zijn die nog bezig is: "
                "het blijft staan (standaard 24)."
            ),
        )

    def handle(
        self, *args: Any, verwijder: bool, wachttijd: datetime.timedelta, **options: Any
    ) -> None:
        nazicht = nakijken(wachttijd=wachttijd)
        uren = f"{wachttijd.total_seconds() / 3600:g}".replace(".", ",")
        self.stdout.write(f"{nazicht.bestanden} bestand(en) in de opslag.")
        if nazicht.wezen:
            self.stdout.write(
                f"{len(nazicht.wezen)} bestand(en) zonder rij, ouder dan {uren} uur"
                f" ({grootte_tekst(sum(w.grootte for w in nazicht.wezen))}):"
            )
            self._lijst(nazicht.wezen)
        if nazicht.recent:
            self.stdout.write(
                f"{len(nazicht.recent)} bestand(en) zonder rij, jonger dan {uren} uur (blijven"
                " staan: misschien nog in opslag):"
            )
            self._lijst(nazicht.recent)
        if verwijder and nazicht.wezen:
            weg = verwijder_wezen(nazicht)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(weg)} bestand(en) zonder rij verwijderd"
                    f" ({grootte_tekst(sum(w.grootte for w in weg))})."
                )
            )
        elif nazicht.wezen:
            self.stdout.write("Niets verwijderd; --verwijder verwijdert ze.")
        if nazicht.ontbrekend:
            raise CommandError(
                f"{len(nazicht.ontbrekend)} bestand(en) waarnaar de database verwijst,"
                " ontbreken in de opslag:\n" + "\n".join(f"  {naam}" for naam in nazicht.ontbrekend)
            )
        if not nazicht.wezen and not nazicht.recent:
            self.stdout.write(self.style.SUCCESS("Elk bestand hoort bij een rij en omgekeerd."))

    def _lijst(self, wezen: list[Wees]) -> None:
        for wees in wezen:
            op = timezone.localtime(wees.gewijzigd_op).strftime("%d-%m-%Y %H:%M")
            self.stdout.write(f"  {wees.naam}  {grootte_tekst(wees.grootte)}  {op}")
