"""Reads of monitoring that deserve a name: My work's items, a case's scores over time, and a
desk's monitoring page. Each runs a fixed number of queries, whatever the number of rows."""

import datetime
import itertools
from decimal import Decimal

from django.db.models import Count, Q

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.cases.access import case_ids_assigned_to
from retorno.monitoring import access, rules
from retorno.monitoring.models import CaseMonitoring, FollowUp, Survey

MY_WORK_ROWS = 20
LIST_ROWS = 20
# What a list of cases shows of each: its link, reference and the person's name.
LIST_CASE_FIELDS = (
    "case__public_id",
    "case__reference",
    "case__person__given_names",
    "case__person__first_surname",
    "case__person__second_surname",
)
REACHED_MONTHS = (3, 6, 12)
FIGURES = ("economic", "social", "psychosocial", "composite")
# Score bands of the distribution: [0, 0.2), [0.2, 0.4), ... [0.8, 1].
BANDS = tuple(Decimal(n) / 10 for n in range(0, 11, 2))


def _follows_returns(user) -> bool:
    """Whether the user works at a national desk: the desks that follow people after their
    return (a European desk hands its cases over before reception, programme coordination
    works on no case), so the only ones with monitored cases."""
    desk = getattr(user, "organisation", None)
    return desk is not None and desk.kind == Organisation.Kind.NATIONAL_DESK


def my_at_risk(user, today):
    """The open cases at risk that the user is assigned to; for a coordinator, those of the
    desk."""
    if not user.can(Capability.WORK_CASES) or not _follows_returns(user):
        return None
    rows = access.monitoring_visible_to(user).filter(at_risk=True, closed=False)
    if not user.can(Capability.MANAGE_CASES):
        rows = rows.filter(case__in=case_ids_assigned_to(user))
    rows = list(
        rows.select_related("case__person", "latest_survey").order_by("at_risk_since", "pk")[
            :MY_WORK_ROWS
        ]
    )
    return {"rows": rows} if rows else None


def lost_contact_proposals(user):
    """The desk's open cases proposed for closing as lost contact, for its coordinators."""
    if not user.can(Capability.MANAGE_CASES) or not _follows_returns(user):
        return CaseMonitoring.objects.none()
    return access.monitoring_visible_to(user).filter(
        lost_contact=CaseMonitoring.LostContact.PROPOSED, closed=False
    )


def my_lost_contact(user, today):
    rows = list(
        lost_contact_proposals(user)
        .select_related("case__person")
        .order_by("lost_contact_proposed_at", "pk")[:MY_WORK_ROWS]
    )
    return {"rows": rows} if rows else None


def scores_over_time(case) -> list[Survey]:
    """A case's submitted surveys, oldest first, with their version (the case from cases.access
    with full access)."""
    return list(
        Survey.objects.filter(case=case, status=Survey.Status.SUBMITTED)
        .select_related("instrument__instrument", "follow_up")
        .order_by("submitted_at", "pk")
    )


def chart(surveys: list[Survey], *, width=320, height=120) -> dict:
    """The scores over time as SVG polylines (no JavaScript): one line per figure, x by survey,
    y by score from 0 (bottom) to 1 (top)."""
    if not surveys:
        return {}
    left, top, bottom = 28, 8, 16
    inner_w, inner_h = width - left - 8, height - top - bottom
    step = inner_w / max(len(surveys) - 1, 1)
    lines = {}
    for figure in FIGURES:
        points = [
            (left + i * step, top + inner_h * (1 - float(getattr(s, figure))))
            for i, s in enumerate(surveys)
            if getattr(s, figure) is not None
        ]
        lines[figure] = {
            "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
            "dots": [{"x": round(x, 1), "y": round(y, 1)} for x, y in points],
        }
    grid = [{"y": round(top + inner_h * (1 - v), 1), "label": f"{v:.1f}"} for v in (0, 0.5, 1)]
    return {"width": width, "height": height, "lines": lines, "grid": grid, "left": left}


def desk_monitoring(counted, today: datetime.date) -> dict:
    """A desk's monitoring page from what it counts for the user (monitoring.access.counted_for):
    follow-ups overdue, due within two weeks and done; the share reached at 3, 6 and 12 months;
    the distribution of the open cases' latest scores; the open cases at risk. Nine queries,
    each on the desk's own rows of one table's index."""
    follow_ups, monitoring = counted.follow_ups, counted.monitoring
    soon = today + datetime.timedelta(days=rules.DUE_WITHIN)
    # A planned follow-up is one of an open case (closing a case ends its follow-ups).
    planned = Q(status=FollowUp.Status.PLANNED)
    # Three counts, each a range of the index on (desk, status, date).
    counts = {
        "overdue": follow_ups.filter(planned, due_on__lt=today).count(),
        "due": follow_ups.filter(planned, due_on__gte=today, due_on__lte=soon).count(),
        "done": follow_ups.filter(status=FollowUp.Status.DONE).count(),
    }
    # Reached: among the follow-ups at 3, 6 and 12 months whose date has come, the share done.
    # Those still planned count as not reached, and so do those missed when the case closed as
    # lost contact; those cancelled (a schedule changed, a case closed otherwise) are not
    # expected. (The statuses are counted rather than filtered, and the desk column rather
    # than the id, so that the index on (desk, month, date, status) answers alone.)
    expected = Q(status__in=[FollowUp.Status.PLANNED, FollowUp.Status.DONE, FollowUp.Status.MISSED])
    reached_rows = (
        follow_ups.filter(month__in=REACHED_MONTHS, due_on__lte=today)
        .values("month")
        .annotate(
            expected=Count("desk", filter=expected),
            reached=Count("desk", filter=Q(status=FollowUp.Status.DONE)),
        )
        .order_by()
    )
    by_month = {row["month"]: row for row in reached_rows}
    reached = []
    for month in REACHED_MONTHS:
        row = by_month.get(month, {"expected": 0, "reached": 0})
        share = round(100 * row["reached"] / row["expected"]) if row["expected"] else None
        reached.append({"month": month, **row, "share": share})

    open_cases = monitoring.filter(closed=False)
    # One grouped read of the open cases' latest score bands, in the order of their index.
    bands = {figure: [0] * (len(BANDS) - 1) for figure in FIGURES}
    unscored = dict.fromkeys(FIGURES, 0)
    columns = [f"{figure}_band" for figure in FIGURES]
    grouped = (
        open_cases.filter(latest_survey__isnull=False)
        .values(*columns)
        .annotate(n=Count("*"))
        .order_by(*columns)
    )
    for row in grouped:
        for figure in FIGURES:
            band = row[f"{figure}_band"]
            if band is None:
                unscored[figure] += row["n"]
            else:
                bands[figure][band] += row["n"]
    distribution = []
    for figure in FIGURES:
        rows = [
            {"low": low, "high": high, "count": count}
            for (low, high), count in zip(itertools.pairwise(BANDS), bands[figure], strict=True)
        ]
        total = sum(r["count"] for r in rows)
        for r in rows:
            r["percent"] = round(100 * r["count"] / total) if total else 0
        distribution.append(
            {"figure": figure, "rows": rows, "total": total, "none": unscored[figure]}
        )

    at_risk = open_cases.filter(at_risk=True)
    return {
        "counts": counts,
        "reached": reached,
        "distribution": distribution,
        "at_risk_count": at_risk.count(),
        # Longest at risk first, unread: the page reads them page by page, the API the first.
        "at_risk": at_risk.select_related("case__person", "latest_survey").order_by(
            "at_risk_since", "pk"
        ),
        # The columns the lists show, not every column of the case and the person.
        "overdue": list(
            follow_ups.filter(planned, due_on__lt=today)
            .select_related("case__person")
            .only("public_id", "month", "due_on", *LIST_CASE_FIELDS)
            .order_by("due_on", "pk")[:LIST_ROWS]
        ),
    }
