"""A coordinator's duplicate report: pairs of the desk's persons that look alike, to merge
or to mark as different people."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from retorno.accounts.roles import Capability
from retorno.cases import access, actions, queries
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required


@capability_required(Capability.MANAGE_CASES)
def duplicates(request):
    visible = access.persons_visible_to(request.user).filter(merged_into__isnull=True)
    matches, by_key = queries.desk_duplicates(request.user.organisation, persons=visible)
    page = Paginator(matches, 50).get_page(request.GET.get("page"))
    pairs = [
        {"a": by_key[m.a], "b": by_key[m.b], "match": m, "score": round(m.score * 100)}
        for m in page.object_list
    ]
    cases = {}
    for case in access.cases_visible_to(request.user).filter(
        person__in=[p for pair in pairs for p in (pair["a"], pair["b"])]
    ):
        cases.setdefault(case.person_id, case)
    for pair in pairs:
        pair["case_a"] = cases.get(pair["a"].pk)
        pair["case_b"] = cases.get(pair["b"].pk)
    return render(
        request, "cases/duplicates.html", {"page": page, "pairs": pairs, "total": len(matches)}
    )


def _pair(request):
    source = request.POST if request.method == "POST" else request.GET
    a = access.get_person_for_user(request.user, source.get("a", ""), write=True)
    b = access.get_person_for_user(request.user, source.get("b", ""), write=True)
    if a.pk == b.pk:
        raise Http404
    return a, b


@capability_required(Capability.MANAGE_CASES)
def merge(request):
    a, b = _pair(request)
    keep = request.POST.get("keep") or request.GET.get("keep") or str(a.public_id)
    survivor, duplicate = (a, b) if keep == str(a.public_id) else (b, a)
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            actions.merge_persons(survivor, duplicate, actor=request.user)
        except ActionError as error:
            messages.error(request, error.message)
            return redirect("cases:duplicates")
        messages.success(
            request,
            _(
                "The records are merged. Everything of the other record is now on this one, "
                "and the other record is kept, marked as merged."
            ),
        )
        case = (
            access.cases_of_person_visible_to(request.user, survivor).order_by("created_at").first()
        )
        if case is not None:
            return redirect("cases:case", case_id=case.public_id)
        return redirect("cases:duplicates")
    rows = []
    for name in (
        "given_names",
        "first_surname",
        "second_surname",
        "sex",
        "birth_year",
        "birth_month",
        "birth_day",
        "nationality",
        "return_country",
        "return_city",
        "phone_europe",
        "phone_home",
        "email",
        "desk_reference",
    ):
        field = survivor._meta.get_field(name)
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        rows.append(
            {
                "label": field.verbose_name,
                "keep": mine,
                "other": theirs,
                "fills": (mine in ("", None) and theirs not in ("", None)),
            }
        )
    actions.record_person_view(survivor, actor=request.user, page="merge")
    actions.record_person_view(duplicate, actor=request.user, page="merge")
    return render(
        request,
        "cases/merge.html",
        {
            "survivor": survivor,
            "duplicate": duplicate,
            "rows": rows,
            "survivor_cases": access.cases_of_person_visible_to(request.user, survivor),
            "duplicate_cases": access.cases_of_person_visible_to(request.user, duplicate),
        },
    )


@capability_required(Capability.MANAGE_CASES)
def not_duplicate(request):
    if request.method != "POST":
        return redirect("cases:duplicates")
    a, b = _pair(request)
    actions.mark_not_duplicate(a, b, actor=request.user)
    messages.success(
        request, _("Marked as two different people. The pair will not be shown again.")
    )
    return redirect("cases:duplicates")
