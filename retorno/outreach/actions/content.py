"""The public site's content: a page's text saved as a new version in one language, and a
version published. The public reads only published versions (outreach.queries)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.roles import Capability
from retorno.audit.events import record
from retorno.lib.errors import ActionError
from retorno.outreach.actions.common import conflict
from retorno.outreach.models import LANGUAGES, PageTranslation, PageVersion, PublicPage

VERBS = {
    "public_page.created": gettext_lazy("Public page created"),
    "public_page.saved": gettext_lazy("Public page text saved"),
    "public_page.published": gettext_lazy("Public page published"),
    "public_page.restored": gettext_lazy("Public page text restored from an old version"),
}


def require_editor(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.can(Capability.RUN_OUTREACH):
        raise ActionError(_("Only outreach officers edit the public site."), code="forbidden")


@transaction.atomic
def create_page(*, actor, key: str, kind: str, country: str = "", source_language="it", position=0):
    require_editor(actor)
    if PublicPage.objects.filter(key=key).exists():
        raise ActionError(_("A page with this key exists already."), field="key")
    if kind == PublicPage.Kind.GUIDE:
        if not country:
            raise ActionError(_("Choose the country the guide is about."), field="country")
        if PublicPage.objects.filter(kind=PublicPage.Kind.GUIDE, country=country).exists():
            raise ActionError(
                _("This country has a guide already: edit that one."), field="country"
            )
    elif country:
        raise ActionError(
            _("Only a country guide has a country: leave it empty for a page."), field="country"
        )
    if source_language not in LANGUAGES:
        raise ActionError(_("Choose one of the site's languages."), field="source_language")
    page = PublicPage.objects.create(
        key=key, kind=kind, country=country, source_language=source_language, position=position
    )
    record("public_page.created", actor=actor, target=page, detail={"key": key, "kind": kind})
    return page


def _new_version(page, *, actor, language, title, description, body, based_on, source_number):
    """The new latest version of a page in one language, after checking nobody saved meanwhile."""
    require_editor(actor)
    if language not in LANGUAGES:
        raise ActionError(_("Choose one of the site's languages."), field="language")
    for name, value in (("title", title), ("description", description), ("body", body)):
        if not (value or "").strip():
            raise ActionError(_("This field is required."), field=name)
    for name, value, limit in (("title", title, 120), ("description", description, 200)):
        if len(" ".join(value.split())) > limit:
            raise ActionError(
                _("Shorten this to %(limit)s characters or fewer.") % {"limit": limit}, field=name
            )
    translation = (
        PageTranslation.objects.select_for_update()
        .filter(page=page, language=language)
        .select_related("latest")
        .first()
    )
    current = translation.latest.number if translation else None
    if current != (int(based_on) if based_on not in (None, "") else None):
        raise conflict(_("page"))
    if language == page.source_language:
        source_number = None
    elif source_number is None:
        source = PageTranslation.objects.filter(page=page, language=page.source_language).first()
        source_number = source.latest.number if source else None
    number = (
        PageVersion.objects.filter(page=page, language=language).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    version = PageVersion.objects.create(
        page=page,
        language=language,
        number=number,
        title=title.strip(),
        description=" ".join(description.split()),
        body=body.replace("\r\n", "\n").strip(),
        source_number=source_number,
        created_by=actor,
    )
    if translation is None:
        PageTranslation.objects.create(page=page, language=language, latest=version)
    else:
        translation.latest = version
        translation.save(update_fields=["latest", "updated_at"])
    return version


@transaction.atomic
def save_version(
    page: PublicPage,
    *,
    actor,
    language: str,
    title: str,
    description: str,
    body: str,
    based_on: int | None = None,
    source_number: int | None = None,
) -> PageVersion:
    """Save the text of a page in one language as its new latest version (a draft until it is
    published). `based_on` is the latest version the editor started from (None for a new
    translation): if someone saved meanwhile, nothing is saved. A translation records the version
    of the source language it follows (by default, the source's latest)."""
    version = _new_version(
        page,
        actor=actor,
        language=language,
        title=title,
        description=description,
        body=body,
        based_on=based_on,
        source_number=source_number,
    )
    record(
        "public_page.saved",
        actor=actor,
        target=page,
        detail={"language": language, "version": version.number},
    )
    return version


@transaction.atomic
def publish(page: PublicPage, *, actor, language: str, number: int | None = None) -> PageVersion:
    """Publish the latest version of the page in one language (or, when `number` is given, check
    it is still the latest: what the editor previewed is what goes out)."""
    require_editor(actor)
    translation = (
        PageTranslation.objects.select_for_update()
        .filter(page=page, language=language)
        .select_related("latest")
        .first()
    )
    if translation is None:
        raise ActionError(_("There is no text in this language to publish."), field="language")
    version = translation.latest
    if number is not None and int(number) != version.number:
        raise conflict(_("page"))
    if translation.published_id == version.pk:
        raise ActionError(_("This version is published already."))
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    translation.published = version
    translation.save(update_fields=["published", "updated_at"])
    record(
        "public_page.published",
        actor=actor,
        target=page,
        detail={"language": language, "version": version.number},
    )
    return version


@transaction.atomic
def restore_version(
    page: PublicPage, *, actor, language: str, number: int, based_on: int | None
) -> PageVersion:
    """Save the text of an old version as the new latest version (a draft until published):
    nothing old is changed, and the restored text is checked as any save is. A translation keeps
    following the source version the old text followed."""
    require_editor(actor)
    old = PageVersion.objects.filter(page=page, language=language, number=number).first()
    if old is None:
        raise ActionError(_("There is no such version of this page."), field="number")
    version = _new_version(
        page,
        actor=actor,
        language=language,
        title=old.title,
        description=old.description,
        body=old.body,
        based_on=based_on,
        source_number=old.source_number,
    )
    record(
        "public_page.restored",
        actor=actor,
        target=page,
        detail={"language": language, "version": version.number, "restored": old.number},
    )
    return version
