"""What the API shows of each object. Never contact persons, reviews, scores or internal
notes: those stay on WSE's pages; nor who booked a payment or filled in, submitted or judged
an opvolgmoment (names of people, not needed to sync)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.aanvragen.models import Aanvraag, Actie
from applications.beoordeling.models import Beslissing
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.oproepen.models import Beleidsprioriteit, Oproep
from applications.uitvoering.models import Actierapport, Boeking, Opvolgmoment
from applications.uitvoering.selectors import Jaarstand, Opvolgstand


class PrioriteitSerializer(serializers.ModelSerializer[Beleidsprioriteit]):
    oproep = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Beleidsprioriteit
        fields = ("id", "oproep", "code", "titel", "beschrijving", "volgorde")


class OproepSerializer(serializers.ModelSerializer[Oproep]):
    prioriteiten = PrioriteitSerializer(many=True, read_only=True)

    class Meta:
        model = Oproep
        fields = (
            "slug",
            "naam",
            "eerste_jaar",
            "laatste_jaar",
            "deadline",
            "jaarbudget",
            "status",
            "beslissingen_gepubliceerd",
            "prioriteiten",
        )


class BestuurSerializer(serializers.ModelSerializer[LokaalBestuur]):
    class Meta:
        model = LokaalBestuur
        fields = ("nis_code", "naam", "provincie")


class LidSerializer(serializers.Serializer[Any]):
    bestuur = BestuurSerializer(read_only=True)
    van = serializers.DateField(read_only=True)
    tot = serializers.DateField(read_only=True, allow_null=True)


class RegieverbandSerializer(serializers.ModelSerializer[Regieverband]):
    trekker = BestuurSerializer(read_only=True, allow_null=True)
    leden = LidSerializer(many=True, read_only=True, source="lidmaatschappen")

    class Meta:
        model = Regieverband
        fields = ("id", "naam", "rechtsvorm", "trekker", "leden")


class ActieSerializer(serializers.ModelSerializer[Actie]):
    prioriteit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Actie
        fields = ("id", "jaar", "prioriteit", "titel", "budget")


class AanvraagSerializer(serializers.ModelSerializer[Aanvraag]):
    oproep = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regieverband = serializers.PrimaryKeyRelatedField(read_only=True)
    regieverband_naam = serializers.CharField(source="regieverband.naam", read_only=True)
    referentie = serializers.CharField(read_only=True)
    gevraagd = serializers.SerializerMethodField(help_text="Jaar -> som van de actiebudgetten.")
    toegekend = serializers.SerializerMethodField(
        help_text="Jaar -> toegekend bedrag volgens de beslissing; leeg zolang niet goedgekeurd."
    )
    acties = ActieSerializer(many=True, read_only=True)

    class Meta:
        model = Aanvraag
        fields = (
            "id",
            "referentie",
            "oproep",
            "regieverband",
            "regieverband_naam",
            "status",
            "versie",
            "ingediend_op",
            "gewijzigd_op",
            "gevraagd",
            "toegekend",
            "acties",
        )

    def get_gevraagd(self, aanvraag: Aanvraag) -> dict[str, str]:
        per_jaar: dict[int, Decimal] = defaultdict(Decimal)
        for actie in aanvraag.acties.all():
            per_jaar[actie.jaar] += actie.budget
        return {str(j): f"{b:.2f}" for j, b in sorted(per_jaar.items())}

    def get_toegekend(self, aanvraag: Aanvraag) -> dict[str, str]:
        beslissing = getattr(aanvraag, "beslissing", None)
        if beslissing is None:
            return {}
        return {str(j): f"{b:.2f}" for j, b in sorted(beslissing.bedragen_per_jaar.items())}


class BeslissingSerializer(serializers.ModelSerializer[Beslissing]):
    referentie = serializers.CharField(source="aanvraag.referentie", read_only=True)
    toegekend = serializers.SerializerMethodField(help_text="Jaar -> toegekend bedrag in EUR.")

    class Meta:
        model = Beslissing
        fields = ("id", "aanvraag", "referentie", "uitkomst", "toegekend", "motivatie", "op")

    def get_toegekend(self, beslissing: Beslissing) -> dict[str, str]:
        return {str(j): f"{b:.2f}" for j, b in sorted(beslissing.bedragen_per_jaar.items())}


# --- Uitvoering: opvolgmomenten and payments ---------------------------------------------------


class ActierapportSerializer(serializers.Serializer[Any]):
    """One action of the year with what the opvolgmoment says of it (empty while not filled in)."""

    actie = serializers.IntegerField(help_text="Id van de actie in het meerjarenplan.")
    prioriteit = serializers.CharField(help_text="Rapporteringscode van de beleidsprioriteit.")
    titel = serializers.CharField()
    realisatie = serializers.CharField(
        help_text="gerealiseerd, lopend, uitgesteld, geschrapt; leeg zolang niet ingevuld."
    )
    bbc_actie = serializers.CharField(help_text="De actie in het BBC-meerjarenplan van de trekker.")
    code_toegepast = serializers.BooleanField(
        help_text="Of de rapporteringscode van de prioriteit daar toegepast is."
    )
    toelichting = serializers.CharField()


class OpvolgmomentSerializer(serializers.ModelSerializer[Opvolgmoment]):
    referentie = serializers.CharField(source="aanvraag.referentie", read_only=True)
    oproep = serializers.CharField(source="aanvraag.oproep.slug", read_only=True)
    regieverband = serializers.IntegerField(source="aanvraag.regieverband_id", read_only=True)
    uiterlijk = serializers.SerializerMethodField(
        help_text="Uiterlijk in te dienen op (een instelling van de oproep)."
    )
    te_laat = serializers.SerializerMethodField(
        help_text="De termijn is voorbij en het opvolgmoment is nooit ingediend."
    )
    acties = serializers.SerializerMethodField()

    class Meta:
        model = Opvolgmoment
        fields = (
            "id",
            "aanvraag",
            "referentie",
            "oproep",
            "regieverband",
            "jaar",
            "status",
            "uiterlijk",
            "te_laat",
            "ingediend_op",
            "beoordeeld_op",
            "gewijzigd_op",
            "acties",
        )

    def _termijn(self, moment: Opvolgmoment) -> Any:
        return next(
            (t for t in moment.aanvraag.oproep.opvolgtermijnen.all() if t.jaar == moment.jaar),
            None,
        )

    def get_uiterlijk(self, moment: Opvolgmoment) -> datetime.date | None:
        termijn = self._termijn(moment)
        return termijn.uiterlijk if termijn is not None else None

    def get_te_laat(self, moment: Opvolgmoment) -> bool:
        termijn = self._termijn(moment)
        if termijn is None:
            return False
        return Opvolgstand(termijn=termijn, moment=moment, vandaag=timezone.localdate()).te_laat

    @extend_schema_field(ActierapportSerializer(many=True))
    def get_acties(self, moment: Opvolgmoment) -> list[dict[str, Any]]:
        rapporten: dict[int, Actierapport] = {r.actie_id: r for r in moment.rapporten.all()}
        rijen = []
        for actie in moment.aanvraag.acties.all():
            if actie.jaar != moment.jaar:
                continue
            rapport = rapporten.get(actie.pk)
            rijen.append(
                {
                    "actie": actie.pk,
                    "prioriteit": actie.prioriteit.code,
                    "titel": actie.titel,
                    "realisatie": rapport.realisatie if rapport else "",
                    "bbc_actie": rapport.bbc_actie if rapport else "",
                    "code_toegepast": rapport.code_toegepast if rapport else False,
                    "toelichting": rapport.toelichting if rapport else "",
                }
            )
        return ActierapportSerializer(rijen, many=True).data


class BoekingSerializer(serializers.ModelSerializer[Boeking]):
    bedrag = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        help_text="Met teken: een betaling positief, een correctie of terugbetaling negatief.",
    )

    class Meta:
        model = Boeking
        fields = ("id", "jaar", "soort", "datum", "bedrag", "referentie", "geboekt_op")


class JaarstandSerializer(serializers.Serializer[Jaarstand]):
    jaar = serializers.IntegerField()
    toegekend = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Volgens de nieuwste beslissing over de bedragen, anders de beslissing.",
    )
    betaald = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="Betalingen min correcties en terugbetalingen.",
    )
    openstaand = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Nog te betalen."
    )
    terug_te_vorderen = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Meer betaald dan nu toegekend."
    )


class BetalingenSerializer(serializers.ModelSerializer[Aanvraag]):
    """The ledger of one granted aanvraag; the years come from the view's context
    (`jaarstanden`, computed for a whole page at once)."""

    aanvraag = serializers.IntegerField(source="pk", read_only=True)
    referentie = serializers.CharField(read_only=True)
    oproep = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regieverband = serializers.PrimaryKeyRelatedField(read_only=True)
    regieverband_naam = serializers.CharField(source="regieverband.naam", read_only=True)
    jaren = serializers.SerializerMethodField()
    boekingen = BoekingSerializer(many=True, read_only=True)
    gewijzigd_op = serializers.DateTimeField(
        source="betalingen_gewijzigd_op",
        read_only=True,
        help_text="De laatste boeking of beslissing over de bedragen.",
    )

    class Meta:
        model = Aanvraag
        fields = (
            "aanvraag",
            "referentie",
            "oproep",
            "regieverband",
            "regieverband_naam",
            "jaren",
            "boekingen",
            "gewijzigd_op",
        )

    @extend_schema_field(JaarstandSerializer(many=True))
    def get_jaren(self, aanvraag: Aanvraag) -> Any:
        return JaarstandSerializer(self.context["jaarstanden"][aanvraag.pk], many=True).data
