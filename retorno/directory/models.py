"""The directory of services: organisations, the services they offer and where, per country.

Modelled on the Open Referral Human Services Data Specification (HSDS) 3.0, whose canonical
JSON schemas (openreferral/specification, branch 3.0, `schema/*.json`) define the objects
mirrored here: Organization, Program, Service, Location (with its address folded in),
Service_at_location, Phone, Schedule and Language. Field names follow HSDS where HSDS has the
field, so the mapping in `hsds.py` is mostly one to one; `public_id` is the HSDS `id` (a UUID).

What HSDS does not have, and Retorno needs, is named plainly: the kind of organisation, the
country whose national desk keeps the entry, the link to the Retorno organisation that answers
referrals, the service type (exported as an HSDS attribute with a taxonomy term), the "not
shown to the public" flag, a version for edit conflicts, and descriptions in several languages.

Multilingual texts are JSON objects {language code: text} over the four interface languages
(it, es, pt, en). `pick_text()` shows a text in the reader's language when it exists and
otherwise in the first language that has it, in the order of settings.LANGUAGES, saying which.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# The eight countries of return: each national desk keeps its own country's directory.
RETURN_COUNTRIES = ("BO", "BR", "CL", "CO", "EC", "PY", "PE", "UY")

# The main language of each country: the language of texts whose language a file does not say.
COUNTRY_LANGUAGE = dict.fromkeys(RETURN_COUNTRIES, "es") | {"BR": "pt"}


def text_languages() -> list[str]:
    """The languages descriptions are written in, in fallback order (settings.LANGUAGES)."""
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


@dataclass(frozen=True)
class Text:
    """A text as a reader sees it: in their language, or in another one, which it names."""

    text: str
    language: str
    fallback: bool

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def pick_text(texts: dict | None, language: str | None = None) -> Text:
    """The text in `language` (the active language by default), or else in the first language
    of settings.LANGUAGES that has one; an empty Text when there is none."""
    texts = {k: v for k, v in (texts or {}).items() if v}
    wanted = (language or get_language() or "en").split("-")[0]
    if wanted in texts:
        return Text(texts[wanted], wanted, False)
    for code in text_languages():
        if code in texts:
            return Text(texts[code], code, True)
    return Text("", wanted, False)


class ServiceType(models.TextChoices):
    """What the programme offers returnees; exported as terms of Retorno's HSDS taxonomy."""

    RECEPTION = "reception_basic_needs", _("Reception and basic needs")
    VOCATIONAL_TRAINING = (
        "vocational_training",
        _("Vocational training and professionalisation"),
    )
    EDUCATION = "education_recognition", _("Formal education and recognition of qualifications")
    JOB_PLACEMENT = "job_placement", _("Job search and placement")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment and micro-enterprise support")
    PSYCHOSOCIAL = "psychosocial_support", _("Psychosocial support")
    HEALTH = "health_care", _("Health care")
    LEGAL = "legal_documents", _("Legal assistance and documents")
    HOUSING = "housing", _("Housing")
    SOCIAL_PROTECTION = "social_protection", _("Social protection and benefits")
    GBV_TRAFFICKING = (
        "gbv_trafficking_support",
        _("Specialised support for survivors of gender-based violence and trafficking"),
    )
    CHILDREN = "children_schooling_care", _("Children's schooling and care")


class ServiceLanguage(models.TextChoices):
    """Languages a service or location works in (ISO 639-1, or 639-3 where there is no -1)."""

    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    QUECHUA = "qu", _("Quechua")
    AYMARA = "ay", _("Aymara")
    GUARANI = "gn", _("Guarani")
    ITALIAN = "it", _("Italian")
    ENGLISH = "en", _("English")


class Organization(models.Model):
    """A public agency, NGO, company, training centre or international organisation (HSDS).

    Spelt the HSDS way on purpose: accounts.Organisation is an organisation that works *on*
    Retorno (a desk, a partner); this is an entry of the directory, which may be linked to one.
    """

    class Kind(models.TextChoices):
        PUBLIC_AGENCY = "public_agency", _("Public agency")
        NGO = "ngo", _("NGO")
        PRIVATE_COMPANY = "private_company", _("Private company")
        TRAINING_CENTRE = "training_centre", _("Training centre")
        INTERNATIONAL = "international_organisation", _("International organisation")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    country = CountryField(_("country"), db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name or acronym"), max_length=200, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    retorno_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_entries",
        verbose_name=_("organisation on Retorno"),
        help_text=_("The partner organisation whose users answer referrals to these services."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("directory organisation")
        verbose_name_plural = _("directory organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__in=RETURN_COUNTRIES), name="directory_org_return_country"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="directory_org_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name[:200]

    @property
    def on_retorno(self) -> bool:
        return self.retorno_organisation_id is not None


class Program(models.Model):
    """A public policy or programme that services are delivered under (HSDS Program)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="programs",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name or acronym"), max_length=200, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("public programme")
        verbose_name_plural = _("public programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="directory_program_has_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name[:200]


class Location(models.Model):
    """Where an organisation works: a place with an address, or a virtual location (HSDS
    Location, with its one Address folded in: street, city, region, postal code, country)."""

    class Type(models.TextChoices):
        PHYSICAL = "physical", _("A place people go to")
        POSTAL = "postal", _("A postal address only")
        VIRTUAL = "virtual", _("Online or by phone")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    location_type = models.CharField(
        _("type of location"), max_length=10, choices=Type.choices, default=Type.PHYSICAL
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    url = models.URLField(_("web address"), blank=True)
    address_1 = models.TextField(_("street address"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = CountryField(_("country"))
    not_public = models.BooleanField(
        _("not shown to the public"),
        default=False,
        help_text=_("For example a shelter whose address must stay hidden."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The city lowercased and without accents, for search.
    city_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["city", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="directory_location_has_name"),
            models.CheckConstraint(
                condition=Q(country__in=RETURN_COUNTRIES), name="directory_location_return_country"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name[:200]


class Service(models.Model):
    """Something an organisation offers returnees, under a public programme or not (HSDS
    Service). It is "on Retorno" when its organisation is linked to a Retorno organisation."""

    class Status(models.TextChoices):
        # The HSDS 3.0 codes, spelt as the specification spells them.
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("No longer exists")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("organisation"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("public programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("other name"), max_length=200, blank=True)
    service_type = models.CharField(_("type of service"), max_length=40, choices=ServiceType)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    description = models.JSONField(_("description"), default=dict, blank=True)
    eligibility_description = models.JSONField(_("who can use it"), default=dict, blank=True)
    application_process = models.JSONField(_("how to apply"), default=dict, blank=True)
    fees_description = models.JSONField(_("cost"), default=dict, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    not_public = models.BooleanField(
        _("not shown to the public"),
        default=False,
        help_text=_("The service stays out of every public listing; staff see it with a tag."),
    )
    locations = models.ManyToManyField(
        Location,
        through="ServiceAtLocation",
        related_name="services",
        verbose_name=_("locations"),
    )
    # Names and descriptions in every language, lowercased and without accents, for search.
    search_text = models.TextField(blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="directory_service_has_name"),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="directory_service_ages_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name[:200]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ServiceAtLocation(models.Model):
    """A service delivered at one location (HSDS Service_at_location)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="directory_service_at_location_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


def _one_owner(*fields: str) -> Q:
    """Exactly one of the owner foreign keys is set."""
    options = Q()
    for field in fields:
        q = Q(**{f"{field}__isnull": False})
        for other in fields:
            if other != field:
                q &= Q(**{f"{other}__isnull": True})
        options |= q
    return options


class Phone(models.Model):
    """A phone number of an organisation, a service or a location (HSDS Phone), in E.164."""

    class Type(models.TextChoices):
        # RFC 6350 types, as HSDS 3.0 recommends.
        VOICE = "voice", _("Voice")
        CELL = "cell", _("Mobile")
        TEXT = "text", _("Text messages")
        FAX = "fax", _("Fax")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(_("phone number"), max_length=20)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.VOICE)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=_one_owner("organization", "service", "location"),
                name="directory_phone_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(number__startswith="+"), name="directory_phone_e164"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """Opening hours of a service or a location: a weekly RFC 5545 rule, as in HSDS Schedule."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("Every week")
        MONTHLY = "MONTHLY", _("Every month")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    freq = models.CharField(_("frequency"), max_length=10, choices=Freq, default=Freq.WEEKLY)
    # RFC 5545 BYDAY: "MO,TU,WE,TH,FR".
    byday = models.CharField(_("days"), max_length=40, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    description = models.CharField(_("notes on opening hours"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=_one_owner("service", "location"), name="directory_schedule_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"


class Language(models.Model):
    """A language a service or location works in, without an interpreter (HSDS Language)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    code = models.CharField(_("language"), max_length=3, choices=ServiceLanguage)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=_one_owner("service", "location"), name="directory_language_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.code
