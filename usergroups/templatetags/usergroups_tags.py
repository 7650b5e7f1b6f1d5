"""Tags of the usergroups pages whose lists are long enough for the template's loop to cost
most of the page."""

from __future__ import annotations

from html import escape as html_escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def synthesis_need_items(needs: list[dict], can_synthesise: bool, csrf_input: str) -> SafeString:
    """The ``<li>`` of the needs of a synthesis's page (``views._synthesis_need_rows``): title
    linked to the need, theme, support figures and, for who may order them, the forms moving
    each one up or down (disabled at either end of the whole list; the hidden text names the
    need for screen readers). Written here rather than by a loop in the template (50 needs a
    page, each with its figures and two buttons)."""

    def esc(value: object) -> str:
        # What Django's ``escape`` writes (``html.escape``), without its handling of lazy
        # strings, which none of these values is: 500 values a page.
        return html_escape(str(value))

    l_up, l_down = esc(_("Monter")), esc(_("Descendre"))
    items = []
    for n in needs:
        title = esc(n["title"])
        figures = [esc(n["centres"])]
        if n["critical"]:
            figures.append(f'<span class="badge bad">{esc(n["critical"])}</span>')
        figures.append(esc(n["sessions"]))
        if n["since"]:
            figures.append(esc(n["since"]))
        if n["professions"]:
            figures.append(esc(n["professions"]))
        form = ""
        if can_synthesise:
            up = " disabled" if n["first"] else ""
            down = " disabled" if n["last"] else ""
            form = (
                f'\n    <form method="post" action="{esc(n["move_url"])}" class="actions">'
                f"{csrf_input}\n"
                f'      <button class="button secondary" name="dir" value="up" type="submit"{up}>'
                f'{l_up}<span class="visually-hidden"> {title}</span></button>\n'
                f'      <button class="button secondary" name="dir" value="down" type="submit"'
                f'{down}>{l_down}<span class="visually-hidden"> {title}</span></button>\n'
                "    </form>"
            )
        items.append(
            f'<li class="card" id="besoin-{esc(n["sid"])}">\n'
            f'    <p><strong><a href="{esc(n["url"])}">{title}</a></strong> '
            f'<span class="badge">{esc(n["theme"])}</span></p>\n'
            f'    <p class="muted">{" · ".join(figures)}</p>{form}\n'
            "  </li>"
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every value above is escaped


@register.simple_tag
def feedback_items(items: list[dict]) -> SafeString:
    """The cards of feedback items (``display.feedback_rows``): kind and theme badges, the
    profession, the text with its line breaks, the MSPs, the date and whether it was merged into
    a need. Written here rather than by an ``{% include %}`` per item (30 to 50 items a page)."""
    cards = []
    for i in items:
        profession = i["profession"]
        who = f' <span class="muted">{html_escape(profession)}</span>' if profession else ""
        merged = f" · {html_escape(i['merged'])}" if i["merged"] else ""
        text = html_escape(i["text"].replace("\r\n", "\n").replace("\r", "\n"))
        cards.append(
            f'<div class="card feedback-item kind-{html_escape(i["kind"])}">\n'
            f'  <p><span class="badge {html_escape(i["badge"])}">{html_escape(i["kind_label"])}'
            f'</span> <span class="badge">{html_escape(i["theme"])}</span>{who}</p>\n'
            f"  <p>{text.replace(chr(10), '<br>')}</p>\n"
            f'  <p class="muted">{html_escape(i["centres"])} · {html_escape(i["reported_on"])}'
            f"{merged}</p>\n"
            "</div>"
        )
    return mark_safe("\n".join(cards))  # noqa: S308 - every value above is escaped
