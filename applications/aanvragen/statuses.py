"""The statuses of an aanvraag, the sets of statuses the rules speak of, and the table of allowed
status changes with the roles that may make each one. Nothing else defines a status set."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.accounts.constants import Rol


class AanvraagStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    INGEDIEND = "ingediend", _("Ingediend")
    IN_BEHANDELING = "in_behandeling", _("In behandeling")
    WIJZIGINGEN_GEVRAAGD = "wijzigingen_gevraagd", _("Wijzigingen gevraagd")
    GOEDGEKEURD = "goedgekeurd", _("Goedgekeurd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


S = AanvraagStatus


# The allowed status changes of an aanvraag and the roles that may make each one. Every change
# goes through `services.aanvraag_transition`, which checks this table; nothing else writes the
# status.
AANVRAAG_TRANSITIONS: dict[tuple[AanvraagStatus, AanvraagStatus], frozenset[Rol]] = {
    (S.CONCEPT, S.INGEDIEND): frozenset({Rol.REGISSEUR}),
    (S.INGEDIEND, S.IN_BEHANDELING): frozenset({Rol.BEOORDELAAR}),
    (S.IN_BEHANDELING, S.WIJZIGINGEN_GEVRAAGD): frozenset({Rol.BEOORDELAAR}),
    (S.WIJZIGINGEN_GEVRAAGD, S.INGEDIEND): frozenset({Rol.REGISSEUR}),
    # The due date for changes passed without a resubmission: WSE takes it back in review.
    (S.WIJZIGINGEN_GEVRAAGD, S.IN_BEHANDELING): frozenset({Rol.BEOORDELAAR}),
    (S.IN_BEHANDELING, S.GOEDGEKEURD): frozenset({Rol.BEOORDELAAR}),
    (S.IN_BEHANDELING, S.AFGEWEZEN): frozenset({Rol.BEOORDELAAR}),
    (S.CONCEPT, S.INGETROKKEN): frozenset({Rol.REGISSEUR}),
    (S.INGEDIEND, S.INGETROKKEN): frozenset({Rol.REGISSEUR}),
    (S.IN_BEHANDELING, S.INGETROKKEN): frozenset({Rol.REGISSEUR}),
    (S.WIJZIGINGEN_GEVRAAGD, S.INGETROKKEN): frozenset({Rol.REGISSEUR}),
}


# Statuses in which the regisseurs may change the content of their aanvraag (within the deadline).
EDITABLE_STATUSES = frozenset({S.CONCEPT, S.WIJZIGINGEN_GEVRAAGD})


# WSE's decision: approved or refused.
DECIDED_STATUSES = frozenset({AanvraagStatus.GOEDGEKEURD, AanvraagStatus.AFGEWEZEN})


# Once decided or withdrawn, an aanvraag is closed: no reviews, questions or new lead.
CLOSED_STATUSES = frozenset(
    {AanvraagStatus.GOEDGEKEURD, AanvraagStatus.AFGEWEZEN, AanvraagStatus.INGETROKKEN}
)


# Every status but a draft: the aanvraag was submitted at least once.
SUBMITTED_STATUSES = frozenset(s for s in AanvraagStatus if s != AanvraagStatus.CONCEPT)


# Competing (meedingend): submitted, neither refused nor withdrawn. These share a call's budget
# in the order of priority, and the coverage filter "ingediend" shows what they cover.
COMPETING_STATUSES = frozenset(
    {
        AanvraagStatus.INGEDIEND,
        AanvraagStatus.IN_BEHANDELING,
        AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
        AanvraagStatus.GOEDGEKEURD,
    }
)


# Out of the race: refused or withdrawn. Every other aanvraag, drafts included, is still in it.
OUT_OF_RACE_STATUSES = frozenset({AanvraagStatus.AFGEWEZEN, AanvraagStatus.INGETROKKEN})
