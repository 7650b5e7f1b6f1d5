from django.core.files.base import ContentFile

from deliverables.models import Deliverable, DeliverableStatus
from deliverables.registry import DeliverableKind, RenderSpec, register
from federations.models import Membership
from federations.roles import Role


def staff_of_federation(user, deliverable) -> bool:  # noqa: ANN001
    return Membership.objects.filter(
        user_id=user.pk, federation_id=deliverable.federation_id, role=Role.STAFF, is_active=True
    ).exists()


SAMPLE_KIND = DeliverableKind(
    kind="tests.sample",
    build=lambda d: RenderSpec(
        template="tests/sample.html", context={"title": d.title, **d.params}, filename="exemple.pdf"
    ),
    can_view=staff_of_federation,
)


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
