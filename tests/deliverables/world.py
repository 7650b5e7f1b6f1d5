from django.core.files.base import ContentFile

from deliverables.models import Deliverable, DeliverableStatus
from deliverables.registry import register
from tests.deliverables.kinds import SAMPLE_KIND


def extend(w) -> None:  # noqa: ANN001
    register(SAMPLE_KIND)
    ready = Deliverable.objects.create(
        federation=w.federation_a,
        kind="tests.sample",
        title="Exemple prêt",
        status=DeliverableStatus.READY,
    )
    ready.file.save("exemple.pdf", ContentFile(b"%PDF-1.4 exemple"), save=True)
    w.objects["deliverable_ready"] = ready
    w.objects["deliverable_failed"] = Deliverable.objects.create(
        federation=w.federation_a,
        kind="tests.sample",
        title="Exemple en échec",
        status=DeliverableStatus.FAILED,
        error="TemplateSyntaxError: exemple",
    )
