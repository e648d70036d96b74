"""Load the public site's shipped texts (retorno/outreach/content/<key>/<lang>.md) as published
pages: each page is created if missing, each language saved as a new version and published,
the source language first so that translations record the version they follow. A language whose
latest text equals the file is left alone, so the command can run on every deployment."""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from retorno.accounts.middleware import act_as
from retorno.accounts.roles import Capability, Role
from retorno.outreach.actions import content
from retorno.outreach.models import LANGUAGES, PageTranslation, PublicPage

CONTENT = Path(__file__).resolve().parents[2] / "content"

# The pages of the site in the order of its menu; then the eight country guides.
PAGES = ("home", "offer", "eligibility", "how-it-works", "faq", "desks", "privacy")
GUIDES = {
    "guide-bo": "BO",
    "guide-br": "BR",
    "guide-cl": "CL",
    "guide-co": "CO",
    "guide-ec": "EC",
    "guide-py": "PY",
    "guide-pe": "PE",
    "guide-uy": "UY",
}
# The language each text was written in (the others are its translations).
SOURCE_LANGUAGE = {"guide-br": "pt", **{key: "es" for key in GUIDES if key != "guide-br"}}


@dataclass(frozen=True)
class Text:
    title: str
    description: str
    body: str


def parse(path: Path) -> Text:
    """A text file: `title:` and `description:` lines, a `---` line, then the Markdown body."""
    head, separator, body = path.read_text(encoding="utf-8").partition("\n---\n")
    if not separator:
        raise ValueError(f"{path}: no '---' line after the front matter")
    fields = {}
    for line in head.strip().splitlines():
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip()] = value.strip()
    return Text(fields.get("title", ""), fields.get("description", ""), body.strip())


def shipped() -> list[tuple[str, str, str, str, int]]:
    """(key, kind, country, source language, position) of every shipped text, pages first."""
    found = []
    for position, key in enumerate(PAGES):
        found.append((key, PublicPage.Kind.PAGE, "", "it", position))
    for position, (key, country) in enumerate(GUIDES.items()):
        found.append((key, PublicPage.Kind.GUIDE, country, SOURCE_LANGUAGE[key], position))
    return found


def _same(version, text: Text) -> bool:
    return (
        version.title == text.title.strip()
        and version.description == " ".join(text.description.split())
        and version.body == text.body.replace("\r\n", "\n").strip()
    )


@dataclass(frozen=True)
class Loaded:
    published: int  # translations that got a new published version
    kept: int  # translations edited on the site, left as they are


@transaction.atomic
def load_public_content(actor, *, update: bool = False) -> Loaded:
    """Create, save and publish the shipped texts as `actor`; with `update`, also replace the
    texts edited on the site by the files' (as new versions)."""
    published = kept = 0
    for key, kind, country, source, position in shipped():
        page = PublicPage.objects.filter(key=key).first()
        if page is None:
            page = content.create_page(
                actor=actor,
                key=key,
                kind=kind,
                country=country,
                source_language=source,
                position=position,
            )
        order = [page.source_language] + [
            lang for lang in LANGUAGES if lang != page.source_language
        ]
        for language in order:
            path = CONTENT / key / f"{language}.md"
            if not path.exists():
                continue
            text = parse(path)
            translation = (
                PageTranslation.objects.filter(page=page, language=language)
                .select_related("latest")
                .first()
            )
            latest = translation.latest if translation else None
            if latest is not None and not _same(latest, text) and not update:
                kept += 1
                continue
            if latest is None or not _same(latest, text):
                latest = content.save_version(
                    page,
                    actor=actor,
                    language=language,
                    title=text.title,
                    description=text.description,
                    body=text.body,
                    based_on=latest.number if latest else None,
                )
            if translation is None or translation.published_id != latest.pk:
                content.publish(page, actor=actor, language=language)
                published += 1
    return Loaded(published, kept)


class Command(BaseCommand):
    help = (
        "Load the public site's shipped pages and country guides in the four languages and "
        "publish them. Safe to run again: a text already loaded is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            help="Username of the outreach officer who loads the texts (default: the "
            "first active outreach officer).",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also replace the texts edited on the site with the shipped files' texts.",
        )

    def handle(self, *args, user=None, update=False, **options):
        users = get_user_model().objects.filter(is_active=True)
        if user:
            found = users.filter(username=user).first()
        else:
            found = (
                users.filter(memberships__role=Role.OUTREACH_OFFICER, memberships__is_active=True)
                .order_by("pk")
                .first()
            )
        actor = act_as(found) if found is not None else None
        if actor is None or not actor.can(Capability.RUN_OUTREACH):
            raise CommandError("No active outreach officer to load the texts as: use --user.")
        loaded = load_public_content(actor, update=update)
        self.stdout.write(f"Public content loaded: {loaded.published} translations published.")
        if loaded.kept:
            self.stdout.write(
                f"{loaded.kept} translations edited on the site were kept; use --update to "
                "replace them with the shipped texts."
            )
