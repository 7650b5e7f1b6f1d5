"""What the user-group pages show of each row of their long lists (answers, feedback items),
put together once in Python (``config.display`` has the helpers every app shares)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from config.display import person_name
from federations.professions import Profession

from .models import AnswerStatus, FeedbackKind, Theme

_BADGES = {AnswerStatus.DELIVERED: "ok", AnswerStatus.DECLINED: "bad"}


def answer_rows(history: dict[int, list[dict]]) -> dict[int, list[dict]]:
    """``selectors.answers_history`` as ``_answers.html`` shows it, need by need, put together
    once in Python: a page of 20 needs can hold a hundred answers, and each one's status label,
    badge and dates cost 50 us through the template's tags and filters. Dicts, which the
    template reads at once, where it tries an object as a dict first."""
    labels = {value: str(label) for value, label in AnswerStatus.choices}
    return {
        need_id: [_answer_row(a, labels) for a in answers] for need_id, answers in history.items()
    }


def _answer_row(a: dict, labels: dict[str, str]) -> dict:
    planned = ""
    if a["status"] == AnswerStatus.PLANNED:
        planned = _("version %(v)s, prévue le %(d)s") % {
            "v": a["planned_version"],
            "d": date_format(a["planned_for"], "j F Y") if a["planned_for"] else "",
        }
    author = person_name(a["author__first_name"], a["author__last_name"], a["author__email"])
    on = date_format(timezone.localtime(a["created_at"]), "j F Y")
    return {
        "status": a["status"],
        "label": labels.get(a["status"], a["status"]),
        "badge": _BADGES.get(a["status"], "warn"),
        "planned": planned,
        "meta": f"— {on}, {author}" if author else f"— {on}",
        "comment": a["comment"],
    }


_KIND_BADGES = {FeedbackKind.NEED: "warn", FeedbackKind.TIP: "ok"}


def feedback_rows(items: Iterable[dict]) -> list[dict]:
    """Feedback items (``selectors.feedback_values``) as ``{% feedback_items %}`` shows them:
    labels, MSPs (by name) and date put together once, where the template spent 100 us an item
    on its tags, filters and ``item.centres.all``."""
    from .selectors import NAMES_SEPARATOR as sep

    kinds = {value: str(label) for value, label in FeedbackKind.choices}
    themes = {value: str(label) for value, label in Theme.choices}
    professions = {value: str(label) for value, label in Profession.choices}
    no_centre, merged = _("Aucune MSP précisée"), _("regroupé dans un besoin")
    return [
        {
            "pk": str(i["pk"]),
            "group": i.get("group_name", ""),
            "kind": i["kind"],
            "kind_label": kinds.get(i["kind"], i["kind"]),
            "badge": _KIND_BADGES.get(i["kind"], "bad"),
            "theme": themes.get(i["theme"], i["theme"]),
            "profession": professions.get(i["profession"], i["profession"]),
            "text": i["text"],
            "centres": ", ".join(sorted(filter(None, (i["centre_names"] or "").split(sep))))
            or no_centre,
            "reported_on": date_format(i["reported_on"], "j F Y"),
            "merged": merged if i["need_id"] is not None else "",
        }
        for i in items
    ]
