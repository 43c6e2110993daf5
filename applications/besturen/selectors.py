"""Reads of besturen and verbanden: a user's verbanden, members on a day, one verband's page,
the latest population and unemployment figure per bestuur."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)

from applications.accounts.models import User
from applications.accounts.permissions import is_wse
from applications.besturen.models import (
    Bevolking,
    Lidmaatschap,
    LokaalBestuur,
    Regieverband,
    Werkloosheidsgraad,
)


def regieverband_list_for_user(*, user: User) -> QuerySet[Regieverband]:
    """The verbanden a user may see: all for WSE, their own for a regisseur, none otherwise."""
    qs = Regieverband.objects.select_related("trekker").annotate(
        aantal_leden=Count("lidmaatschappen", filter=Q(lidmaatschappen__tot__isnull=True))
    )
    if is_wse(user):
        return qs
    if user.is_regisseur:
        return qs.filter(regisseurs=user)
    return qs.none()


def leden_op(regieverband: Regieverband, dag: datetime.date) -> list[LokaalBestuur]:
    """The besturen that are members of a verband on a given day, by name, each with its
    successor (for "sinds ... deel van ...") and its membership's mark (`lid_waarschijnlijk`)."""
    lidmaatschappen = (
        Lidmaatschap.objects.filter(regieverband=regieverband)
        .actief_op(dag)
        .select_related("bestuur__opvolger")
        .order_by("bestuur__naam")
    )
    return [met_markering(lid) for lid in lidmaatschappen]


def leden_per_verband(
    regieverbanden: Iterable[int] | QuerySet[Any], dag: datetime.date
) -> dict[int, list[LokaalBestuur]]:
    """Per verband (ids, or a query giving them) its members on `dag`, by name, each marked as
    `leden_op` marks it. One query."""
    per_verband: dict[int, list[LokaalBestuur]] = {}
    for lid in (
        Lidmaatschap.objects.actief_op(dag)
        .filter(regieverband_id__in=regieverbanden)
        .select_related("bestuur__opvolger")
        .order_by("bestuur__naam", "bestuur__nis_code")
    ):
        per_verband.setdefault(lid.regieverband_id, []).append(met_markering(lid))
    return per_verband


def met_markering(lid: Lidmaatschap) -> LokaalBestuur:
    """The membership's bestuur, carrying whether the membership is marked "waarschijnlijk"."""
    lid.bestuur.lid_waarschijnlijk = lid.waarschijnlijk
    return lid.bestuur


def regieverband_detail(*, pk: int) -> Regieverband:
    return (
        Regieverband.objects.select_related("trekker")
        .prefetch_related(
            Prefetch(
                "lidmaatschappen",
                queryset=Lidmaatschap.objects.select_related("bestuur__opvolger").order_by(
                    "bestuur__naam", "van"
                ),
            )
        )
        .get(pk=pk)
    )


NUL = Decimal(0)


def _laatste_per_bestuur(
    qs: QuerySet[Any], bestuur_ids: Iterable[int], *, jaarveld: str, waardeveld: str, jaar: int
) -> dict[int, Any]:
    """Per bestuur the value of its latest year up to `jaar`, in one query."""
    latest: dict[int, Any] = {}
    for bestuur_id, waarde in (
        qs.filter(bestuur_id__in=list(bestuur_ids), **{f"{jaarveld}__lte": jaar})
        .order_by("bestuur_id", f"-{jaarveld}")
        .values_list("bestuur_id", waardeveld)
    ):
        latest.setdefault(bestuur_id, waarde)
    return latest


def inwoners_per_bestuur(bestuur_ids: Iterable[int], *, jaar: int) -> dict[int, int]:
    """The latest known population (reference year up to `jaar`) per bestuur."""
    return _laatste_per_bestuur(
        Bevolking.objects.all(),
        bestuur_ids,
        jaarveld="referentiejaar",
        waardeveld="inwoners",
        jaar=jaar,
    )


def werkloosheid_per_bestuur(bestuur_ids: Iterable[int], *, jaar: int) -> dict[int, Decimal]:
    """The latest known unemployment rate (year up to `jaar`) per bestuur."""
    return _laatste_per_bestuur(
        Werkloosheidsgraad.objects.all(),
        bestuur_ids,
        jaarveld="jaar",
        waardeveld="percentage",
        jaar=jaar,
    )


def regisseurs_mailadressen(*, regieverband: Regieverband) -> list[str]:
    """Where mail for a verband's regisseurs goes: the address of each active regisseur, and the
    verband's contact address when one of them has none (people logging in through ACM/IDM may
    have no address in the portal). Sorted, each address once."""
    adressen = list(regieverband.regisseurs.filter(is_active=True).values_list("email", flat=True))
    if "" in adressen and regieverband.contact_email:
        adressen.append(regieverband.contact_email)
    return sorted({adres for adres in adressen if adres})
