from typing import Any

from django.http import HttpRequest

from applications.accounts.models import User
from applications.accounts.tweestaps import (
    tweestaps_gegeven,
    tweestaps_verplicht,
    vereist_tweestaps,
)


def roles(request: HttpRequest) -> dict[str, Any]:
    """The current user's roles, for the navigation in base.html."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {
            "is_regisseur": False,
            "is_beoordelaar": False,
            "is_beheerder": False,
            "tweestaps_open": False,
            "tweestaps_wacht": False,
        }
    open_stap = vereist_tweestaps(user) and not tweestaps_gegeven(user)
    verplicht = tweestaps_verplicht(user)
    return {
        "is_regisseur": user.is_regisseur,
        "is_beoordelaar": user.is_beoordelaar,
        "is_beheerder": user.is_beheerder,
        # Before the required second step the menu leads nowhere: only logging out is shown.
        "tweestaps_wacht": open_stap and verplicht,
        # Where it is not required (the demo), the menu offers it.
        "tweestaps_open": open_stap and not verplicht,
    }
