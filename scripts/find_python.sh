#!/usr/bin/env bash
# Print the absolute path of a Python >= 3.12, or fail with a clear message (exit 1).
# Looks, in order, at $PYTHON, python3.13/3.12/3.14/python3 on the PATH, then the versions that
# pyenv holds (through the pyenv command on the PATH, or under $PYENV_ROOT / $HOME/.pyenv).
set -u
ok() { "$@" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for candidate in "${PYTHON:-}" python3.13 python3.12 python3.14 python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && ok "$candidate"; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
# pyenv shims only answer for the version named: ask pyenv for each installed version.
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -rV); do
    path=$(PYENV_VERSION="$version" pyenv which python3 2>/dev/null) || continue
    if ok "$path"; then echo "$path"; exit 0; fi
  done
fi
pyenv_root="${PYENV_ROOT:-${HOME:+$HOME/.pyenv}}"
if [ -n "$pyenv_root" ] && [ -d "$pyenv_root/versions" ]; then
  for path in $(ls -d "$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
  done
fi
echo "Cap SI needs Python 3.12 or newer (Django 6), and none was found on the PATH or in pyenv." >&2
echo "Install one (e.g. 'pyenv install 3.13') or name it: make run PYTHON=/path/to/python3.13" >&2
exit 1
