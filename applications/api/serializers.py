"""What the API shows of each object. Never contact persons, reviews, scores or internal
notes: those stay on WSE's pages."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from applications.aanvragen.models import Aanvraag, Actie
from applications.beoordeling.models import Beslissing
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.oproepen.models import Beleidsprioriteit, Oproep


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
