"""Tasks on a case."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Membership
from retorno.cases.actions.common import event, touch_case
from retorno.cases.models import (
    Case,
    Task,
)
from retorno.cases.rules import (
    audit_case,
    require_case_open,
    require_case_owner,
)
from retorno.lib.errors import ActionError


@transaction.atomic
def create_task(case: Case, *, actor, title: str, assignee, due_on, notes: str = "") -> Task:
    require_case_owner(actor, case)
    require_case_open(case)
    if not title.strip():
        raise ActionError(_("Say what is to be done"), field="title")
    if (
        assignee.pk != actor.pk
        and not Membership.objects.filter(
            user=assignee, organisation=case.owning_desk, is_active=True, user__is_active=True
        ).exists()
    ):
        raise ActionError(
            _("Choose someone who works at %(desk)s.") % {"desk": case.owning_desk.local_name},
            field="assignee",
        )
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        notes=notes,
        assignee=assignee,
        desk=case.owning_desk,
        due_on=due_on,
        created_by=actor,
    )
    touch_case(case)
    audit_case(
        "task.created",
        actor=actor,
        case=case,
        detail={"task": str(task.public_id), "assignee": assignee.username, "due": str(due_on)},
    )
    event(
        case,
        "task_created",
        actor=actor,
        title=task.title,
        assignee=assignee.get_full_name(),
        due=str(due_on),
    )
    return task


@transaction.atomic
def complete_task(task: Task, *, actor) -> Task:
    require_case_owner(actor, task.case)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Task.Status.OPEN:
        raise ActionError(_("This task is already done."), code="already_done")
    task.status = Task.Status.DONE
    task.completed_at = timezone.now()
    task.completed_by = actor
    task.save(update_fields=["status", "completed_at", "completed_by"])
    touch_case(task.case)
    audit_case("task.completed", actor=actor, case=task.case, detail={"task": str(task.public_id)})
    event(task.case, "task_completed", actor=actor, title=task.title)
    return task
