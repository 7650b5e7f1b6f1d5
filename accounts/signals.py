from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs) -> None:  # noqa: ANN001
    from federations.services import audit_sign_in

    audit_sign_in(user=user)
