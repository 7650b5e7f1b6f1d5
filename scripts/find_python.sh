#!/usr/bin/env bash
# Print the absolute path of a Python >= 3.12, or fail with a clear message.
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
for path in /root/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9]; do
  if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
done
echo "Cap SI needs Python 3.12 or newer (Django 6), and none was found." >&2
echo "Install one (e.g. 'pyenv install 3.13') or set PYTHON=/path/to/python3.13." >&2
exit 1
