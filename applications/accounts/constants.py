"""The roles of the portal; each is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rol(models.TextChoices):
    """The three roles, each a Django group of this name."""

    REGISSEUR = "Regisseur", _("Regisseur")
    BEOORDELAAR = "WSE-beoordelaar", _("WSE-beoordelaar")
    BEHEERDER = "Beheerder", _("Beheerder")
