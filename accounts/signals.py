import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import SESSION_STARTED_KEY


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    from federations.services import audit_sign_in

    # The 12-hour absolute lifetime counts from the sign-in itself.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = time.time()
    audit_sign_in(user=user)
