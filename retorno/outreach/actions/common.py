"""What the outreach actions share: version checks and the conflict they raise."""

from django.utils.translation import gettext as _

from retorno.lib.errors import ActionError


def conflict(what: str) -> ActionError:
    return ActionError(
        _(
            "Someone else changed this %(what)s while you were working on it. Check what "
            "changed, then try again."
        )
        % {"what": what},
        code="conflict",
    )


def check_version(obj, expected, what: str) -> None:
    if expected is not None and int(expected) != obj.version:
        raise conflict(what)
