"""Choosing a service of the directory in a case's forms (a plan action, a referral): the
services of one country (the case's country of return unless the user picks another), grouped by
organisation, narrowed by type of service. Works without JavaScript: "Show these services" is a
submit button that re-renders the form with what was typed."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from retorno.directory.forms import country_choices
from retorno.directory.models import RETURN_COUNTRIES, ServiceType

SHOW = "show_services"


class _SelectWithShowButton(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<button type="submit" name="{}" value="1" class="btn btn-outline-secondary '
            'mt-2">{}</button>',
            super().render(name, value, attrs, renderer),
            SHOW,
            _("Show these services"),
        )


class ServiceChooserMixin(forms.Form):
    """Adds the country and type filters in front of the form's `service` field."""

    service_country = forms.ChoiceField(
        label=_("Services in"), required=False, widget=forms.Select(attrs={"autocomplete": "off"})
    )
    service_type_filter = forms.ChoiceField(
        label=_("Type of service"),
        required=False,
        widget=_SelectWithShowButton(attrs={"autocomplete": "off"}),
    )

    def setup_service_chooser(self, services, *, default_country: str = "") -> None:
        """`services` stays the field's queryset (what may be chosen); the list shows the chosen
        country's services, one group per organisation, in one query."""
        self.fields["service_country"].choices = country_choices()
        self.fields["service_type_filter"].choices = [("", _("All types")), *ServiceType.choices]
        field = self.fields["service"]
        field.queryset = services
        selected = self.selected_service = self._selected_service(services)
        country = self._value("service_country")
        if country not in RETURN_COUNTRIES:
            country = (
                selected.organization.country.code
                if selected is not None
                else default_country
                if default_country in RETURN_COUNTRIES
                else ""
            )
        self.initial["service_country"] = country
        if self.is_bound and not self.data.get("service_country"):
            self.data = self.data.copy()
            self.data["service_country"] = country
        service_type = self._value("service_type_filter")
        shown = services.select_related("organization").order_by("organization__name", "name")
        if country:
            shown = shown.filter(organization__country=country)
        if service_type in ServiceType.values:
            shown = shown.filter(service_type=service_type)
        groups: dict[str, list] = {}
        for service in shown:
            groups.setdefault(service.organization.name, []).append((service.pk, service.name))
        if selected is not None and all(
            selected.pk != pk for items in groups.values() for pk, _name in items
        ):
            groups.setdefault(selected.organization.name, []).insert(
                0, (selected.pk, selected.name)
            )
        field.choices = [("", _("Choose a service")), *groups.items()]
        self.order_fields(self._order_with_filters())
        self.service_count = sum(len(items) for items in groups.values())

    def _value(self, name):
        if self.is_bound:
            return self.data.get(name, "")
        return self.initial.get(name, "")

    def _selected_service(self, services):
        value = self._value("service")
        pk = getattr(value, "pk", value)
        if not pk or not str(pk).isdigit():
            return None
        return services.select_related("organization").filter(pk=pk).first()

    def _order_with_filters(self) -> list[str]:
        order = []
        for name in self.fields:
            if name in ("service_country", "service_type_filter"):
                continue
            if name == "service":
                order += ["service_country", "service_type_filter"]
            order.append(name)
        return order


def form_initial_from_post(form_class, post) -> dict:
    """What was typed, as a form's initial values: "Show these services" re-renders the form
    with the new list and no error messages (nothing was submitted yet)."""
    initial = {}
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            initial[name] = post.getlist(name)
        elif name in post:
            initial[name] = post.get(name)
    return initial
