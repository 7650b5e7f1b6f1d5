#!/usr/bin/env python
"""Help translate the English catalogues.

  .venv/bin/python scripts/po_en.py todo <catalogue-dir>          # untranslated entries as JSON
  .venv/bin/python scripts/po_en.py apply <catalogue-dir> F.json  # write translations from JSON

<catalogue-dir> is an app (``projects``) or ``.`` for the project's own catalogue. The JSON is an
object {msgid: msgstr} or, for plural entries, {msgid: [singular, plural]}.
"""

import json
import sys
from pathlib import Path

import polib


def catalogue(where: str) -> polib.POFile:
    return polib.pofile(str(Path(where) / "locale" / "en" / "LC_MESSAGES" / "django.po"))


def main() -> None:
    command, where = sys.argv[1], sys.argv[2]
    po = catalogue(where)
    if command == "todo":
        todo = {}
        for entry in po:
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                if not all(entry.msgstr_plural.values()) or "fuzzy" in entry.flags:
                    todo[entry.msgid] = [entry.msgid, entry.msgid_plural]
            elif not entry.msgstr or "fuzzy" in entry.flags:
                todo[entry.msgid] = ""
        print(json.dumps(todo, ensure_ascii=False, indent=1))
    elif command == "apply":
        mapping = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
        done = 0
        for entry in po:
            if entry.msgid in mapping and mapping[entry.msgid]:
                value = mapping[entry.msgid]
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: value[0], 1: value[1]}
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                done += 1
        po.wrapwidth = 0
        po.save()
        print(f"{done} entries translated")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
