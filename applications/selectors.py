"""Reads: the querysets that pages use, with the joins that keep their query counts constant."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from .constants import OproepStatus
from .models import Aanvraag, Lidmaatschap, LokaalBestuur, Oproep, Regieverband, User
from .permissions import is_wse


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


def aanvraag_list_for_user(*, user: User) -> QuerySet[Aanvraag]:
    """The aanvragen a user may see, with verband and call joined."""
    qs = Aanvraag.objects.select_related("regieverband", "oproep")
    if is_wse(user):
        return qs
    if user.is_regisseur:
        return qs.filter(regieverband__regisseurs=user)
    return qs.none()


def open_oproepen() -> QuerySet[Oproep]:
    return Oproep.objects.filter(status=OproepStatus.OPEN).order_by("deadline")


def leden_op(regieverband: Regieverband, dag: datetime.date) -> list[LokaalBestuur]:
    """The besturen that are members of a verband on a given day, by name."""
    lidmaatschappen = (
        Lidmaatschap.objects.filter(regieverband=regieverband, van__lte=dag)
        .filter(Q(tot__isnull=True) | Q(tot__gte=dag))
        .select_related("bestuur")
        .order_by("bestuur__naam")
    )
    return [lid.bestuur for lid in lidmaatschappen]


def regieverband_detail(*, pk: int) -> Regieverband:
    return (
        Regieverband.objects.select_related("trekker")
        .prefetch_related(
            Prefetch(
                "lidmaatschappen",
                queryset=Lidmaatschap.objects.select_related("bestuur").order_by("bestuur__naam"),
            )
        )
        .get(pk=pk)
    )
