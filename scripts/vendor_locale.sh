#!/usr/bin/env bash
# Rebuilds retorno/locale_vendor/pt from django-allauth's and django-countries' pt_BR catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."
site=$(.venv/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
out=retorno/locale_vendor/pt/LC_MESSAGES
mkdir -p "$out"
msgcat --use-first "$site/allauth/locale/pt_BR/LC_MESSAGES/django.po" \
  "$site/django_countries/locale/pt_BR/LC_MESSAGES/django.po" -o /tmp/retorno_vendor_pt.po
msgattrib --no-fuzzy --translated /tmp/retorno_vendor_pt.po -o "$out/django.po"
msgfmt -o "$out/django.mo" "$out/django.po"
