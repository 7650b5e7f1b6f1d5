"""The demo data: FEMASNORD's user groups as the thesis describes them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from usergroups.models import (
    FeedbackItem,
    GroupSession,
    Level,
    Registration,
    SynthesisVersion,
    UserGroup,
    VendorAnswer,
)

pytestmark = pytest.mark.django_db


def test_demo_user_groups_of_femasnord(django_capture_on_commit_callbacks) -> None:
    call_command("load_reference", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    groups = UserGroup.objects.filter(federation__slug="femasnord")
    chorus = groups.filter(software__slug="chorus")
    assert chorus.count() == 4
    assert chorus.filter(level=Level.BEGINNER).count() == 2
    assert chorus.filter(level=Level.EXPERIENCED).count() == 2
    hellodoc = groups.get(software__slug="hellodoc")
    assert hellodoc.centres.count() == 2
    reps = Registration.objects.filter(session__group=hellodoc, is_vendor_representative=True)
    assert reps.values("user").distinct().count() == 2
    assert groups.filter(software__slug="weda").count() == 1
    assert GroupSession.objects.filter(group=hellodoc).count() >= 3
    assert FeedbackItem.objects.filter(group=hellodoc).count() >= 9
    version = SynthesisVersion.objects.get(synthesis__software__slug="hellodoc")
    answered = VendorAnswer.objects.filter(author__email="editeur@hellodoc.demo")
    answered_needs = set(answered.values_list("need_id", flat=True))
    assert 0 < len(answered_needs) < version.needs.count()  # answered in part
    counts = (FeedbackItem.objects.count(), VendorAnswer.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (FeedbackItem.objects.count(), VendorAnswer.objects.count()) == counts
