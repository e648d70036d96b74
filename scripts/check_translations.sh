#!/usr/bin/env bash
# Fails when a catalogue of ours has an untranslated or fuzzy entry, or when the source has
# strings the catalogues do not carry yet (makemessages refreshes them first).
set -euo pipefail
cd "$(dirname "$0")/../retorno"
DEBUG=1 ../.venv/bin/python ../manage.py makemessages --no-obsolete --no-location --no-wrap \
  -l it -l es -l pt --ignore 'static/*' --ignore 'testing/*' >/dev/null
status=0
for po in locale/*/LC_MESSAGES/django.po; do
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1)
  if echo "$stats" | grep -Eq "fuzzy|untranslated"; then
    echo "$po: $stats" >&2
    msgattrib --untranslated --no-wrap "$po" | grep -A1 '^msgid' | head -40 >&2 || true
    msgattrib --only-fuzzy --no-wrap "$po" | grep -A1 '^msgid' | head -20 >&2 || true
    status=1
  else
    echo "$po: $stats"
  fi
done
exit $status
