"""Objects of the usergroups app in the shared test world.

Federation A has a Logiciel X group whose only member MSP is A1 (so member_a2, at A2, sees
nothing of it), facilitated by dim_a; a future session (agenda open) and a past session (draft
minutes, member_a registered), a need raised by A1, a synthesis published to vendor X."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from tests.usergroups.factories import FeedbackItemFactory, GroupSessionFactory, UserGroupFactory
from usergroups import services
from usergroups.models import AgendaTopic, MinutesAmendment, Registration, Theme


def extend(w) -> None:  # noqa: ANN001
    group = UserGroupFactory(
        federation=w.federation_a,
        software=w.software_x,
        name="Logiciel X — débutants",
        facilitator=w.memberships["dim_a"],
    )
    group.centres.set([w.centre_a])
    future = GroupSessionFactory(group=group, starts_at=timezone.now() + timedelta(days=10))
    past = GroupSessionFactory(group=group, starts_at=timezone.now() - timedelta(days=2))
    topic = AgendaTopic.objects.create(
        federation=w.federation_a, session=future, title="Facturation infirmière"
    )
    Registration.objects.create(
        federation=w.federation_a,
        session=past,
        user=w.users["member_a"],
        health_centre=w.centre_a,
        profession="infirmier",
        attended=True,
    )
    amendment = MinutesAmendment.objects.create(
        federation=w.federation_a, session=past, author=w.users["member_a"], text="Corriger"
    )
    item = FeedbackItemFactory(
        group=group,
        session=past,
        text="Facturer les actes infirmiers à domicile",
        centres=[w.centre_a],
        reported_on=timezone.localdate() - timedelta(days=2),
    )
    loose = FeedbackItemFactory(
        group=group, text="Télétransmission depuis la tablette", centres=[w.centre_a]
    )
    need = services.need_merge(
        actor=w.users["staff_a"],
        federation=w.federation_a,
        software=w.software_x,
        items=[item],
        title="Facturation des infirmiers",
        theme=Theme.BILLING,
    )
    synthesis = services.synthesis_create(
        actor=w.users["staff_a"],
        federation=w.federation_a,
        software=w.software_x,
        period_start=date(2020, 1, 1),
        period_end=timezone.localdate() + timedelta(days=1),
    )
    version = services.synthesis_publish(actor=w.users["staff_a"], synthesis=synthesis)
    w.objects.update(
        ug_group=group,
        ug_future=future,
        ug_past=past,
        ug_topic=topic,
        ug_amendment=amendment,
        ug_item=item,
        ug_loose_item=loose,
        ug_need=need,
        ug_synthesis=synthesis,
        ug_version=version,
    )
