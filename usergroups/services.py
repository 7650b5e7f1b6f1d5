"""Writes of the usergroups app. Pages and API call these; every rule lives here."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from federations.models import Federation, HealthCentre, Membership
from federations.roles import Role
from federations.services import audit
from vendors.models import Software

from .models import (
    AgendaTopic,
    AgendaVote,
    AmendmentStatus,
    AnswerStatus,
    FeedbackItem,
    FeedbackKind,
    GroupSession,
    MinutesAmendment,
    MinutesStatus,
    Need,
    NeedSupport,
    Registration,
    Synthesis,
    SynthesisVersion,
    UserGroup,
    VendorAnswer,
)

logger = logging.getLogger(__name__)
User = get_user_model()

SYNTHESIS_KIND = "usergroups.synthesis"


def _same_federation(federation_id: int, *objects) -> None:  # noqa: ANN002
    for obj in objects:
        if obj is not None and getattr(obj, "federation_id", federation_id) != federation_id:
            raise ValidationError(_("Cet élément n'appartient pas à la fédération."))


def _check_facilitator(federation: Federation, facilitator: Membership | None) -> None:
    if facilitator is None:
        return
    if facilitator.federation_id != federation.pk or facilitator.role not in (
        Role.STAFF,
        Role.DIM,
    ):
        raise ValidationError(
            {"facilitator": _("L'animateur est un membre de l'équipe ou un DIM de la fédération.")}
        )


def can_facilitate(membership: Membership, group: UserGroup) -> bool:
    """Staff facilitate every group; a DIM the groups they facilitate or follow."""
    if membership.federation_id != group.federation_id:
        return False
    if membership.role == Role.STAFF:
        return True
    if membership.role == Role.DIM:
        return UserGroup.objects.visible_to(membership).filter(pk=group.pk).exists()
    return False


# --- Groups and sessions -----------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor,  # noqa: ANN001
    federation: Federation,
    software: Software,
    name: str,
    level: str,
    facilitator: Membership | None = None,
    centres: list[HealthCentre] | tuple = (),
) -> UserGroup:
    _check_facilitator(federation, facilitator)
    _same_federation(federation.pk, *centres)
    if UserGroup.objects.filter(federation=federation, name__iexact=name.strip()).exists():
        raise ValidationError({"name": _("Un groupe porte déjà ce nom dans la fédération.")})
    group = UserGroup.objects.create(
        federation=federation,
        software=software,
        name=name.strip(),
        level=level,
        facilitator=facilitator,
    )
    group.centres.set(centres)
    audit(
        federation=federation,
        actor=actor,
        verb="user_group_created",
        target=group.name,
        centres=[c.pk for c in centres],
    )
    return group


@transaction.atomic
def group_update(
    *,
    actor,  # noqa: ANN001
    group: UserGroup,
    name: str,
    level: str,
    facilitator: Membership | None,
    centres: list[HealthCentre] | tuple,
) -> UserGroup:
    federation = group.federation
    _check_facilitator(federation, facilitator)
    _same_federation(federation.pk, *centres)
    clash = UserGroup.objects.filter(federation=federation, name__iexact=name.strip())
    if clash.exclude(pk=group.pk).exists():
        raise ValidationError({"name": _("Un groupe porte déjà ce nom dans la fédération.")})
    group.name, group.level, group.facilitator = name.strip(), level, facilitator
    group.save(update_fields=["name", "level", "facilitator"])
    group.centres.set(centres)
    audit(
        federation=federation,
        actor=actor,
        verb="user_group_changed",
        target=group.name,
        centres=[c.pk for c in centres],
    )
    return group


def suggested_next_date(starts_at: datetime) -> datetime:
    """About two months later, on the same weekday and at the same local time."""
    from dateutil.relativedelta import relativedelta

    local = timezone.localtime(starts_at)
    target = local + relativedelta(months=2)
    shift = (local.weekday() - target.weekday() + 7) % 7
    if shift > 3:
        shift -= 7
    return target + timedelta(days=shift)


@transaction.atomic
def session_create(
    *,
    actor,  # noqa: ANN001
    group: UserGroup,
    starts_at: datetime,
    duration_minutes: int = 60,
    video_url: str = "",
    title: str = "",
) -> GroupSession:
    if duration_minutes < 15 or duration_minutes > 480:
        raise ValidationError(
            {"duration_minutes": _("Une séance dure entre 15 minutes et 8 heures.")}
        )
    session = GroupSession.objects.create(
        federation_id=group.federation_id,
        group=group,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        video_url=video_url,
        title=title.strip(),
    )
    audit(
        federation=group.federation,
        actor=actor,
        verb="user_group_session_planned",
        target=f"{group.name} — {timezone.localtime(starts_at):%d/%m/%Y %H:%M}",
    )
    return session


def _not_started(session: GroupSession, message: str) -> None:
    if timezone.now() >= session.starts_at:
        raise ValidationError(message)


@transaction.atomic
def topic_propose(*, actor, session: GroupSession, title: str) -> AgendaTopic:  # noqa: ANN001
    _not_started(session, _("La séance a commencé : l'ordre du jour est clos."))
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Écrivez le sujet proposé.")})
    topic = AgendaTopic.objects.create(
        federation_id=session.federation_id, session=session, title=title, proposed_by=actor
    )
    AgendaVote.objects.create(topic=topic, user=actor)
    return topic


@transaction.atomic
def topic_vote(*, actor, topic: AgendaTopic) -> bool:  # noqa: ANN001
    """Vote for a topic, or withdraw one's vote; returns True when the person now votes for it.
    Refused once the session has started."""
    session = GroupSession.objects.select_for_update().get(pk=topic.session_id)
    _not_started(session, _("La séance a commencé : les votes sont clos."))
    deleted, _rows = AgendaVote.objects.filter(topic=topic, user=actor).delete()
    if deleted:
        return False
    AgendaVote.objects.create(topic=topic, user=actor)
    return True


@transaction.atomic
def registration_register(*, membership: Membership, session: GroupSession) -> Registration:
    """Register oneself; the profession and MSP are those of the membership."""
    if session.federation_id != membership.federation_id:
        raise ValidationError(_("Cette séance n'appartient pas à votre fédération."))
    end = session.starts_at + timedelta(minutes=session.duration_minutes)
    if timezone.now() >= end:
        raise ValidationError(_("La séance est terminée : les inscriptions sont closes."))
    registration, _created = Registration.objects.get_or_create(
        session=session,
        user=membership.user,
        defaults={
            "federation_id": session.federation_id,
            "health_centre_id": membership.health_centre_id,
            "profession": membership.profession,
        },
    )
    return registration


@transaction.atomic
def registration_cancel(*, membership: Membership, session: GroupSession) -> None:
    Registration.objects.filter(
        session=session, user=membership.user, is_vendor_representative=False
    ).delete()


@transaction.atomic
def session_invite_vendor(*, actor, session: GroupSession, user) -> Registration:  # noqa: ANN001
    """Invite a vendor representative to this one session (vendor users attend only then)."""
    vendor_id = session.group.software.vendor_id
    if not getattr(user, "vendor_id", None) or user.vendor_id != vendor_id:
        raise ValidationError(
            {"user": _("Seul un représentant de l'éditeur de ce logiciel peut être invité.")}
        )
    session.invited_vendor_users.add(user)
    registration, _created = Registration.objects.get_or_create(
        session=session,
        user=user,
        defaults={"federation_id": session.federation_id, "is_vendor_representative": True},
    )
    audit(
        federation=session.group.federation,
        actor=actor,
        verb="user_group_vendor_invited",
        target=user.email,
        session=session.pk,
    )
    return registration


@transaction.atomic
def attendance_record(
    *,
    actor,  # noqa: ANN001
    session: GroupSession,
    present_ids: set[int],
) -> None:
    """Mark who attended among the registered people (the others are marked absent)."""
    if timezone.now() < session.starts_at:
        raise ValidationError(_("La présence se note une fois la séance commencée."))
    regs = Registration.objects.filter(session=session)
    regs.filter(pk__in=present_ids).update(attended=True)
    regs.exclude(pk__in=present_ids).update(attended=False)


# --- Feedback and minutes --------------------------------------------------------------------


@transaction.atomic
def feedback_add(
    *,
    actor,  # noqa: ANN001
    membership: Membership,
    group: UserGroup,
    session: GroupSession | None = None,
    kind: str,
    theme: str,
    text: str,
    profession: str = "",
    centres: list[HealthCentre] | tuple = (),
) -> FeedbackItem:
    """Record a need, difficulty or tip, in a session's minutes or between sessions. MSP people
    speak for their own MSP; followers name the MSPs concerned among the group's members."""
    if group.federation_id != membership.federation_id:
        raise ValidationError(_("Ce groupe n'appartient pas à votre fédération."))
    if session is not None and session.group_id != group.pk:
        raise ValidationError(_("Cette séance n'appartient pas à ce groupe."))
    published = session is not None and session.minutes_status == MinutesStatus.PUBLISHED
    if published and membership.role not in (Role.STAFF, Role.DIM):
        raise ValidationError(
            _("Le compte rendu est publié : ajoutez votre retour entre les séances.")
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Écrivez le retour.")})
    if membership.is_msp_role:
        centres = [membership.health_centre]
        profession = profession or membership.profession
    else:
        member_ids = set(group.centres.values_list("pk", flat=True))
        if any(c.pk not in member_ids for c in centres):
            raise ValidationError({"centres": _("Choisissez des MSP membres du groupe.")})
    reported_on = (
        timezone.localdate(session.starts_at)
        if session is not None and session.starts_at <= timezone.now()
        else timezone.localdate()
    )
    item = FeedbackItem.objects.create(
        federation_id=group.federation_id,
        group=group,
        session=session,
        kind=kind,
        theme=theme,
        text=text,
        profession=profession,
        reported_on=reported_on,
        author=actor,
    )
    item.centres.set(centres)
    return item


@transaction.atomic
def minutes_save(*, actor, session: GroupSession, minutes: str) -> GroupSession:  # noqa: ANN001
    session = GroupSession.objects.select_for_update().get(pk=session.pk)
    if session.minutes_status == MinutesStatus.PUBLISHED:
        raise ValidationError(_("Le compte rendu est publié : il ne se modifie plus."))
    session.minutes = minutes.strip()
    session.save(update_fields=["minutes"])
    return session


@transaction.atomic
def minutes_publish(*, actor, session: GroupSession) -> GroupSession:  # noqa: ANN001
    session = GroupSession.objects.select_for_update().get(pk=session.pk)
    if session.minutes_status == MinutesStatus.PUBLISHED:
        return session
    if timezone.now() < session.starts_at:
        raise ValidationError(_("Le compte rendu se publie une fois la séance tenue."))
    session.minutes_status = MinutesStatus.PUBLISHED
    session.minutes_published_at = timezone.now()
    session.save(update_fields=["minutes_status", "minutes_published_at"])
    MinutesAmendment.objects.filter(session=session, status=AmendmentStatus.PROPOSED).update(
        status=AmendmentStatus.REJECTED
    )
    audit(
        federation=session.group.federation,
        actor=actor,
        verb="user_group_minutes_published",
        target=str(session),
        session=session.pk,
    )
    return session


def is_attendee(membership: Membership, session: GroupSession) -> bool:
    return Registration.objects.filter(
        session=session, user_id=membership.user_id, attended__in=[True, None]
    ).exists()


@transaction.atomic
def amendment_propose(
    *,
    actor,  # noqa: ANN001
    membership: Membership,
    session: GroupSession,
    text: str,
) -> MinutesAmendment:
    if session.minutes_status == MinutesStatus.PUBLISHED:
        raise ValidationError(_("Le compte rendu est publié : il ne se modifie plus."))
    if membership.role not in (Role.STAFF, Role.DIM) and not is_attendee(membership, session):
        raise ValidationError(_("Seuls les participants proposent des modifications."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Écrivez la modification proposée.")})
    return MinutesAmendment.objects.create(
        federation_id=session.federation_id, session=session, author=actor, text=text
    )


@transaction.atomic
def amendment_decide(*, actor, amendment: MinutesAmendment, accept: bool) -> MinutesAmendment:  # noqa: ANN001
    session = GroupSession.objects.select_for_update().get(pk=amendment.session_id)
    if session.minutes_status == MinutesStatus.PUBLISHED:
        raise ValidationError(_("Le compte rendu est publié : il ne se modifie plus."))
    if amendment.status != AmendmentStatus.PROPOSED:
        return amendment
    amendment.status = AmendmentStatus.ACCEPTED if accept else AmendmentStatus.REJECTED
    amendment.save(update_fields=["status"])
    if accept:
        session.minutes = (session.minutes + "\n\n" + amendment.text).strip()
        session.save(update_fields=["minutes"])
    return amendment


# --- Needs and synthesis ------------------------------------------------------------------------


def _next_priority(federation_id: int, software_id: int) -> int:
    top = Need.objects.filter(federation_id=federation_id, software_id=software_id).aggregate(
        m=Max("priority")
    )["m"]
    return (top or 0) + 1


@transaction.atomic
def need_merge(
    *,
    actor,  # noqa: ANN001
    federation: Federation,
    software: Software,
    items: list[FeedbackItem],
    title: str = "",
    theme: str = "",
    description: str = "",
    into: Need | None = None,
) -> Need:
    """Merge duplicate need items (from any session and MSP of the software's groups) into one
    need, new or existing; the items stay attached to it as its provenance."""
    if not items:
        raise ValidationError(_("Choisissez au moins un retour à regrouper."))
    ids = [i.pk for i in items]
    valid = FeedbackItem.objects.filter(
        pk__in=ids,
        federation=federation,
        group__software=software,
        kind=FeedbackKind.NEED,
    ).count()
    if valid != len(set(ids)):
        raise ValidationError(
            _("Seuls des besoins exprimés dans les groupes de ce logiciel se regroupent.")
        )
    if into is not None:
        if into.federation_id != federation.pk or into.software_id != software.pk:
            raise ValidationError(_("Ce besoin n'appartient pas à cette synthèse."))
        need = into
    else:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("Donnez un intitulé au besoin.")})
        need = Need.objects.create(
            federation=federation,
            software=software,
            title=title,
            theme=theme or items[0].theme,
            description=description.strip(),
            priority=_next_priority(federation.pk, software.pk),
            created_by=actor,
        )
    # The figures of this need, and of the needs the items leave, change (see need_figures).
    changed = {
        need.pk,
        *FeedbackItem.objects.filter(pk__in=ids, need__isnull=False).values_list(
            "need_id", flat=True
        ),
    }
    FeedbackItem.objects.filter(pk__in=ids).update(need=need)
    _forget_need_figures(changed)
    from . import selectors  # (the update above sends no signal)

    selectors.forget_software_needs(federation_id=federation.pk, software_id=software.pk)
    audit(
        federation=federation,
        actor=actor,
        verb="user_group_need_merged",
        target=need.title,
        items=ids,
    )
    return need


def _forget_need_figures(need_ids: set[int]) -> None:
    """The figures of these needs change (``selectors.need_figures``): forget them now, and
    again once committed, in case a page read the former state meanwhile."""
    from . import selectors

    selectors.forget_need_figures(need_ids)
    transaction.on_commit(lambda: selectors.forget_need_figures(need_ids))


@transaction.atomic
def need_move(*, actor, need: Need, direction: str) -> None:  # noqa: ANN001
    """Move a need one rank up or down in the software's priority order."""
    needs = list(
        Need.objects.select_for_update()
        .filter(federation_id=need.federation_id, software_id=need.software_id)
        .order_by("priority", "pk")
    )
    index = next(i for i, n in enumerate(needs) if n.pk == need.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(needs):
        needs[index], needs[other] = needs[other], needs[index]
    for rank, n in enumerate(needs, start=1):
        if n.priority != rank:
            n.priority = rank
            n.save(update_fields=["priority"])


@transaction.atomic
def need_support(
    *,
    actor,  # noqa: ANN001
    membership: Membership,
    need: Need,
    health_centre: HealthCentre,
    importance: str,
) -> NeedSupport:
    """Record (or change) an MSP's support for a need: one per MSP. Staff may record it on
    behalf of an MSP (said by phone); a coordinator speaks for their own MSP only."""
    if health_centre.federation_id != need.federation_id:
        raise ValidationError({"health_centre": _("Cette MSP n'appartient pas à la fédération.")})
    if membership.role == Role.STAFF:
        on_behalf = True
    elif membership.role == Role.COORDINATOR and membership.health_centre_id == health_centre.pk:
        on_behalf = False
    else:
        raise ValidationError(_("Vous ne pouvez soutenir un besoin que pour votre MSP."))
    _forget_need_figures({need.pk})
    support, _created = NeedSupport.objects.update_or_create(
        need=need,
        health_centre=health_centre,
        defaults={
            "federation_id": need.federation_id,
            "importance": importance,
            "on_behalf": on_behalf,
            "recorded_by": actor,
        },
    )
    return support


@transaction.atomic
def synthesis_create(
    *,
    actor,  # noqa: ANN001
    federation: Federation,
    software: Software,
    period_start: date,
    period_end: date,
) -> Synthesis:
    if period_end < period_start:
        raise ValidationError({"period_end": _("La fin de la période précède son début.")})
    synthesis = Synthesis.objects.create(
        federation=federation,
        software=software,
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    audit(federation=federation, actor=actor, verb="synthesis_created", target=str(synthesis))
    return synthesis


@transaction.atomic
def synthesis_publish(*, actor, synthesis: Synthesis) -> SynthesisVersion:  # noqa: ANN001
    """Publish a new immutable version of the synthesis to the software's vendor and queue its
    PDF. The publication is kept even when the broker is unreachable: the deliverable stays
    queued and the sweeper sends it again."""
    from deliverables.services import deliverable_request

    from . import selectors

    synthesis = (
        Synthesis.objects.select_for_update()
        .select_related("software__vendor")
        .get(pk=synthesis.pk)
    )
    content = selectors.synthesis_snapshot(synthesis)
    if not content["needs"] and not content["difficulties"] and not content["tips"]:
        raise ValidationError(_("La synthèse est vide : regroupez d'abord des besoins."))
    number = (synthesis.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = SynthesisVersion.objects.create(
        federation_id=synthesis.federation_id,
        synthesis=synthesis,
        number=number,
        content=content,
        vendor=synthesis.software.vendor,
        published_by=actor,
    )
    need_ids = [n["id"] for n in content["needs"]]
    version.needs.set(need_ids)
    # The vendor's count of unanswered needs now holds these (see answer_create).
    vendor_id = synthesis.software.vendor_id
    selectors.forget_unanswered_count(vendor_id)
    transaction.on_commit(lambda: selectors.forget_unanswered_count(vendor_id))
    Need.objects.filter(pk__in=need_ids, first_published_on__isnull=True).update(
        first_published_on=timezone.localdate()
    )
    deliverable_request(
        actor=actor,
        kind=SYNTHESIS_KIND,
        title=_("Synthèse %(software)s — version %(n)s")
        % {"software": synthesis.software.name, "n": number},
        federation=synthesis.federation,
        object_id=version.pk,
    )
    audit(
        federation=synthesis.federation,
        actor=actor,
        verb="synthesis_published",
        target=str(synthesis),
        version=number,
        vendor=synthesis.software.vendor.slug,
    )
    return version


# --- Vendor answers ---------------------------------------------------------------------------


def _needs_of_vendor(vendor_id: int):  # noqa: ANN202
    """Needs published to this vendor (in at least one published version)."""
    return Need.objects.filter(versions__vendor_id=vendor_id).distinct()


def _forget_answer_figures(need: Need, vendor_id: int) -> None:
    from . import selectors

    selectors.forget_version_answers(need)
    selectors.forget_unanswered_count(vendor_id)


@transaction.atomic
def answer_create(
    *,
    actor,  # noqa: ANN001
    need: Need,
    status: str,
    comment: str = "",
    planned_version: str = "",
    planned_for: date | None = None,
) -> VendorAnswer:
    """A vendor user answers a need published to their vendor. Answers are history: a new
    answer never overwrites an older one. MSPs that raised the need hear when it is delivered."""
    vendor_id = getattr(actor, "vendor_id", None)
    if not vendor_id or not _needs_of_vendor(vendor_id).filter(pk=need.pk).exists():
        raise ValidationError(_("Ce besoin n'a pas été adressé à votre société."))
    if status not in AnswerStatus.values:
        raise ValidationError({"status": _("Choisissez un statut.")})
    if status == AnswerStatus.PLANNED and not (planned_version.strip() and planned_for):
        raise ValidationError(
            {"planned_for": _("Indiquez la version et la date prévues pour un besoin planifié.")}
        )
    if status == AnswerStatus.DECLINED and not comment.strip():
        raise ValidationError({"comment": _("Expliquez pourquoi le besoin est refusé.")})
    answer = VendorAnswer.objects.create(
        federation_id=need.federation_id,
        need=need,
        author=actor,
        status=status,
        comment=comment.strip(),
        planned_version=planned_version.strip(),
        planned_for=planned_for if status == AnswerStatus.PLANNED else None,
    )
    # The versions' answers and status summaries, and the vendor's count of unanswered needs
    # hold this answer: forget them now, and again once committed, in case a page read the
    # former state meanwhile.
    _forget_answer_figures(need, vendor_id)
    transaction.on_commit(lambda: _forget_answer_figures(need, vendor_id))
    audit(
        federation=need.federation,
        actor=actor,
        verb="vendor_answered_need",
        target=need.title,
        status=status,
    )
    if status == AnswerStatus.DELIVERED:
        recipients = need_concerned_emails(need)
        subject = _("« %(need)s » est livré") % {"need": need.title[:80]}
        body = render_to_string(
            "usergroups/email/need_delivered.txt", {"need": need, "answer": answer}
        )
        if recipients:
            transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return answer


def need_concerned_emails(need: Need) -> list[str]:
    """Coordinators of the MSPs that raised or support the need, and the authors of its items."""
    centre_ids = set(
        FeedbackItem.centres.through.objects.filter(feedbackitem__need=need).values_list(
            "healthcentre_id", flat=True
        )
    ) | set(need.supports.values_list("health_centre_id", flat=True))
    emails = set(
        Membership.objects.filter(
            federation_id=need.federation_id,
            health_centre_id__in=centre_ids,
            role=Role.COORDINATOR,
            is_active=True,
        ).values_list("user__email", flat=True)
    )
    emails |= set(
        User.objects.filter(
            pk__in=need.items.exclude(author=None).values("author"),
            memberships__federation_id=need.federation_id,
            memberships__is_active=True,
            memberships__health_centre_id__in=centre_ids,
        ).values_list("email", flat=True)
    )
    return sorted(emails)


def remind_unanswered_needs(*, today: date | None = None) -> int:
    """E-mail each vendor the needs published to it that are still unanswered after the delay
    (``USERGROUPS_ANSWER_REMINDER_DAYS``); a need is reminded at most once per delay, so running
    this twice the same day sends nothing more. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    days = settings.USERGROUPS_ANSWER_REMINDER_DAYS
    limit = today - timedelta(days=days)
    sent = 0
    with transaction.atomic():
        due = list(
            Need.objects.select_for_update(of=("self",))
            .filter(first_published_on__lte=limit)
            .exclude(Exists(VendorAnswer.objects.filter(need_id=OuterRef("pk"))))
            .exclude(last_reminded_on__gt=limit)
            .select_related("software__vendor", "federation")
            .order_by("software__vendor_id", "federation_id", "priority")
        )
        by_vendor: dict[int, list[Need]] = {}
        for need in due:
            by_vendor.setdefault(need.software.vendor_id, []).append(need)
        for vendor_id, needs in by_vendor.items():
            emails = list(
                User.objects.filter(vendor_id=vendor_id, is_active=True).values_list(
                    "email", flat=True
                )
            )
            Need.objects.filter(pk__in=[n.pk for n in needs]).update(last_reminded_on=today)
            if not emails:
                continue
            body = render_to_string(
                "usergroups/email/answer_reminder.txt",
                {"needs": needs, "vendor": needs[0].software.vendor, "days": days},
            )
            subject = _("%(n)s besoin(s) attendent votre réponse sur Cap SI") % {"n": len(needs)}
            transaction.on_commit(lambda s=subject, b=body, e=emails: send_mail(s, b, None, e))
            sent += 1
    return sent
