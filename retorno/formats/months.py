"""Month names for our catalogue. Django's Italian and Portuguese catalogues capitalise them
("14 Giugno", "20 de Janeiro"); written in a sentence they are lower case ("14 giugno 2026",
"20 de janeiro de 2026"). Our catalogue comes first (LOCALE_PATHS), so these win in dates."""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
