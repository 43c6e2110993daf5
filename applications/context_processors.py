from typing import Any

from django.http import HttpRequest

from .models import User
from .tweestaps import vereist_tweestaps


def roles(request: HttpRequest) -> dict[str, Any]:
    """The current user's roles, for the navigation in base.html."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {
            "is_regisseur": False,
            "is_beoordelaar": False,
            "is_beheerder": False,
            "tweestaps_open": False,
        }
    return {
        "is_regisseur": user.is_regisseur,
        "is_beoordelaar": user.is_beoordelaar,
        "is_beheerder": user.is_beheerder,
        # Only where the two-step login is not required (the demo): offer it in the menu.
        "tweestaps_open": vereist_tweestaps(user) and getattr(user, "otp_device", None) is None,
    }
