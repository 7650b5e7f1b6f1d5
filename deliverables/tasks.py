from celery import shared_task

from . import services


@shared_task(name="deliverables.render", acks_late=True, reject_on_worker_lost=True)
def render_deliverable(deliverable_id: str) -> None:
    services.deliverable_render(deliverable_id=deliverable_id)
