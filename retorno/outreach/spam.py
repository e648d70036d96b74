"""How the public forms hold spam off without cookies or a third-party service.

- A hidden field ("leave empty"), hidden with CSS and out of the keyboard order: people never
  fill it, simple bots do.
- A signed time token rendered in each form (salted per form): a form sent faster than
  `RETORNO_FORM_MIN_SECONDS` after it was shown, older than `RETORNO_FORM_MAX_SECONDS`, or with a
  token that is not ours is refused.
- The rate limit per address (`actions.public.allow_submission`), counted only for forms that
  passed the two checks above.

The public forms are exempt from CSRF (a CSRF token needs a cookie): these checks stand in, and
the forms change nothing a visitor could be tricked into (they only add a request)."""

import time

from django.conf import settings
from django.core import signing

from retorno.lib import request_context
from retorno.outreach.actions import public

HONEYPOT = "website"
TOKEN = "form_token"
MIN_SECONDS = 3
MAX_SECONDS = 2 * 60 * 60


class Rejected(Exception):
    """A submission refused as spam; `status` is the HTTP answer (400, or 429 for the limit)."""

    def __init__(self, reason: str, status: int = 400):
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _salt(form_name: str) -> str:
    return f"retorno.outreach.public-form.{form_name}"


def issue(form_name: str) -> str:
    """The token a form carries: the time it was shown, signed for this form only."""
    return signing.dumps(int(now()), salt=_salt(form_name), compress=False)


def now() -> float:
    return time.time()


def check(data, form_name: str) -> None:
    """Raises Rejected unless the submission looks like a person's: the hidden field empty, the
    token ours, for this form, and neither too fresh nor too old."""
    if data.get(HONEYPOT):
        raise Rejected("honeypot")
    try:
        shown = int(signing.loads(data.get(TOKEN, ""), salt=_salt(form_name)))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise Rejected("token") from error
    age = now() - shown
    minimum = getattr(settings, "RETORNO_FORM_MIN_SECONDS", MIN_SECONDS)
    maximum = getattr(settings, "RETORNO_FORM_MAX_SECONDS", MAX_SECONDS)
    if age < minimum:
        raise Rejected("too-fast")
    if age > maximum:
        raise Rejected("too-old")


def check_rate(address: str | None) -> None:
    """Counts one complete form from this address; Rejected (429) past the hourly limit. Only
    forms without errors count, so a person correcting a mistake is not held back."""
    if not public.allow_submission(address):
        raise Rejected("rate-limit", status=429)


def client_address(request) -> str | None:
    return request_context.current().ip_address or request.META.get("REMOTE_ADDR") or None
