"""Registering a person opens their case; possible duplicates are shown before saving."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from retorno.accounts.roles import Capability
from retorno.cases import actions, matching, queries
from retorno.cases.forms import RegisterForm
from retorno.lib.errors import ActionError, PossibleDuplicate
from retorno.lib.views import capability_required, form_error


def _record_from(fields: dict, document: dict | None) -> matching.PersonRecord:
    return matching.record_of(fields, documents=[document["number"]] if document else [])


@capability_required(Capability.WORK_CASES)
def register(request):
    desk = request.user.organisation
    form = RegisterForm(request.POST or None, desk=desk)
    similar, hidden_match = [], False
    if request.method == "POST" and form.is_valid():
        fields = form.person_fields()
        document = form.cleaned_data.get("document")
        try:
            case = actions.register_returnee(
                actor=request.user,
                person=fields,
                documents=[document] if document else [],
                phase=form.cleaned_data.get("phase") or None,
                priority=form.cleaned_data.get("priority") or "normal",
                confirmed_not_duplicate=bool(form.cleaned_data.get("not_a_duplicate")),
            )
        except PossibleDuplicate as duplicate:
            # Show the look-alikes first; the caseworker confirms to register anyway.
            context = {"form": form, "similar": duplicate.similar, "confirm": True}
            context["hidden_match"] = duplicate.hidden_match
            return render(request, "cases/register.html", context, status=200)
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The person is registered and case %(reference)s is open.")
                % {"reference": case.reference},
            )
            return redirect("cases:case", case_id=case.public_id)
    status = 422 if form.errors else 200
    return render(
        request,
        "cases/register.html",
        {"form": form, "similar": similar, "hidden_match": hidden_match},
        status=status,
    )


@capability_required(Capability.WORK_CASES)
def register_hints(request):
    """htmx: the look-alike panel while typing the name and date of birth (POST, no names in
    URLs). A panel, never an error."""
    desk = request.user.organisation
    form = RegisterForm(request.POST or None, desk=desk)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    similar, hidden_match = [], False
    names = [data.get(f) for f in ("given_names", "first_surname", "second_surname")]
    if sum(1 for n in names if n) >= 2 or (any(names) and data.get("birth")):
        fields = form.person_fields() if not form.errors.get("given_names") else {}
        if fields:
            similar, hidden_match = queries.similar_persons(
                request.user, _record_from(fields, data.get("document"))
            )
    return render(
        request,
        "cases/_similar.html",
        {"similar": similar, "hidden_match": hidden_match},
    )
