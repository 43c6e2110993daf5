"""The read-only API under /api/v1/, and the pages where tokens are made and revoked.

Every API answer is logged (`ApiAanroep`), carries an ETag (and a Last-Modified where the
objects have a time of change) and answers 304 to a client that has it already, so WSE's systems
can sync incrementally with `gewijzigd_sinds` and conditional requests.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import DateTimeField, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.permissions import user_of
from applications.api import permissions, serializers, services
from applications.api.constants import Scope
from applications.api.forms import TokenForm
from applications.api.models import ApiAanroep, ApiToken
from applications.beoordeling.models import Beslissing
from applications.besturen.models import Lidmaatschap, Regieverband
from applications.core.clientip import client_ip
from applications.core.permissions import check_access
from applications.oproepen.models import Beleidsprioriteit, Oproep
from applications.uitvoering.models import (
    Boeking,
    Herbeslissing,
    Opvolgmoment,
    Opvolgtermijn,
    Terugvordering,
)
from applications.uitvoering.selectors import jaarstanden

OPROEP = OpenApiParameter("oproep", OpenApiTypes.STR, description="Slug van de oproep.")
STATUS = OpenApiParameter("status", OpenApiTypes.STR, enum=AanvraagStatus.values)
VERBAND = OpenApiParameter("regieverband", OpenApiTypes.INT, description="Id van het verband.")
SINDS = OpenApiParameter(
    "gewijzigd_sinds",
    OpenApiTypes.DATETIME,
    description="Alleen wat op of na dit tijdstip (ISO 8601) gewijzigd is.",
)


class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    """Logging, filters and conditional GET for every endpoint."""

    scope: str
    lookup_value_regex = "[0-9]+"
    # The field with the object's time of change, for Last-Modified and `gewijzigd_sinds`.
    gewijzigd_veld: str | None = None

    def _param(self, naam: str) -> str:
        return self.request.query_params.get(naam, "").strip()

    def _sinds(self) -> datetime.datetime | None:
        tekst = self._param("gewijzigd_sinds")
        if not tekst:
            return None
        moment = parse_datetime(tekst)
        if moment is None:
            dag = parse_date(tekst)
            moment = datetime.datetime.combine(dag, datetime.time()) if dag else None
        if moment is None:
            raise exceptions.ValidationError(
                {
                    "gewijzigd_sinds": _(
                        "Geen tijdstip; gebruik ISO 8601, bv. 2025-01-31T12:00:00+01:00."
                    )
                }
            )
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        sinds = self._sinds() if self.gewijzigd_veld else None
        if sinds is not None:
            queryset = queryset.filter(**{f"{self.gewijzigd_veld}__gte": sinds})
        return queryset

    def _voorwaardelijk(self, request: Request, response: Response, qs: QuerySet[Any]) -> Response:
        """ETag of the answer's data (and Last-Modified of its newest object); 304 when the
        client has that version."""
        etag = quote_etag(
            hashlib.sha256(
                json.dumps(response.data, sort_keys=True, default=str).encode()
            ).hexdigest()[:32]
        )
        response["ETag"] = etag
        laatst = None
        if self.gewijzigd_veld:
            laatst = qs.aggregate(m=Max(self.gewijzigd_veld))["m"]
            if laatst is not None:
                response["Last-Modified"] = http_date(laatst.timestamp())
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Authorization"
        if_none_match = request.headers.get("If-None-Match")
        if_modified_since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        if (if_none_match and etag in [e.strip() for e in if_none_match.split(",")]) or (
            not if_none_match
            and laatst is not None
            and if_modified_since is not None
            and int(laatst.timestamp()) <= if_modified_since
        ):
            niet_gewijzigd = Response(status=status.HTTP_304_NOT_MODIFIED)
            for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if header in response:
                    niet_gewijzigd[header] = response[header]
            return niet_gewijzigd
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        return self._voorwaardelijk(request, response, self.filter_queryset(self.get_queryset()))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        qs = self.get_queryset().filter(pk=self.get_object().pk)
        return self._voorwaardelijk(request, response, qs)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        ApiAanroep.objects.create(
            token=request.auth if isinstance(request.auth, ApiToken) else None,
            methode=request.method or "",
            pad=request.get_full_path()[:500],
            status=response.status_code,
            ip=client_ip(request._request),
        )
        return response


@extend_schema_view(
    list=extend_schema(summary="Oproepen"), retrieve=extend_schema(summary="Oproep")
)
class OproepViewSet(ApiViewSet):
    scope = Scope.OPROEPEN
    serializer_class = serializers.OproepSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self) -> QuerySet[Oproep]:
        return Oproep.objects.prefetch_related(
            Prefetch("prioriteiten", queryset=Beleidsprioriteit.objects.select_related("oproep"))
        ).order_by("-eerste_jaar", "slug")


@extend_schema_view(
    list=extend_schema(summary="Beleidsprioriteiten", parameters=[OPROEP]),
    retrieve=extend_schema(summary="Beleidsprioriteit"),
)
class PrioriteitViewSet(ApiViewSet):
    scope = Scope.OPROEPEN
    serializer_class = serializers.PrioriteitSerializer

    def get_queryset(self) -> QuerySet[Beleidsprioriteit]:
        return Beleidsprioriteit.objects.select_related("oproep").order_by(
            "oproep__slug", "volgorde", "code"
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self._param("oproep"):
            queryset = queryset.filter(oproep__slug=self._param("oproep"))
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(summary="Regieverbanden met hun leden"),
    retrieve=extend_schema(summary="Regieverband"),
)
class RegieverbandViewSet(ApiViewSet):
    scope = Scope.VERBANDEN
    serializer_class = serializers.RegieverbandSerializer

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a token
            return Regieverband.objects.none()
        return (
            permissions.verbanden_voor(permissions.token_of(self.request))
            .select_related("trekker")
            .prefetch_related(
                Prefetch(
                    "lidmaatschappen",
                    queryset=Lidmaatschap.objects.select_related("bestuur").order_by(
                        "bestuur__naam", "van"
                    ),
                )
            )
            .order_by("naam")
        )


def _geheel_getal(waarde: str, naam: str) -> int:
    if not waarde.isdigit():
        raise exceptions.ValidationError({naam: _("Geef een getal.")})
    return int(waarde)


@extend_schema_view(
    list=extend_schema(
        summary="Aanvragen met bedragen en acties", parameters=[OPROEP, STATUS, VERBAND, SINDS]
    ),
    retrieve=extend_schema(summary="Aanvraag"),
)
class AanvraagViewSet(ApiViewSet):
    scope = Scope.AANVRAGEN
    serializer_class = serializers.AanvraagSerializer
    gewijzigd_veld = "gewijzigd_op"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a token
            return Aanvraag.objects.none()
        return (
            permissions.aanvragen_voor(permissions.token_of(self.request))
            .select_related("beslissing")
            .prefetch_related(
                Prefetch(
                    "acties",
                    queryset=Actie.objects.select_related("prioriteit").order_by(
                        "jaar", "prioriteit__volgorde", "volgorde", "pk"
                    ),
                )
            )
            .order_by("oproep__slug", "regieverband__naam", "pk")
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self._param("oproep"):
            queryset = queryset.filter(oproep__slug=self._param("oproep"))
        if self._param("status"):
            if self._param("status") not in AanvraagStatus.values:
                raise exceptions.ValidationError({"status": _("Onbekende status.")})
            queryset = queryset.filter(status=self._param("status"))
        if self._param("regieverband"):
            verband = _geheel_getal(self._param("regieverband"), "regieverband")
            queryset = queryset.filter(regieverband_id=verband)
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(summary="Beslissingen", parameters=[OPROEP, VERBAND, SINDS]),
    retrieve=extend_schema(summary="Beslissing"),
)
class BeslissingViewSet(ApiViewSet):
    scope = Scope.AANVRAGEN
    serializer_class = serializers.BeslissingSerializer
    gewijzigd_veld = "op"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a token
            return Beslissing.objects.none()
        aanvragen = permissions.aanvragen_voor(permissions.token_of(self.request))
        return (
            Beslissing.objects.filter(aanvraag__in=aanvragen.values("pk"))
            .select_related("aanvraag__oproep")
            .order_by("-op", "pk")
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self._param("oproep"):
            queryset = queryset.filter(aanvraag__oproep__slug=self._param("oproep"))
        if self._param("regieverband"):
            verband = _geheel_getal(self._param("regieverband"), "regieverband")
            queryset = queryset.filter(aanvraag__regieverband_id=verband)
        return super().filter_queryset(queryset)


def _uitvoering_voor(token: ApiToken) -> QuerySet[Aanvraag]:
    """The aanvragen with an uitvoering that a token may read: granted, and seen by the token
    as on the pages (the uitvoering page answers 404 for an aanvraag that was not granted)."""
    return permissions.aanvragen_voor(token).filter(status=AanvraagStatus.GOEDGEKEURD)


@extend_schema_view(
    list=extend_schema(
        summary="Opvolgmomenten per aanvraag en jaar", parameters=[OPROEP, VERBAND, SINDS]
    ),
    retrieve=extend_schema(summary="Opvolgmoment"),
)
class OpvolgmomentViewSet(ApiViewSet):
    """An opvolgmoment exists once the verband's regisseurs saved it for the first time; a year
    whose due date is set but that nobody started is not listed."""

    scope = Scope.UITVOERING
    serializer_class = serializers.OpvolgmomentSerializer
    gewijzigd_veld = "gewijzigd_op"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a token
            return Opvolgmoment.objects.none()
        aanvragen = _uitvoering_voor(permissions.token_of(self.request))
        return (
            Opvolgmoment.objects.filter(aanvraag__in=aanvragen.values("pk"))
            .select_related("aanvraag__oproep", "aanvraag__regieverband")
            .prefetch_related(
                Prefetch(
                    "aanvraag__oproep__opvolgtermijnen",
                    queryset=Opvolgtermijn.objects.order_by("jaar"),
                ),
                Prefetch(
                    "aanvraag__acties",
                    queryset=Actie.objects.select_related("prioriteit").order_by(
                        "jaar", "prioriteit__volgorde", "volgorde", "pk"
                    ),
                ),
                "rapporten",
            )
            .order_by("aanvraag__oproep__slug", "aanvraag__regieverband__naam", "jaar", "pk")
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self._param("oproep"):
            queryset = queryset.filter(aanvraag__oproep__slug=self._param("oproep"))
        if self._param("regieverband"):
            verband = _geheel_getal(self._param("regieverband"), "regieverband")
            queryset = queryset.filter(aanvraag__regieverband_id=verband)
        return super().filter_queryset(queryset)


def _laatste(model: type[Any], veld: str) -> Subquery:
    """The newest `veld` of an aanvraag's rows of `model`, as a subquery per aanvraag."""
    return Subquery(
        model.objects.filter(aanvraag=OuterRef("pk"))
        .order_by()
        .values("aanvraag")
        .annotate(m=Max(veld))
        .values("m")[:1],
        output_field=DateTimeField(),
    )


@extend_schema_view(
    list=extend_schema(
        summary="Betalingen per goedgekeurde aanvraag", parameters=[OPROEP, VERBAND, SINDS]
    ),
    retrieve=extend_schema(summary="Betalingen van een aanvraag (id van de aanvraag)"),
)
class BetalingenViewSet(ApiViewSet):
    """The ledger of each granted aanvraag, by the aanvraag's id: per year granted, paid,
    outstanding and to recover (as the uitvoering page computes them) and every booking."""

    scope = Scope.UITVOERING
    serializer_class = serializers.BetalingenSerializer
    # The newest of the decision, a later decision on the amounts, a booking or an amount to
    # recover: whatever changes the figures (PostgreSQL's GREATEST skips the empty ones).
    gewijzigd_veld = "betalingen_gewijzigd_op"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema, made without a token
            return Aanvraag.objects.none()
        return (
            _uitvoering_voor(permissions.token_of(self.request))
            .annotate(
                betalingen_gewijzigd_op=Greatest(
                    "beslissing__op",
                    _laatste(Herbeslissing, "op"),
                    _laatste(Boeking, "geboekt_op"),
                    _laatste(Terugvordering, "op"),
                )
            )
            .prefetch_related(
                Prefetch(
                    "boekingen",
                    queryset=Boeking.objects.order_by("jaar", "datum", "geboekt_op", "pk"),
                )
            )
            .order_by("oproep__slug", "regieverband__naam", "pk")
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self._param("oproep"):
            queryset = queryset.filter(oproep__slug=self._param("oproep"))
        if self._param("regieverband"):
            verband = _geheel_getal(self._param("regieverband"), "regieverband")
            queryset = queryset.filter(regieverband_id=verband)
        return super().filter_queryset(queryset)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        """The years of every aanvraag of the page (or the one) at once, in a fixed number of
        queries."""
        instance = args[0] if args else None
        if instance is None:
            aanvragen: list[Aanvraag] = []
        elif kwargs.get("many"):
            aanvragen = list(instance)
        else:
            aanvragen = [instance]
        kwargs["context"] = {**self.get_serializer_context(), "jaarstanden": jaarstanden(aanvragen)}
        return self.get_serializer_class()(*args, **kwargs)


# --- The regisseur's own tokens --------------------------------------------------------------


def _eigen_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(gebruiker=user_of(request)).order_by("-aangemaakt_op")


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """A regisseur's API tokens: make one (its text is shown on this answer only) and see the
    others. Nobody else has tokens of their own here (404)."""
    user = user_of(request)
    check_access(may_see=user.is_regisseur)
    nieuw = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, nieuw = services.token_maken(
                by=user,
                voor=user,
                naam=form.cleaned_data["naam"],
                scopes=form.cleaned_data["scopes"],
                verloopt_op=form.verloopt_op(),
            )
            form = TokenForm()
    else:
        form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": _eigen_tokens(request), "nieuw": nieuw, "nu": timezone.now()},
        status=400 if request.method == "POST" and form.errors else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def token_intrekken(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    check_access(may_see=user.is_regisseur)
    token = get_object_or_404(_eigen_tokens(request), pk=pk)
    services.token_intrekken(token=token, by=user)
    return redirect("api_tokens")
