"""The forms of the public site's editors: a new page or guide, a page's text in one language,
publishing a version, restoring an old one. They parse; the actions in actions/content.py save."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from retorno.cases.forms import RETURN_COUNTRIES, country_choices
from retorno.outreach.models import PublicPage

STAFF = {"autocomplete": "off"}
DESCRIPTION_MAX = 200


class PageCreateForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_(
            "A short name in small letters and hyphens, used in the page's address: "
            "for example offer, faq, guide-pe."
        ),
        widget=forms.TextInput(attrs={**STAFF, "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PublicPage.Kind.choices, widget=forms.RadioSelect
    )
    country = forms.ChoiceField(
        label=_("Country of return"),
        required=False,
        help_text=_("Only for a country guide."),
    )
    source_language = forms.ChoiceField(
        label=_("Source language"),
        choices=settings.LANGUAGES,
        help_text=_("The language the page is written in first; the others translate it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(RETURN_COUNTRIES)


class VersionForm(forms.Form):
    """A page's text in one language; the form's prefix is the language."""

    title = forms.CharField(label=_("Title"), max_length=120, widget=forms.TextInput(attrs=STAFF))
    description = forms.CharField(
        label=_("Description for search engines"),
        max_length=DESCRIPTION_MAX,
        help_text=_(
            "One or two sentences shown under the title in search results and when the page "
            "is shared. At most 200 characters."
        ),
        widget=forms.Textarea(attrs={**STAFF, "rows": 3, "data-count-max": DESCRIPTION_MAX}),
    )
    body = forms.CharField(
        label=_("Text"),
        help_text=_(
            "Write in Markdown: a blank line between paragraphs, ## Heading, - a list item, "
            "**bold**, [the words of a link](https://example.org). Anything else is removed."
        ),
        widget=forms.Textarea(attrs={**STAFF, "rows": 18, "class": "font-monospace"}),
    )
    # The latest version the editor started from (empty for a new translation) and, for a
    # translation, the source version it was made from.
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)
    source_number = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, prefix=language, **kwargs)
        # The text is in the page's language (spelling checks, screen readers), the labels not.
        for name in ("title", "description", "body"):
            self.fields[name].widget.attrs["lang"] = language


MISSING_VERSION = _("The version is missing from the form: open this page from the editor again.")


class PublishForm(forms.Form):
    number = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": MISSING_VERSION}
    )


class RestoreForm(forms.Form):
    based_on = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": MISSING_VERSION}
    )
