from django.http import HttpRequest

from .permissions import navigation_for


def tenancy(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "federation": membership.federation,
        "membership": membership,
        "nav_items": navigation_for(membership),
        "several_federations": getattr(membership, "has_other_federations", False),
    }
