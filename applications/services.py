"""Business rules: every write that matters goes through a function here.

Services take keyword-only arguments, validate, write in one transaction and record history.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import AANVRAAG_TRANSITIONS, AanvraagStatus, Rol
from .models import Aanvraag, Statuswijziging, User
from .permissions import is_regisseur_of


def effective_deadline(aanvraag: Aanvraag) -> datetime.datetime:
    """The call's deadline, or the latest extension WSE granted to this aanvraag if later."""
    deadline = aanvraag.oproep.deadline
    verlengingen = getattr(aanvraag, "_prefetched_objects_cache", {}).get("verlengingen")
    tots = (
        [v.tot for v in verlengingen]
        if verlengingen is not None
        else list(aanvraag.verlengingen.values_list("tot", flat=True))
    )
    return max([deadline, *tots])


def is_before_deadline(aanvraag: Aanvraag, *, now: datetime.datetime | None = None) -> bool:
    """The deadline rule: accepted up to and including the deadline's second, refused after it.

    The deadline is a whole second (e.g. 2023-01-15 23:59:59 Europe/Brussels); any moment within
    that second still counts, the next second does not. `now` is the server's clock, never the
    browser's.
    """
    now = now or timezone.now()
    return now.replace(microsecond=0) <= effective_deadline(aanvraag)


def roles_of(user: User, aanvraag: Aanvraag) -> set[Rol]:
    """The roles a user holds towards this aanvraag: a regisseur only for their own verband."""
    roles: set[Rol] = set()
    if is_regisseur_of(user, aanvraag.regieverband):
        roles.add(Rol.REGISSEUR)
    if user.is_beoordelaar:
        roles.add(Rol.BEOORDELAAR)
    return roles


def is_transition_allowed(
    *, van: AanvraagStatus | str, naar: AanvraagStatus | str, roles: set[Rol]
) -> bool:
    allowed = AANVRAAG_TRANSITIONS.get((AanvraagStatus(van), AanvraagStatus(naar)))
    return bool(allowed and allowed & roles)


@transaction.atomic
def aanvraag_transition(
    *,
    aanvraag: Aanvraag,
    naar: AanvraagStatus,
    by: User,
    reden: str = "",
    now: datetime.datetime | None = None,
) -> Aanvraag:
    """Change the status of an aanvraag, if the table allows it for this user's role.

    Locks the row so that two simultaneous changes cannot both pass the check, and writes a
    history row. Raises PermissionDenied (wrong role) or ValidationError (not in the table).
    """
    locked = Aanvraag.objects.select_for_update().get(pk=aanvraag.pk)
    van = AanvraagStatus(locked.status)
    if (van, naar) not in AANVRAAG_TRANSITIONS:
        raise ValidationError(
            _("Een aanvraag met status '%(van)s' kan niet naar '%(naar)s'.")
            % {"van": van.label, "naar": naar.label},
            code="transition_not_allowed",
        )
    if not is_transition_allowed(van=van, naar=naar, roles=roles_of(by, locked)):
        raise PermissionDenied(_("U mag deze statuswijziging niet uitvoeren."))
    now = now or timezone.now()
    locked.status = naar
    locked.save(update_fields=["status", "gewijzigd_op"])
    Statuswijziging.objects.create(
        aanvraag=locked, van=van, naar=naar, door=by, op=now, reden=reden
    )
    aanvraag.status = locked.status
    return locked
