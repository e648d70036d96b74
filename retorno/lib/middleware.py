import re
import time
import uuid

from django.conf import settings
from django.http import Http404
from django.urls import get_resolver
from django.utils.cache import add_never_cache_headers

from retorno.lib import request_context


def client_ip(request) -> str | None:
    """The client address, trusting X-Forwarded-For only as far as our own proxies go."""
    hops = settings.RETORNO_TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


# An incoming X-Request-ID (from our load balancer, or a client tracing its calls) is kept only
# if it is made of these characters: it is written into the audit trail and its exports, so a
# header like =HYPERLINK(...) or one with spaces, quotes or control characters gets a fresh id.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and remembers its client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else ""
        request.request_id = request_id or uuid.uuid4().hex
        token = request_context.set_current(
            request_context.RequestContext(request.request_id, client_ip(request))
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreMiddleware:
    """Pages for signed-in users carry personal data: shared computers must not cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(settings.STATIC_URL)
        ):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, max-age=0"
        return response


class SessionActivityMiddleware:
    """Keeps a signed-in session alive while it is used, writing it at most once a minute
    rather than on every request (SESSION_SAVE_EVERY_REQUEST would write on each page)."""

    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_seen", 0) >= self.REFRESH_SECONDS:
                request.session["_seen"] = now  # marks the session modified: saved, expiry renewed
        return self.get_response(request)


class DebugNotFoundMiddleware:
    """With DEBUG on (the demo, development), a missing page is still Retorno's own 404 page,
    not Django's technical one listing every URL pattern. RETORNO_TECHNICAL_404=true brings
    Django's page back for a developer tracing a URL; with DEBUG off Django already uses ours."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.RETORNO_TECHNICAL_404
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "retorno_page", False)
        ):
            # The project's handler404, looked up as Django does (no import of the layer above).
            not_found = get_resolver().resolve_error_handler(404)
            return not_found(request, Http404())
        return response
