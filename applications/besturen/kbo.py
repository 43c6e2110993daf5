"""KBO numbers (ondernemingsnummers of the Kruispuntbank van Ondernemingen): ten digits, the last
two 97 minus the first eight modulo 97. A gemeente and its OCMW each have one; so does a
regieverband that is a legal person of its own. ACM/IDM names a person's organisation by it.

The numbers are data that a beheerder brings (`manage.py import_kbo FILE`, `kbo_import.py`); the
portal ships none, except the demo's plainly fictitious one."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Plainly fictitious (valid check digits, no real enterprise): the demo's trekker carries it.
FICTIEF_KBO = "0000000097"


def normaliseer_kbo(tekst: str) -> str:
    """Digits only ("0207.451.227", "BE 0207 451 227" and "207451227" are one number); a number
    of nine digits (written before the leading 0 was added in 2005) gets its 0."""
    cijfers = re.sub(r"\D", "", tekst)
    return f"0{cijfers}" if len(cijfers) == 9 else cijfers


def kbo_klopt(nummer: str) -> bool:
    """Ten digits whose last two are 97 minus the first eight modulo 97."""
    if not re.fullmatch(r"[0-9]{10}", nummer):
        return False
    return 97 - int(nummer[:8]) % 97 == int(nummer[8:])


def controleer_kbo(tekst: str) -> str:
    """The number in its one spelling, or a ValidationError in Dutch."""
    nummer = normaliseer_kbo(tekst)
    if len(nummer) != 10:
        raise ValidationError(
            _("Een KBO-nummer heeft 10 cijfers, bv. 0207.451.227."), code="kbo_lengte"
        )
    if not kbo_klopt(nummer):
        raise ValidationError(
            _("De laatste twee cijfers van KBO-nummer %(nummer)s kloppen niet (controlegetal).")
            % {"nummer": nummer},
            code="kbo_controlegetal",
        )
    return nummer


def kbo_validator(waarde: str) -> None:
    """For model fields: the stored value is already in its one spelling."""
    if waarde and (normaliseer_kbo(waarde) != waarde or not kbo_klopt(waarde)):
        controleer_kbo(waarde)
        raise ValidationError(
            _("Schrijf een KBO-nummer als 10 cijfers zonder punten."), code="kbo_schrijfwijze"
        )
