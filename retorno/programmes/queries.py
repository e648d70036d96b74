"""Named reads of programmes and cycles."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Organisation
from retorno.lib.errors import ActionError
from retorno.programmes.models import Cycle


def current_cycle(desk: Organisation, *, on: datetime.date | None = None) -> Cycle:
    """The cycle a desk is taking part in today (the latest one that has started)."""
    on = on or timezone.localdate()
    cycle = (
        Cycle.objects.filter(desks=desk, starts_on__lte=on, programme__is_active=True)
        .order_by("-starts_on")
        .first()
    )
    if cycle is None:
        raise ActionError(
            _("%(desk)s takes part in no programme cycle yet. Ask an administrator to add it.")
            % {"desk": desk.local_name},
            code="no_cycle",
        )
    return cycle
