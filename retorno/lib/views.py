"""Small helpers for function views."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404


def capability_required(capability: str):
    """Signed in, acting under a membership whose role has the capability; 403 otherwise."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(request.user, "membership", None) is None:
                raise Http404
            if not request.user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def form_error(form, error) -> None:
    """Show an ActionError on the form: beside its field when it names one, on top otherwise."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
