from celery import shared_task

from . import services


@shared_task(name="usergroups.remind_unanswered_needs", acks_late=True)
def remind_unanswered_needs() -> int:
    """Daily (beat): remind vendors of needs left unanswered; safe to run twice a day."""
    return services.remind_unanswered_needs()
