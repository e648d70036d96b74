"""The plan as a PDF in the returnee's language, clear enough to take home (WeasyPrint)."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from retorno.plans.views_helpers import grouped_for_print

PRINT_LANGUAGES = ("es", "pt", "it", "en")


def language_for(person, requested: str | None = None) -> str:
    """The language asked for, else the first the person speaks that we print in, else
    Portuguese for Brazil and Spanish for everyone else."""
    if requested in PRINT_LANGUAGES:
        return requested
    for code in person.languages or []:
        if code in PRINT_LANGUAGES:
            return code
    return "pt" if person.return_country == "BR" or person.nationality == "BR" else "es"


def render_plan(plan, *, user, language: str) -> bytes:
    # Import here: start-up (WeasyPrint takes about a second to import).
    import weasyprint

    case = plan.case
    with translation.override(language):
        html = render_to_string(
            "plans/plan_pdf.html",
            {
                "plan": plan,
                "case": case,
                "person": case.person,
                "groups": grouped_for_print(plan),
                "desk": case.owning_desk,
                "printed_by": user.get_full_name() or user.get_username(),
                "printed_at": timezone.localtime(),
                "LANGUAGE_CODE": language,
            },
        )
    stylesheet = finders.find("retorno/print.css")
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet] if stylesheet else None
    )
