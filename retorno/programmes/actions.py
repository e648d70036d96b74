"""Changes to programmes and cycles (administrators only), audited."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.accounts.roles import Capability
from retorno.audit.events import record
from retorno.lib.errors import ActionError
from retorno.programmes.models import Cycle, Programme


def _require_admin(actor) -> None:
    if not actor.can(Capability.MANAGE_ORGANISATIONS):
        raise ActionError(_("Your role does not allow this."), code="forbidden")


@transaction.atomic
def create_programme(*, actor, code: str, name: str, description: str = "") -> Programme:
    _require_admin(actor)
    code = code.strip().upper()
    if Programme.objects.filter(code=code).exists():
        raise ActionError(_("Another programme already uses this code."), field="code")
    programme = Programme.objects.create(code=code, name=name.strip(), description=description)
    record("programme.created", actor=actor, target=programme, detail={"name": programme.name})
    return programme


@transaction.atomic
def create_cycle(
    programme: Programme, *, actor, name, starts_on, ends_on, target_people, desks=()
) -> Cycle:
    _require_admin(actor)
    if Cycle.objects.filter(programme=programme, name=name.strip()).exists():
        raise ActionError(_("This programme already has a cycle with this name."), field="name")
    cycle = Cycle.objects.create(
        programme=programme,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        target_people=target_people,
    )
    cycle.desks.set(desks)
    record(
        "cycle.created",
        actor=actor,
        target=cycle,
        detail={"programme": programme.code, "desks": sorted(d.code for d in desks)},
    )
    return cycle


@transaction.atomic
def update_cycle(
    cycle: Cycle, *, actor, name, starts_on, ends_on, target_people, desks=()
) -> Cycle:
    _require_admin(actor)
    before = {
        "name": cycle.name,
        "starts_on": str(cycle.starts_on),
        "ends_on": str(cycle.ends_on),
        "target_people": cycle.target_people,
        "desks": sorted(cycle.desks.values_list("code", flat=True)),
    }
    cycle.name = name.strip()
    cycle.starts_on = starts_on
    cycle.ends_on = ends_on
    cycle.target_people = target_people
    cycle.save(update_fields=["name", "starts_on", "ends_on", "target_people"])
    cycle.desks.set(desks)
    after = {
        "name": cycle.name,
        "starts_on": str(starts_on),
        "ends_on": str(ends_on),
        "target_people": target_people,
        "desks": sorted(d.code for d in desks),
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        record("cycle.updated", actor=actor, target=cycle, changes=changes)
    return cycle
