"""E-mail addresses as the portal keeps and compares them: one spelling per mailbox.

PostgreSQL's case-insensitive comparison folds look-alike letters (`regi\u017fseur`, with a long
s, matched `regisseur`), while the login lockout counted each spelling on its own. So an address is
normalised once, at every door (login, password reset, invitations, the admin, the user model
itself), stored normalised and compared exactly:

- Unicode NFKC, then case-folded (and NFKC again): a long s (U+017F) becomes `s`, full-width
  letters plain ones, the Kelvin sign `k`, upper case lower case;
- the part before the @ must then be ASCII: a dotless i (U+0131) or an accented letter there is
  refused (`controleer_email`). Belgian public-sector mail servers do not offer internationalised
  mailboxes, and refusing them leaves no look-alike to confuse;
- the domain is written in ASCII (IDNA: `bücher.be` becomes `xn--bcher-kva.be`), the form mail
  servers use.
"""

from __future__ import annotations

import contextlib
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def normaliseer_email(adres: str) -> str:
    """The one spelling of `adres` (see the module); never raises, so a lookup of a strange
    spelling simply finds nothing."""
    tekst = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", adres).casefold()).strip()
    lokaal, at, domein = tekst.rpartition("@")
    if not at:
        return tekst
    # Not a valid domain: kept as typed, and refused by `controleer_email`.
    with contextlib.suppress(UnicodeError):
        domein = domein.encode("idna").decode("ascii")
    return f"{lokaal}@{domein}"


def controleer_email(adres: str) -> str:
    """The normalised address, or a ValidationError in Dutch when it is not one the portal
    accepts for an account."""
    genormaliseerd = normaliseer_email(adres)
    lokaal = genormaliseerd.rpartition("@")[0]
    if not lokaal.isascii():
        raise ValidationError(
            _(
                "Gebruik een e-mailadres met alleen gewone letters, cijfers en leestekens vóór de "
                "@ (geen letters met accenten of uit andere schriften)."
            ),
            code="niet_ascii",
        )
    try:
        validate_email(genormaliseerd)
    except ValidationError:
        raise ValidationError(
            _("Geef een geldig e-mailadres, bv. naam@gemeente.be."), code="invalid"
        ) from None
    if not genormaliseerd.isascii():
        raise ValidationError(
            _("Geef een geldig e-mailadres, bv. naam@gemeente.be."), code="invalid"
        )
    return genormaliseerd
