"""Deliverable kinds used by the tests. Importable on its own (no model at import time) so that
a real Celery worker started by ``tests.workers.celery_worker`` can load it with
``include=["tests.deliverables.kinds"]``.

``tests.sample`` renders ``params["template"]`` (default ``tests/sample.html``) with the params as
context; ``params["sleep"]`` makes every render slow (seconds), ``params["sleep_first"]`` only the
first attempt (to kill a worker during it);
``params["fail_until"]`` raises a transient ``OSError`` while the attempt number is below it."""

from __future__ import annotations

import time

from deliverables.registry import DeliverableKind, RenderSpec, register


def staff_of_federation(user, deliverable) -> bool:  # noqa: ANN001
    from federations.models import Membership
    from federations.roles import Role

    return Membership.objects.filter(
        user_id=user.pk, federation_id=deliverable.federation_id, role=Role.STAFF, is_active=True
    ).exists()


def build_sample(deliverable) -> RenderSpec:  # noqa: ANN001
    params = deliverable.params
    if params.get("sleep"):
        time.sleep(float(params["sleep"]))
    if params.get("sleep_first") and deliverable.attempts == 1:
        time.sleep(float(params["sleep_first"]))
    if deliverable.attempts < int(params.get("fail_until", 0)):
        raise OSError("disque momentanément indisponible")
    template = params.get("template", "tests/sample.html")
    assert template.startswith("tests/")
    return RenderSpec(
        template=template,
        context={"title": deliverable.title, **params},
        filename="exemple.pdf",
    )


SAMPLE_KIND = DeliverableKind(kind="tests.sample", build=build_sample, can_view=staff_of_federation)
register(SAMPLE_KIND)
