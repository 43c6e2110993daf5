from typing import Any

from django.http import HttpRequest

from .models import User


def roles(request: HttpRequest) -> dict[str, Any]:
    """The current user's roles, for the navigation in base.html."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"is_regisseur": False, "is_beoordelaar": False, "is_beheerder": False}
    return {
        "is_regisseur": user.is_regisseur,
        "is_beoordelaar": user.is_beoordelaar,
        "is_beheerder": user.is_beheerder,
    }
