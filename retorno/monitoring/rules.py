"""The rules of monitoring, public for the actions, the pages, the API and My work alike: when
the follow-ups of a case fall, what a schedule may say, when a case is at risk, and who may
change a programme's schedule or read a desk's monitoring."""

import calendar
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.monitoring import instrument
from retorno.monitoring.models import (
    DEFAULT_MONTHS,
    DEFAULT_SURVEY_MONTHS,
    Instrument,
    InstrumentVersion,
    Schedule,
)

DEFAULT_INSTRUMENT = "rss"
MAX_MONTH = 60
# A follow-up is overdue the day after its date; "due" on the monitoring page means within the
# next DUE_WITHIN days.
DUE_WITHIN = 14
# The task a case at risk gives its caseworker is due this many days later.
REVIEW_WITHIN = 7


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 = 28 or
    29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_instrument_version() -> InstrumentVersion | None:
    """The newest version of the default instrument (loaded by the migrations)."""
    return (
        InstrumentVersion.objects.filter(instrument__code=DEFAULT_INSTRUMENT)
        .order_by("-number")
        .first()
    )


def schedule_of(programme) -> Schedule:
    """The programme's schedule; an unsaved one with the defaults when it has none of its own."""
    try:
        return programme.monitoring_schedule
    except Schedule.DoesNotExist:
        return Schedule(
            programme=programme,
            months=list(DEFAULT_MONTHS),
            survey_months=list(DEFAULT_SURVEY_MONTHS),
            instrument=default_instrument_version(),
            version=0,
        )


def months_problem(months, survey_months) -> dict:
    """What is wrong with a schedule's months, by field: translated sentences."""
    problems = {}
    if not months:
        problems["months"] = _("Plan at least one follow-up.")
    elif any(not isinstance(m, int) or not 1 <= m <= MAX_MONTH for m in months):
        problems["months"] = _("Write months between 1 and %(max)s.") % {"max": MAX_MONTH}
    elif len(set(months)) != len(months):
        problems["months"] = _("Each month once.")
    if survey_months and "months" not in problems:
        extra = sorted(set(survey_months) - set(months or ()))
        if extra:
            problems["survey_months"] = _(
                "The survey can only be taken at a follow-up: there is none at month %(months)s."
            ) % {"months": ", ".join(str(m) for m in extra)}
    return problems


def risk_reasons(scores: dict, previous: dict | None, version_definition: dict, margin) -> list:
    """Why a case is at risk after a survey with these scores: each dimension under its
    threshold, and each figure (dimensions and composite) that dropped by more than the margin
    since the previous submitted survey. Figures as strings, for the record."""
    reasons = []
    for code, threshold in instrument.thresholds(version_definition).items():
        value = scores.get(code)
        if value is not None and value < threshold:
            reasons.append(
                {
                    "kind": "under",
                    "dimension": code,
                    "score": str(value),
                    "threshold": str(threshold),
                }
            )
    if previous:
        for code in (*instrument.DIMENSIONS, "composite"):
            before, now = previous.get(code), scores.get(code)
            if before is not None and now is not None and Decimal(before) - now > Decimal(margin):
                reasons.append(
                    {"kind": "drop", "dimension": code, "from": str(before), "to": str(now)}
                )
    return reasons


def is_programme_coordination(user) -> bool:
    organisation = getattr(user, "organisation", None)
    return (
        user.can(Capability.MANAGE_CASES)
        and organisation is not None
        and organisation.kind == Organisation.Kind.COORDINATION
    )


def may_change_schedule(user) -> bool:
    """A programme's schedule and the instrument versions: programme coordination and the
    administrators who manage programmes."""
    return is_programme_coordination(user) or user.can(Capability.MANAGE_ORGANISATIONS)


def may_read_desk_monitoring(user, desk) -> bool:
    """A desk's monitoring page: its coordinators; programme coordination for every desk."""
    if is_programme_coordination(user):
        return True
    organisation = getattr(user, "organisation", None)
    return (
        user.can(Capability.MANAGE_CASES)
        and organisation is not None
        and organisation.pk == desk.pk
        and organisation.is_desk
    )


def instrument_of(code: str) -> Instrument | None:
    return Instrument.objects.filter(code=code).first()
