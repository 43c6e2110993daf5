"""Who may see and change an aanvraag, as plain functions; views turn a `False` into a 404 (may
not see) or a 403 (may see, not change) with `applications.core.permissions.check_access`."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import EDITABLE_STATUSES
from applications.accounts.permissions import AnyUser, is_wse
from applications.besturen.permissions import is_regisseur_of


def can_view_aanvraag(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """The verband's regisseurs, WSE reviewers and beheerders; nobody else learns it exists."""
    return is_wse(user) or is_regisseur_of(user, aanvraag.regieverband)


def can_edit_aanvraag(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Only the verband's regisseurs change the content, and only while it is editable.

    Whether the deadline still allows it is a separate rule (`deadline.is_open_for_editing`),
    because it depends on the time and on extensions, not on the user.
    """
    return is_regisseur_of(user, aanvraag.regieverband) and aanvraag.status in EDITABLE_STATUSES


# Whether an aanvraag's dossier is closed is the uitvoering's rule (`uitvoering.permissions.
# is_afgesloten`, on its Afsluiting rows), above this app and the review. It registers that rule
# here from its AppConfig.ready with `afsluitregel`, so the apps in between (the review's notes)
# ask the one rule without importing the app above them.
Afsluitregel = Callable[[Aanvraag], bool]
_afsluitregel: list[Afsluitregel] = []


def afsluitregel(functie: Afsluitregel) -> Afsluitregel:
    """Register the rule that says whether an aanvraag's dossier is closed (once)."""
    _afsluitregel[:] = [functie]
    return functie


def is_dossier_afgesloten(aanvraag: Aanvraag) -> bool:
    """Whether the aanvraag's dossier is closed (and not reopened), by the registered rule: then
    nothing about it may change any more. False while no app keeps closings."""
    return any(regel(aanvraag) for regel in _afsluitregel)


AFGESLOTEN = gettext_lazy("Dit dossier is afgesloten: er kan niets meer aan veranderen.")


def ensure_dossier_niet_afgesloten(aanvraag: Aanvraag) -> None:
    """Refuse any write to a closed dossier (`is_dossier_afgesloten`)."""
    if is_dossier_afgesloten(aanvraag):
        raise PermissionDenied(AFGESLOTEN)
