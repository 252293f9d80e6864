from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fi import ytunnus

from .translation import TranslatedNameMixin


class Language(models.TextChoices):
    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")


def normalize_business_id(value: str) -> str:
    """Return a Finnish business ID (Y-tunnus) as 1234567-8, or raise ValidationError."""
    try:
        return ytunnus.format(ytunnus.validate(value))
    except StdnumValidationError as exc:
        raise ValidationError(
            _("Enter a valid Finnish business ID (Y-tunnus), for example 1234567-1."),
            code="invalid_business_id",
        ) from exc


def normalize_phone(value: str) -> str:
    """Return a phone number in E.164 (+358401234567), Finnish numbers without +358 too."""
    try:
        number = phonenumbers.parse(value, "FI")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class User(AbstractUser):
    """A member of staff. Requesters have no account: they are Contacts."""

    is_service_manager = models.BooleanField(
        _("service manager"),
        default=False,
        help_text=_("Sees every unit and the metrics; edits the catalogue and routing rules."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    units = models.ManyToManyField(
        "crm.Unit", through="crm.Membership", related_name="members", blank=True
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def unit_memberships(self) -> list[Membership]:
        """The user's memberships with their units: one query, then kept on this object.

        A request's user lives as long as the request, so the workspace's access check, the
        permission rules, the menu and the queue all read them once (`memberships.all()` in a
        template reads the same).
        """
        prefetch_related_objects(
            [self], Prefetch("memberships", Membership.objects.select_related("unit"))
        )
        return list(self.memberships.all())

    def manages_a_unit(self) -> bool:
        return any(m.role == Membership.Role.MANAGER for m in self.unit_memberships())

    def role_in(self, unit_id: int) -> str | None:
        """The user's role in the unit (handler, manager), or None."""
        return next((m.role for m in self.unit_memberships() if m.unit_id == unit_id), None)


class Unit(TranslatedNameMixin):
    """An organisation that handles requests: urban development, employment services, Posintra…"""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    email = models.EmailField(_("shared e-mail"), blank=True)
    is_triage = models.BooleanField(
        _("triage unit"), default=False, help_text=_("Receives what no routing rule places.")
    )
    description_fi = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        HANDLER = "handler", _("Handler")
        MANAGER = "manager", _("Unit manager")

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.HANDLER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_user_unit_unique")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit.code} ({self.role})"


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"), max_length=9, unique=True, help_text=_("Y-tunnus, e.g. 1234567-1")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return f"{self.name} ({self.business_id})"

    def clean(self) -> None:
        try:
            self.business_id = normalize_business_id(self.business_id)
        except ValidationError as exc:
            raise ValidationError({"business_id": exc.messages}) from exc


class Contact(models.Model):
    """A person who sends requests; identified by e-mail address, needs no account.

    A request recorded by staff (a call, a visit) may have only a phone number: such a contact
    has no e-mail address ("") and gets no mail.
    """

    email = models.EmailField(_("e-mail"), blank=True)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    company = models.ForeignKey(
        Company, models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            # One contact per e-mail address; those without one (phone only) are not merged.
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="contact_email_unique"
            )
        ]

    def __str__(self) -> str:
        if not self.email:
            return self.name or self.phone
        return f"{self.name} <{self.email}>"


class SignInLink(models.Model):
    """A one-time link by e-mail to all of a requester's requests; only its hash is kept."""

    contact = models.ForeignKey(Contact, models.CASCADE, related_name="sign_in_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"sign-in link for {self.contact_id} ({self.created_at:%Y-%m-%d %H:%M})"


class DataProtectionAct(models.Model):
    """A data-protection request served: who exported or erased the data of which address.

    The address itself is not kept (after an erasure it must not be): only its SHA-256, so a
    later request about the same address can be matched to this record.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")

    kind = models.CharField(_("what was done"), max_length=10, choices=Kind.choices)
    email_hash = models.CharField(_("address (SHA-256)"), max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    summary = models.JSONField(_("what was found"), default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("data-protection act")
        verbose_name_plural = _("data-protection acts")

    def __str__(self) -> str:
        return f"{self.kind} {self.email_hash[:12]} {self.at:%Y-%m-%d %H:%M}"
