"""Programmes and their cycles, kept by administrators."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.models import Organisation
from retorno.accounts.roles import Capability
from retorno.lib import widgets
from retorno.lib.errors import ActionError
from retorno.lib.views import capability_required, form_error
from retorno.programmes import actions
from retorno.programmes.models import Cycle, Programme


class ProgrammeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code"),
        regex=r"^[A-Za-z0-9-]{2,20}$",
        error_messages={
            "required": gettext_lazy("Enter a code"),
            "invalid": gettext_lazy("Use 2 to 20 letters, digits or hyphens"),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Enter the name")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CycleForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        error_messages={"required": gettext_lazy("Enter the name")},
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Starts on"),
        widget=widgets.DateInput(),
        error_messages={
            "required": gettext_lazy("Enter the start date"),
            "invalid": gettext_lazy("Enter a real date"),
        },
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on"),
        widget=widgets.DateInput(),
        error_messages={
            "required": gettext_lazy("Enter the end date"),
            "invalid": gettext_lazy("Enter a real date"),
        },
    )
    target_people = forms.IntegerField(
        label=gettext_lazy("People to support"),
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Enter how many people the cycle will support"),
            "invalid": gettext_lazy("Enter a whole number, like 1000"),
        },
    )
    desks = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Desks taking part"),
        queryset=Organisation.objects.filter(
            kind__in=["european_desk", "national_desk"], is_active=True
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date must be on or after the start date"))
        return data


@capability_required(Capability.MANAGE_ORGANISATIONS)
def programme_list(request):
    programmes = Programme.objects.annotate(n_cycles=Count("cycles")).order_by("-is_active", "name")
    return render(request, "programmes/programmes.html", {"programmes": programmes})


@capability_required(Capability.MANAGE_ORGANISATIONS)
def programme_create(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = actions.create_programme(actor=request.user, **form.cleaned_data)
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The programme is created. Now add its first cycle."))
            return redirect("programmes:detail", programme_id=programme.public_id)
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@capability_required(Capability.MANAGE_ORGANISATIONS)
def programme_detail(request, programme_id):
    programme = Programme.objects.filter(public_id=programme_id).first()
    if programme is None:
        raise Http404
    cycles = (
        Cycle.objects.filter(programme=programme)
        .annotate(n_cases=Count("cases", distinct=True), n_desks=Count("desks", distinct=True))
        .order_by("-starts_on")
    )
    return render(
        request, "programmes/programme_detail.html", {"programme": programme, "cycles": cycles}
    )


@capability_required(Capability.MANAGE_ORGANISATIONS)
def cycle_create(request, programme_id):
    programme = Programme.objects.filter(public_id=programme_id).first()
    if programme is None:
        raise Http404
    form = CycleForm(request.POST or None, initial={"target_people": 1000})
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_cycle(programme, actor=request.user, **form.cleaned_data)
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The cycle is created."))
            return redirect("programmes:detail", programme_id=programme.public_id)
    return render(
        request,
        "programmes/cycle_form.html",
        {"form": form, "programme": programme, "creating": True},
        status=422 if form.errors else 200,
    )


@capability_required(Capability.MANAGE_ORGANISATIONS)
def cycle_edit(request, cycle_id):
    cycle = Cycle.objects.filter(public_id=cycle_id).select_related("programme").first()
    if cycle is None:
        raise Http404
    initial = {
        "name": cycle.name,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "target_people": cycle.target_people,
        "desks": list(cycle.desks.all()),
    }
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_cycle(cycle, actor=request.user, **form.cleaned_data)
        except ActionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("programmes:detail", programme_id=cycle.programme.public_id)
    return render(
        request,
        "programmes/cycle_form.html",
        {"form": form, "programme": cycle.programme, "cycle": cycle, "creating": False},
        status=422 if form.errors else 200,
    )
