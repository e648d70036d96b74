"""What a referral may share with a partner: ONE list, read by the referral form, the panel
"What X will see", the partner's page, the letter and the access code, so the screen can
never drift from the rule."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from retorno.cases.display import languages, phone
from retorno.cases.models import Vulnerability


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    default: bool  # shared unless the caseworker unticks it
    sensitive: bool = False  # never shared unless explicitly chosen; the choice is audited


def _name(case, referral):
    person = case.person
    name = person.full_name
    return f"{name} ({person.preferred_name})" if person.preferred_name else name


def _phone(case, referral):
    person = case.person
    return phone(person.phone_home) or phone(person.phone_europe)


def _age(case, referral):
    year = case.person.birth_year
    return str(timezone.localdate().year - year) if year else ""


def _languages(case, referral):
    return languages(case.person.languages)


def _household(case, referral):
    children = case.household.filter(relationship="child", returning=True).count()
    if not children:
        return ""
    return ngettext("Returns with %(n)s child", "Returns with %(n)s children", children) % {
        "n": children
    }


def _vulnerability(case, referral):
    return ", ".join(str(Vulnerability(c).label) for c in case.vulnerability_codes)


def _work(case, referral):
    items = case.person.work_experiences.all()
    return "; ".join(f"{w.employer_or_sector}{', ' + w.role if w.role else ''}" for w in items)


FIELDS = [
    Field("name", _("Name"), True),
    Field("phone", _("Phone"), True),
    Field("email", _("Email address"), True),
    Field("need", _("What the person needs"), True),
    Field("languages", _("Languages"), False),
    Field("age", _("Age"), False),
    Field("city", _("City"), False),
    Field("education", _("Education level"), False),
    Field("work", _("Work experience in Europe"), False),
    Field("household", _("Children returning"), False),
    Field("vulnerability", _("Vulnerability profile"), False, sensitive=True),
]
BY_CODE = {f.code: f for f in FIELDS}
GETTERS = {
    "name": _name,
    "phone": _phone,
    "email": lambda case, r: case.person.email,
    "need": lambda case, r: r.need if r is not None else "",
    "languages": _languages,
    "age": _age,
    "city": lambda case, r: case.person.return_city,
    "education": lambda case, r: case.person.get_education_level_display(),
    "work": _work,
    "household": _household,
    "vulnerability": _vulnerability,
}
DEFAULT = [f.code for f in FIELDS if f.default]


def shared_values(case, codes, referral=None, *, need: str = "") -> list[dict]:
    """The label and value of each shared field, in the list's order."""
    rows = []
    for field in FIELDS:
        if field.code not in codes:
            continue
        value = (
            need
            if field.code == "need" and referral is None
            else GETTERS[field.code](case, referral)
        )
        rows.append({"code": field.code, "label": field.label, "value": value or "—"})
    return rows
