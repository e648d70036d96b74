"""Emails to staff about their work. Called only after commit (transaction.on_commit), one
message per recipient, rendered in the recipient's language. For people's safety the emails
carry no names: a case reference and a link, nothing else."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

# When a user has not chosen a language: the one most spoken where their desk is.
_DESK_LANGUAGES = {"IT": "it", "PT": "pt", "BR": "pt"}


def language_for(user, desk=None) -> str:
    if user.preferred_language:
        return user.preferred_language
    country = str(desk.country) if desk is not None else ""
    return _DESK_LANGUAGES.get(country, "es")


def email_user(user, template: str, context: dict, *, desk=None) -> bool:
    """Send `<template>_subject.txt` and `<template>_message.txt` to the user, in their
    language. Returns False (and sends nothing) when the user has no email address."""
    if not user.email or not user.is_active:
        return False
    with translation.override(language_for(user, desk)):
        context = {**context, "user": user}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_message.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def link(path: str) -> str:
    return settings.SITE_URL + path
