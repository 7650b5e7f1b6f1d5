#!/usr/bin/env bash
# Translation catalogues: one per app (<app>/locale) and one for the project (locale/: templates,
# config, accounts). French is the source language; English is translated.
#   scripts/messages.sh update   regenerate every catalogue (keeps existing translations)
#   scripts/messages.sh check    fail when a catalogue is out of date or English is incomplete
#   scripts/messages.sh compile  compile .mo files
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
APPS="federations projects maturity vendors usergroups deliverables"
OPTS=(-l fr -l en --no-location --no-wrap --no-obsolete)

update() {
  for app in $APPS; do
    mkdir -p "$app/locale"
    (cd "$app" && ../$PY ../manage.py makemessages "${OPTS[@]}" -v0)
  done
  mkdir -p locale
  local ignores=(--ignore=.venv/* --ignore=var/* --ignore=tests/* --ignore=node_modules/*)
  for app in $APPS; do ignores+=("--ignore=$app/*"); done
  $PY manage.py makemessages "${OPTS[@]}" "${ignores[@]}" -v0
}

case "${1:-}" in
  update) update ;;
  compile) $PY manage.py compilemessages -v0 --ignore=.venv ;;
  check)
    update
    if ! git diff --quiet -I 'POT-Creation-Date' -- '*.po'; then
      git diff --stat -I 'POT-Creation-Date' -- '*.po'
      echo "Translation catalogues are out of date: run 'make messages', translate, commit." >&2
      exit 1
    fi
    new=$(git ls-files --others --exclude-standard -- '*.po')
    if [ -n "$new" ]; then
      echo "New catalogues are not committed: $new" >&2
      exit 1
    fi
    untranslated=0
    for po in $(git ls-files '*/en/LC_MESSAGES/django.po' 'locale/en/LC_MESSAGES/django.po'); do
      stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$po" 2>&1)
      if echo "$stats" | grep -qE 'untranslated|fuzzy'; then
        echo "$po: $stats" >&2
        untranslated=1
      fi
    done
    if [ "$untranslated" = 1 ]; then
      echo "English catalogue incomplete: translate the entries above." >&2
      exit 1
    fi
    echo "Translation catalogues are up to date." ;;
  *) echo "usage: $0 update|check|compile" >&2; exit 2 ;;
esac
