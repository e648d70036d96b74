import hashlib
import secrets
import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from retorno.accounts.roles import Capability, Role, role_can


class User(AbstractUser):
    """A person who works with Retorno: desk staff, partners, program coordination."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    objects = DjangoUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # The membership the user is acting under for this request; set by MembershipMiddleware,
    # by token authentication, or by act_as() in commands and tests.
    membership: "Membership | None" = None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def organisation(self) -> "Organisation | None":
        return self.membership.organisation if self.membership else None

    def can(self, capability: Capability | str) -> bool:
        return bool(
            self.is_active and self.membership and role_can(self.membership.role, capability)
        )


class Organisation(models.Model):
    """A desk, a partner service provider or program coordination."""

    class Kind(models.TextChoices):
        EUROPEAN_DESK = "european_desk", _("European desk")
        NATIONAL_DESK = "national_desk", _("National desk")
        PARTNER = "partner", _("Partner organisation")
        COORDINATION = "coordination", _("Program coordination")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        help_text=_("Short unique code used in case references, for example MIL or LIM."),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_("In English. Pages in a language with no name of its own below show it."),
    )
    # The name in the other languages of the platform, for desks ("Sportello di Milano");
    # partners keep their proper name and leave these empty.
    name_it = models.CharField(_("name in Italian"), max_length=200, blank=True)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    name_pt = models.CharField(_("name in Portuguese"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    help_email = models.EmailField(_("help email"), blank=True)
    help_phone = models.CharField(_("help phone"), max_length=40, blank=True)
    # A referral with no answer after this many days shows as overdue on "My work".
    referral_reply_days = models.PositiveSmallIntegerField(
        _("days a partner has to answer a referral"), default=10
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z][A-Z0-9]{1,11}$"), name="organisation_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the language of the page (or email) being rendered, else the main one."""
        language = (translation.get_language() or "")[:2]
        if language in ("it", "es", "pt"):
            return getattr(self, f"name_{language}") or self.name
        return self.name

    @property
    def is_desk(self) -> bool:
        return self.kind in (self.Kind.EUROPEAN_DESK, self.Kind.NATIONAL_DESK)


class Membership(models.Model):
    """A user's role at one organisation; a user may hold several."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token, acting under the membership it was created for.

    Only a SHA-256 of the key is stored: the key is shown once, when it is created.
    """

    PREFIX_LENGTH = 8

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)
