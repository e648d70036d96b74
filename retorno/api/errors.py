"""One error shape for every API error: {"error": {"code", "message", "fields"}}."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from retorno.lib.errors import ActionError


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail) -> list[str]:
    if isinstance(detail, list):
        out = []
        for item in detail:
            out.extend(_flatten(item))
        return out
    if isinstance(detail, dict):
        out = []
        for value in detail.values():
            out.extend(_flatten(value))
        return out
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, ActionError):
        fields = {exc.field: [str(exc.message)]} if exc.field else {}
        code = exc.code
        # Refused by role: 403. Out of date, or already done (a second click): 409.
        if code == "forbidden":
            http = status.HTTP_403_FORBIDDEN
        elif code in ("conflict", "already_done"):
            http = status.HTTP_409_CONFLICT
        else:
            http = status.HTTP_400_BAD_REQUEST
        return Response(error_body(code, exc.message, fields), status=http)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("too_large", _("The request body is too large.")),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent):
        exc = exceptions.ParseError(_("The request has too many fields."))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {name: _flatten(value) for name, value in detail.items()}
        response.data = error_body(
            "invalid", _("The request has errors. Correct them and try again."), fields
        )
    else:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        code = codes if isinstance(codes, str) else "error"
        message = " ".join(_flatten(exc.detail)) if hasattr(exc, "detail") else str(exc)
        response.data = error_body(code, message)
    return response


def not_found(request, exception=None):
    """Django's 404 for URLs under /api/ that match no endpoint, in the same shape."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


@csrf_exempt
def unknown_path(request, path=""):
    """Any URL under /api/ that matches no endpoint, whatever the method: 404 in the error shape
    (with DEBUG on too, where Django would answer its HTML debug page). A known endpoint asked
    without its final slash is redirected to it, as Django's APPEND_SLASH does."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        match = resolve_or_none(request.path_info + "/")
        if match is not None and match.func is not unknown_path:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return not_found(request)


def resolve_or_none(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


def server_error(request):
    return JsonResponse(
        error_body("server_error", _("Something went wrong on our side. Try again later.")),
        status=500,
    )
