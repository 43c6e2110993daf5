"""The beheer site's page of the payment tranches, a setting of each call."""

from __future__ import annotations

from django.contrib import admin

from applications.accounts.admin_base import BeheerderAdmin
from applications.uitvoering.models import Betalingsschijf


@admin.register(Betalingsschijf)
class BetalingsschijfAdmin(BeheerderAdmin):
    """Per call, which share of each year's granted amount is paid when (for example 60% at the
    start of the year, 40% after the opvolgmoment). Together at most 100%."""

    list_display = ("oproep", "volgorde", "naam", "percentage", "moment")
    list_filter = ("oproep",)
    list_select_related = ("oproep",)
    fields = ("oproep", "volgorde", "naam", "percentage", "moment")
