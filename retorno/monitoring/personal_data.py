"""What monitoring holds about a person (the follow-ups, attempts and surveys of their cases)
and how it anonymises it: the notes go; dates, methods, answers and scores stay, since the
programme's results are made of them and they no longer say who the person is once the person
record is anonymised."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.audit.events import record
from retorno.lib.plugins import PersonDataSection
from retorno.monitoring.models import ContactAttempt, FollowUp, Survey


def person_data(person) -> list[PersonDataSection]:
    rows = []
    for follow_up in (
        FollowUp.objects.filter(case__person=person, status=FollowUp.Status.DONE)
        .select_related("case")
        .order_by("case_id", "month")
    ):
        rows.append(
            (
                str(_("follow-up")),
                f"{follow_up.case.reference} · +{follow_up.month} · {follow_up.done_on} · "
                f"{follow_up.get_method_display()}",
            )
        )
        for text in (follow_up.note, follow_up.new_needs):
            if text:
                rows.append((str(_("note")), text))
    for attempt in ContactAttempt.objects.filter(case__person=person).order_by("attempted_at"):
        rows.append(
            (
                str(_("contact attempt")),
                f"{attempt.attempted_at:%Y-%m-%d} · {attempt.get_method_display()} · "
                f"{attempt.get_reason_display()}",
            )
        )
        if attempt.note:
            rows.append((str(_("note")), attempt.note))
    for survey in Survey.objects.filter(
        case__person=person, status=Survey.Status.SUBMITTED
    ).order_by("submitted_at"):
        rows.append(
            (
                str(_("survey")),
                f"{survey.submitted_at:%Y-%m-%d} · {survey.instrument} · "
                + " · ".join(
                    f"{code} {getattr(survey, code) if getattr(survey, code) is not None else '—'}"
                    for code in ("economic", "social", "psychosocial", "composite")
                ),
            )
        )
    return [PersonDataSection(_("Monitoring of the return"), tuple(rows))] if rows else []


def anonymise_person(person, *, actor) -> int:
    """Blank the notes of the person's follow-ups and attempts; atomic, audited
    (`monitoring.anonymised`)."""
    with transaction.atomic():
        changed = {
            "follow_ups": FollowUp.objects.filter(case__person=person)
            .exclude(note="", new_needs="")
            .update(note="", new_needs=""),
            "attempts": ContactAttempt.objects.filter(case__person=person)
            .exclude(note="")
            .update(note=""),
        }
        if any(changed.values()):
            record(
                "monitoring.anonymised",
                actor=actor,
                target=person,
                person_id=person.public_id,
                detail=changed,
            )
    return sum(changed.values())
