"""Text normalisation shared by matching, search and the directory: no models, no Django."""

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_text(value: str) -> str:
    """Lowercase, accents removed, punctuation and hyphens to spaces, whitespace collapsed.

    >>> normalise_text("María-José  Núñez")
    'maria jose nunez'
    """
    if not value:
        return ""
    return _normalise_text(value)


@lru_cache(maxsize=65_536)  # names repeat a lot: "maria", "garcia"
def _normalise_text(value: str) -> str:
    value = value.casefold()
    if not value.isascii():
        decomposed = unicodedata.normalize("NFKD", value)
        value = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", value).strip()
