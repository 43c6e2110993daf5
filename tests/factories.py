"""factory_boy factories. Every value is made up and says so where a person could mistake it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beoordeling.models import Beslissing
from applications.besturen.constants import Provincie, Rechtsvorm
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband
from applications.oproepen.constants import OproepStatus
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep

BRUSSELS = ZoneInfo("Europe/Brussels")


# Roles by get_or_create: a transactional test (browser, concurrency) may run after another one
# emptied the tables that the migrations fill.
class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.django.Password("geheim-wachtwoord-123")

    @factory.post_generation
    def regisseur_van(self: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=Rol.REGISSEUR.value)[0])
            for verband in extracted:
                verband.regisseurs.add(self)

    @factory.post_generation
    def beoordelaar(self: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=Rol.BEOORDELAAR.value)[0])

    @factory.post_generation
    def beheerder(self: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=Rol.BEHEERDER.value)[0])
            self.is_staff = True
            self.save(update_fields=["is_staff"])


class LokaalBestuurFactory(factory.django.DjangoModelFactory[LokaalBestuur]):
    """Reuses the imported bestuur when the NIS code exists (the migration loads all 285)."""

    class Meta:
        model = LokaalBestuur
        django_get_or_create = ("nis_code",)

    nis_code = factory.Sequence(lambda n: f"{90000 + n}")
    naam = factory.Sequence(lambda n: f"Testgemeente {n}")
    provincie = Provincie.LIMBURG


class RegieverbandFactory(factory.django.DjangoModelFactory[Regieverband]):
    class Meta:
        model = Regieverband
        django_get_or_create = ("naam",)

    naam = factory.Sequence(lambda n: f"Testverband {n}")
    rechtsvorm = Rechtsvorm.INTERLOKALE_VERENIGING


class LidmaatschapFactory(factory.django.DjangoModelFactory[Lidmaatschap]):
    class Meta:
        model = Lidmaatschap

    regieverband = factory.SubFactory(RegieverbandFactory)
    bestuur = factory.SubFactory(LokaalBestuurFactory)
    van = datetime.date(2020, 1, 1)


class OproepFactory(factory.django.DjangoModelFactory[Oproep]):
    """An open test call of three years, closing at the end of 15 January of its first year."""

    class Meta:
        model = Oproep
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Testoproep {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")
    eerste_jaar = 2030
    laatste_jaar = 2032
    deadline = factory.LazyAttribute(
        lambda o: datetime.datetime(o.eerste_jaar, 1, 15, 23, 59, 59, tzinfo=BRUSSELS)
    )
    jaarbudget = Decimal("3000000.00")
    status = OproepStatus.OPEN

    @factory.post_generation
    def prioriteiten(self: Oproep, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        count = 4 if extracted is None else extracted
        for i in range(1, count + 1):
            Beleidsprioriteit.objects.get_or_create(
                oproep=self, code=f"WSE-LR{i}", defaults={"titel": f"Prioriteit {i}", "volgorde": i}
            )

    @factory.post_generation
    def bijlagetypes(self: Oproep, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is False:
            return
        BijlageType.objects.get_or_create(
            oproep=self,
            code="beslissing-lid",
            defaults={"naam": "Beslissing van elk lid", "per_lid": True, "volgorde": 1},
        )
        BijlageType.objects.get_or_create(
            oproep=self,
            code="lso-vdab",
            defaults={"naam": "LSO met VDAB", "per_lid": False, "volgorde": 2},
        )


class AanvraagFactory(factory.django.DjangoModelFactory[Aanvraag]):
    class Meta:
        model = Aanvraag

    regieverband = factory.SubFactory(RegieverbandFactory)
    oproep = factory.SubFactory(OproepFactory)
    status = AanvraagStatus.CONCEPT

    class Params:
        ingediend = factory.Trait(
            status=AanvraagStatus.INGEDIEND,
            ingediend_op=factory.LazyAttribute(
                lambda o: o.oproep.deadline - datetime.timedelta(days=1)
            ),
        )
        in_behandeling = factory.Trait(status=AanvraagStatus.IN_BEHANDELING)
        wijzigingen_gevraagd = factory.Trait(status=AanvraagStatus.WIJZIGINGEN_GEVRAAGD)
        goedgekeurd = factory.Trait(status=AanvraagStatus.GOEDGEKEURD)
        afgewezen = factory.Trait(status=AanvraagStatus.AFGEWEZEN)
        ingetrokken = factory.Trait(status=AanvraagStatus.INGETROKKEN)


class ActieFactory(factory.django.DjangoModelFactory[Actie]):
    class Meta:
        model = Actie

    aanvraag = factory.SubFactory(AanvraagFactory)
    prioriteit = factory.LazyAttribute(lambda o: o.aanvraag.oproep.prioriteiten.first())
    jaar = factory.LazyAttribute(lambda o: o.aanvraag.oproep.eerste_jaar)
    titel = factory.Sequence(lambda n: f"Testactie {n}")
    beschrijving = "Verzonnen testtekst."
    budget = Decimal("1000.00")


class BeslissingFactory(factory.django.DjangoModelFactory[Beslissing]):
    """A decision recorded without rendering its letter (a stand-in file name and hash): for
    tests of what follows a decision, not of the letter."""

    class Meta:
        model = Beslissing

    aanvraag = factory.SubFactory(AanvraagFactory, goedgekeurd=True)
    uitkomst = AanvraagStatus.GOEDGEKEURD
    bedragen = factory.LazyAttribute(
        lambda o: (
            {str(j): "50000.00" for j in o.aanvraag.oproep.jaren}
            if o.uitkomst == AanvraagStatus.GOEDGEKEURD
            else {}
        )
    )
    motivatie = "Verzonnen motivatie."
    op = factory.LazyFunction(timezone.now)
    brief = "beslissingen/verzonnen.pdf"
    brief_sha256 = "0" * 64
    brief_grootte = 1
