"""The beheer site's pages of two settings of each call: the payment tranches and the due
dates of the opvolgmomenten."""

from __future__ import annotations

from django.contrib import admin

from applications.accounts.admin_base import BeheerderAdmin
from applications.uitvoering.models import Betalingsschijf, Opvolgtermijn


@admin.register(Betalingsschijf)
class BetalingsschijfAdmin(BeheerderAdmin):
    """Per call, which share of each year's granted amount is paid when (for example 60% at the
    start of the year, 40% after the opvolgmoment). Together at most 100%."""

    list_display = ("oproep", "volgorde", "naam", "percentage", "moment")
    list_filter = ("oproep",)
    list_select_related = ("oproep",)
    fields = ("oproep", "volgorde", "naam", "percentage", "moment")


@admin.register(Opvolgtermijn)
class OpvolgtermijnAdmin(BeheerderAdmin):
    """Per call and year, by when the opvolgmoment is due (for example 30 June of the next year,
    when the jaarrekening is final). A year without a termijn has no opvolgmoment."""

    list_display = ("oproep", "jaar", "uiterlijk")
    list_filter = ("oproep",)
    list_select_related = ("oproep",)
    fields = ("oproep", "jaar", "uiterlijk")
