"""Test data of the public site: pages published through the content actions (by olga, the
outreach officer), and the spam token of a form as a visitor's browser would carry it."""

import time

from django.test import Client

from retorno.accounts.middleware import act_as
from retorno.outreach import spam
from retorno.outreach.actions import content

TEXTS = {
    "it": ("Tornare a casa, con un sostegno", "Il programma di ritorno volontario assistito."),
    "es": ("Volver a casa, con apoyo", "El programa de retorno voluntario asistido."),
    "pt": ("Voltar para casa, com apoio", "O programa de retorno voluntário assistido."),
    "en": ("Going home, with support", "The assisted voluntary return programme."),
}


def publish_page(personas, key, *, languages=("it", "es", "pt", "en"), kind="page", country="",
                 body="## Prima\n\nTesto della pagina.", draft_after=False):  # fmt: skip
    olga = act_as(personas.olga)
    page = content.create_page(
        actor=olga, key=key, kind=kind, country=country, source_language=languages[0]
    )
    for language in languages:
        title, description = TEXTS[language]
        content.save_version(
            page,
            actor=olga,
            language=language,
            title=f"{title} ({key})",
            description=description,
            body=body,
        )
        content.publish(page, actor=olga, language=language)
        if draft_after:
            content.save_version(
                page,
                actor=olga,
                language=language,
                title="DRAFT TITLE NOT PUBLISHED",
                description=description,
                body="SECRET DRAFT TEXT",
                based_on=1,
            )
    return page


def publish_site(personas):
    for key in ("home", "offer", "eligibility", "how-it-works", "faq", "desks", "privacy"):
        publish_page(personas, key)
    publish_page(personas, "guide-pe", kind="guide", country="PE", languages=("es", "it"))


def token(form_name, seconds_ago=10):
    """The token of a form shown `seconds_ago`."""
    real = spam.now
    spam.now = lambda: time.time() - seconds_ago
    try:
        return spam.issue(form_name)
    finally:
        spam.now = real


def anonymous():
    return Client()
