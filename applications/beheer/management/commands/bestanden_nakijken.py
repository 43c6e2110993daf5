import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from applications.beheer.backup import grootte_tekst
from applications.beheer.bestanden import (
    DEFAULT_WACHTTIJD,
    NietVerwijderd,
    Wees,
    nakijken,
    verwijder_wezen,
)


def _uren(waarde: str) -> datetime.timedelta:
    try:
        uren = float(waarde.replace(",", "."))
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
                f"Bestanden waarnaar geen rij verwijst, ouder dan {uren} uur ({len(nazicht.wezen)},"
                f" {grootte_tekst(sum(w.grootte for w in nazicht.wezen))}):"
            )
            self._lijst(nazicht.wezen)
        if nazicht.recent:
            self.stdout.write(
                f"Bestanden waarnaar geen rij verwijst, jonger dan {uren} uur"
                f" ({len(nazicht.recent)}); ze blijven staan, want misschien worden ze nog"
                " opgeslagen:"
            )
            self._lijst(nazicht.recent)
        if nazicht.ontbrekend:
            self.stderr.write(
                f"Bestanden waarnaar de database verwijst maar die in de opslag ontbreken"
                f" ({len(nazicht.ontbrekend)}):\n"
                + "\n".join(f"  {naam}" for naam in nazicht.ontbrekend)
            )
        if verwijder and nazicht.wezen:
            try:
                weg = verwijder_wezen(nazicht)
            except NietVerwijderd as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"Verwijderd: {len(weg)} bestand(en) waarnaar geen rij verwees"
                    f" ({grootte_tekst(sum(w.grootte for w in weg))})."
                )
            )
        elif nazicht.wezen:
            self.stdout.write("Niets verwijderd; --verwijder verwijdert ze.")
        if nazicht.ontbrekend:
            raise CommandError(
                f"{len(nazicht.ontbrekend)} bestand(en) uit de database ontbreken in de opslag."
            )
        if not nazicht.wezen and not nazicht.recent:
            self.stdout.write(self.style.SUCCESS("Elk bestand hoort bij een rij en omgekeerd."))

    def _lijst(self, wezen: list[Wees]) -> None:
        for wees in wezen:
            op = timezone.localtime(wees.gewijzigd_op).strftime("%d-%m-%Y %H:%M")
            self.stdout.write(f"  {wees.naam}  {grootte_tekst(wees.grootte)}  {op}")
