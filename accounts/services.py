"""Writes of the accounts app: personal API tokens."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from federations.services import audit_user_event


@transaction.atomic
def api_token_create(*, user) -> Token:  # noqa: ANN001
    """A new personal API token; any previous one stops working."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_user_event(user=user, verb="api_token_created")
    return token


@transaction.atomic
def api_token_revoke(*, user) -> bool:  # noqa: ANN001
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_user_event(user=user, verb="api_token_revoked")
    return bool(deleted)
