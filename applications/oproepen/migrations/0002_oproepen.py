"""The two known calls of DOMAIN.md with their priorities and attachments. The open demo call
is made by seed_demo.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import migrations

BRUSSELS = ZoneInfo("Europe/Brussels")

CALLS = [
    {
        "slug": "2020-2025",
        "naam": "Lokale regierol sociale economie 2020-2025",
        "eerste_jaar": 2020,
        "laatste_jaar": 2025,
        "deadline": datetime.datetime(2020, 1, 15, 23, 59, 59, tzinfo=BRUSSELS),
        "jaarbudget": Decimal("2225000.00"),
        "status": "gesloten",
        "min_inwoners": 60000,
        "subsidieformule": "bevolkingsschijven-2020",
        "beschrijving": "Het oude regime: drie verplichte jaarlijkse acties.",
        "opmerking": (
            "Budget: 2,225 miljoen EUR per jaar volgens de oproep; een andere bron noemt 2,7 "
            "miljoen. De oproep kende geen rapporteringscodes: THEMA-1 tot THEMA-3 zijn "
            "volgnummers van het portaal. Vereiste bijlagen zijn niet gekend."
        ),
        "prioriteiten": [
            ("THEMA-1", "De netwerking op het grondgebied stimuleren", ""),
            ("THEMA-2", "De lokale sociale economie verder uitbouwen", ""),
            ("THEMA-3", "Het maatschappelijk verantwoord ondernemen bevorderen", ""),
        ],
        "bijlagen": [],
    },
    {
        "slug": "2023-2025",
        "naam": "Lokale regierol sociale economie en werk 2023-2025",
        "eerste_jaar": 2023,
        "laatste_jaar": 2025,
        "deadline": datetime.datetime(2023, 1, 15, 23, 59, 59, tzinfo=BRUSSELS),
        "jaarbudget": Decimal("3000000.00"),
        "status": "gesloten",
        "min_inwoners": None,
        "subsidieformule": "onbekend",
        "beschrijving": (
            "Oproep na de verbreding van de regierol naar sociale economie en werk (besluit van "
            "de Vlaamse Regering van 29 april 2022). Minstens één actie per beleidsprioriteit "
            "per jaar."
        ),
        "opmerking": (
            "Onbekend en daarom niet ingevuld: de subsidieformule en het minimum aantal "
            "inwoners. Aangenomen: een bestuur zit in hoogstens één regieverband, en de "
            "vereiste bijlagen zijn een beslissing van elk lid en de LSO met VDAB."
        ),
        "prioriteiten": [
            (
                "WSE-LR1",
                "Het opnemen van de lokale regierol sociale economie en werk door de lokale "
                "besturen",
                "Omgevingsanalyse, visievorming en beleidsplanning, netwerking en verantwoording.",
            ),
            (
                "WSE-LR2",
                "De tewerkstelling van mensen met een afstand tot de arbeidsmarkt in de "
                "reguliere en de sociale economie bevorderen en daarbij drempels richting de "
                "arbeidsmarkt wegnemen",
                "Onder meer wijk-werken, tijdelijke werkervaring en gemeenschapsdienst.",
            ),
            (
                "WSE-LR3",
                "Het ondernemerschap, waaronder het sociaal ondernemen en het maatschappelijk "
                "verantwoord ondernemen, bevorderen",
                "",
            ),
            (
                "WSE-LR4",
                "De samenwerking en partnerschappen met VDAB en andere lokale "
                "arbeidsmarktactoren faciliteren en een lokale samenwerkingsovereenkomst met "
                "VDAB sluiten en opvolgen",
                "",
            ),
        ],
        "bijlagen": [
            (
                "beslissing-lid",
                "Beslissing van de raad of het bestuur van het lid",
                "De beslissing van de gemeenteraad, de raad voor maatschappelijk welzijn of "
                "het bestuursorgaan van elk lid om deel te nemen aan het regieverband.",
                True,
            ),
            (
                "lso-vdab",
                "Lokale samenwerkingsovereenkomst met VDAB",
                "De lokale samenwerkingsovereenkomst (LSO) met VDAB, of het ontwerp ervan.",
                False,
            ),
        ],
    },
]


def create_calls(apps, schema_editor):
    Oproep = apps.get_model("oproepen", "Oproep")
    Beleidsprioriteit = apps.get_model("oproepen", "Beleidsprioriteit")
    BijlageType = apps.get_model("oproepen", "BijlageType")
    for call in CALLS:
        data = {k: v for k, v in call.items() if k not in {"prioriteiten", "bijlagen", "slug"}}
        oproep, _ = Oproep.objects.update_or_create(slug=call["slug"], defaults=data)
        for volgorde, (code, titel, beschrijving) in enumerate(call["prioriteiten"], start=1):
            Beleidsprioriteit.objects.update_or_create(
                oproep=oproep,
                code=code,
                defaults={"titel": titel, "beschrijving": beschrijving, "volgorde": volgorde},
            )
        for volgorde, (code, naam, beschrijving, per_lid) in enumerate(call["bijlagen"], start=1):
            BijlageType.objects.update_or_create(
                oproep=oproep,
                code=code,
                defaults={
                    "naam": naam,
                    "beschrijving": beschrijving,
                    "per_lid": per_lid,
                    "volgorde": volgorde,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("oproepen", "0001_initial")]

    operations = [migrations.RunPython(create_calls, migrations.RunPython.noop)]
