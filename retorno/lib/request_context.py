"""The current request's id and client address, for audit events written deep inside actions.

Actions take the acting user explicitly; where the request came from is ambient, so it travels in
a context variable set by RequestContextMiddleware (and is empty in commands and tests).
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


_EMPTY = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("retorno_request", default=None)


def current() -> RequestContext:
    return _current.get() or _EMPTY


def set_current(context: RequestContext):
    return _current.set(context)


def reset(token) -> None:
    _current.reset(token)
