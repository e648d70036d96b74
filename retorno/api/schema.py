"""The OpenAPI schema: every operation documents the errors it can answer, in the one error shape.

The error responses are derived from the operation itself (its method, path and query
parameters, request body and authentication), so a new view is documented without writing them
by hand; a view that declares a status itself keeps its own description.
"""

from drf_spectacular import openapi
from rest_framework import serializers

WRITES = ("POST", "PUT", "PATCH", "DELETE")


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField(help_text="A stable code: `invalid`, `not_found`, `conflict`...")
    message = serializers.CharField(help_text="What went wrong, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For `invalid`: the messages of each field of the body that has errors.",
    )


class Error(serializers.Serializer):
    """Every error of the API: `{"error": {"code", "message", "fields"}}`."""

    error = ErrorDetail()


ERRORS = {
    400: "The request has errors or cannot be done in the object's state (`invalid`, with "
    "`fields` naming each wrong field; `parse_error` for a body that is not valid JSON).",
    401: "No token, or a token that no longer works (`not_authenticated`, "
    "`authentication_failed`).",
    403: "Your role or organisation does not allow this (`permission_denied`, `forbidden`).",
    404: "No such object, or not one you can see (`not_found`); also a page past the last.",
    406: "The `Accept` header asks for a type the API does not answer (`not_acceptable`).",
    409: "The object changed meanwhile, or this was already done (`conflict`, `already_done`).",
    413: "The request body is too large (`too_large`).",
    415: "The body is not of a type this operation accepts (`unsupported_media_type`).",
}


def error_statuses(method: str, operation: dict) -> list[int]:
    """The error statuses an operation can answer, from what the operation is."""
    parameters = operation.get("parameters", [])
    in_path = any(p.get("in") == "path" for p in parameters)
    in_query = [p["name"] for p in parameters if p.get("in") == "query"]
    has_body = "requestBody" in operation
    security = operation.get("security", [])
    authenticated = bool(security) and {} not in security
    codes = [406]
    if has_body or in_query or method in WRITES:
        codes.append(400)
    if authenticated:
        codes += [401, 403]
    if in_path or "page" in in_query:
        codes.append(404)
    if method in WRITES:
        codes.append(409)
    if has_body:
        codes += [413, 415]
    return sorted(codes)


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        error = {"application/json": {"schema": self.resolve_serializer(Error, "response").ref}}
        responses = operation["responses"]
        for code, response in responses.items():
            # An error status a view declares with its description only (a 404 for an object
            # named in the query string) answers in the error shape too.
            if code.startswith("4") and "content" not in response:
                response["content"] = error
        for code in error_statuses(self.method, operation):
            responses.setdefault(str(code), {"description": ERRORS[code], "content": error})
        return dict(operation, responses=dict(sorted(responses.items())))
