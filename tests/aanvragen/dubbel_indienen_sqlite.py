"""Run by test_double_submit.py in a subprocess against a fresh SQLite file (DATABASE_URL): two
requests submit the same aanvraag at the same moment. Prints what each got, as JSON."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regierol.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from applications.aanvragen.models import Indiening  # noqa: E402
from applications.berichten.models import Bericht  # noqa: E402
from tests.aanvraag_helpers import fill_everything  # noqa: E402
from tests.factories import (  # noqa: E402
    AanvraagFactory,
    LidmaatschapFactory,
    OproepFactory,
    RegieverbandFactory,
    UserFactory,
)


def main() -> None:
    assert connection.vendor == "sqlite"
    call_command("migrate", verbosity=0)
    verband = RegieverbandFactory.create(naam="Verband (sqlite)")
    LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code="73107")
    regisseur = UserFactory.create(regisseur_van=[verband], email="alice@example.org")
    aanvraag = AanvraagFactory.create(
        regieverband=verband, oproep=OproepFactory.create(slug="open-test")
    )
    fill_everything(aanvraag, regisseur)
    connection.close()

    barrier = threading.Barrier(2)
    uitkomsten: list[dict[str, object]] = []

    def indienen() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(regisseur)
        barrier.wait()
        antwoord = client.post(
            f"/aanvragen/{aanvraag.pk}/indienen/", {"mandaat": "on"}, follow=True
        )
        tekst = antwoord.content.decode()
        uitkomsten.append(
            {
                "status": antwoord.status_code,
                "ingediend": "Uw aanvraag is ingediend" in tekst,
                "al_ingediend": "Deze aanvraag is al ingediend" in tekst,
            }
        )
        connection.close()

    threads = [threading.Thread(target=indienen) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(
        json.dumps(
            {
                "uitkomsten": uitkomsten,
                "indieningen": Indiening.objects.filter(aanvraag=aanvraag).count(),
                "berichten": Bericht.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main()
