"""The primary navigation, by role. Sections appear here as the apps that serve them are built."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    capability: str | None  # None: every signed-in member of staff
    badge_key: str = ""


SECTIONS = [
    Section(_("My work"), "home", None),
    Section(_("Audit"), "audit:events", Capability.VIEW_AUDIT),
    Section(_("Organisations"), "accounts:organisations", Capability.MANAGE_ORGANISATIONS),
    Section(_("Users"), "accounts:users", Capability.MANAGE_OWN_USERS),
]

# Later apps append their sections through register(), called from their AppConfig.ready(),
# and say how many things wait in a section through register_badge().
BADGES = {}


def register_badge(key: str, count) -> None:
    """count(user) -> how many things wait for the user in that section (0 shows no badge)."""
    BADGES[key] = count


def register(section: Section, *, before: str | None = None) -> None:
    if any(s.url_name == section.url_name for s in SECTIONS):
        return
    index = next((i for i, s in enumerate(SECTIONS) if s.url_name == before), len(SECTIONS))
    SECTIONS.insert(index, section)


def sections_for(user, path: str) -> list[dict]:
    items = []
    for section in SECTIONS:
        if section.capability is not None and not user.can(section.capability):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        current = path == url if url == "/" else path.startswith(url)
        badge = BADGES[section.badge_key](user) if section.badge_key in BADGES else 0
        items.append({"label": section.label, "url": url, "current": current, "badge": badge})
    return items
