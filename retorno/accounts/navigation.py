"""The primary navigation, by role: the sections every app declares in its plugin.py."""

from django.urls import NoReverseMatch, reverse

from retorno.lib.plugins import registry


def sections_for(user, path: str) -> list[dict]:
    items = []
    for section in registry().navigation:
        if section.capability is not None and not user.can(section.capability):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        current = path == url if url == "/" else path.startswith(url)
        badge = section.badge(user) if section.badge is not None else 0
        items.append({"label": section.label, "url": url, "current": current, "badge": badge})
    return items
