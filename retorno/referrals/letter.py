"""The printed referral letter for an organisation that is not on Retorno: the shared fields
only, in the organisation's language."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from retorno.referrals import sharing


def language_for(referral, requested: str | None = None) -> str:
    if requested in ("es", "pt", "it", "en"):
        return requested
    return "pt" if referral.service.organization.country == "BR" else "es"


def render_letter(referral, *, user, language: str) -> bytes:
    # Import here: start-up (WeasyPrint takes about a second to import).
    import weasyprint

    with translation.override(language):
        html = render_to_string(
            "referrals/letter_pdf.html",
            {
                "referral": referral,
                "case": referral.case,
                "desk": referral.from_desk,
                "shared": sharing.shared_values(referral.case, referral.shared_fields, referral),
                "printed_by": user.get_full_name() or user.get_username(),
                "printed_at": timezone.localtime(),
                "LANGUAGE_CODE": language,
            },
        )
    stylesheet = finders.find("retorno/print.css")
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[stylesheet] if stylesheet else None
    )
