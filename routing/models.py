from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crm.translation import TranslatedNameMixin, pick_language

from . import engine


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class SLAPolicy(models.Model):
    """The promise to the requester, in business hours."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    first_response_hours = models.PositiveIntegerField(_("first response within (business hours)"))
    resolution_hours = models.PositiveIntegerField(_("resolution within (business hours)"))
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used by request types without their own policy.")
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="slapolicy_one_default",
            )
        ]
        verbose_name = _("service level policy")
        verbose_name_plural = _("service level policies")

    def __str__(self) -> str:
        return f"{self.name} ({self.first_response_hours} h / {self.resolution_hours} h)"


class RequestTypeQuerySet(models.QuerySet["RequestType"]):
    def active(self) -> RequestTypeQuerySet:
        return self.filter(is_active=True)


class RequestType(TranslatedNameMixin):
    """A service in the catalogue, as an entrepreneur would name their need."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    description_fi = models.TextField(blank=True)
    description_sv = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    default_unit = models.ForeignKey(
        "crm.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Informative: routing rules decide; empty for 'not sure'."),
    )
    sla_policy = models.ForeignKey(
        SLAPolicy,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="request_types",
        help_text=_("Empty: the default policy."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RequestTypeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("request type")
        verbose_name_plural = _("request types")

    def __str__(self) -> str:
        return self.name

    def description_in(self, language: str | None) -> str:
        return getattr(self, f"description_{pick_language(language)}")

    def policy(self) -> SLAPolicy:
        """Return this type's policy, or the default one."""
        return self.sla_policy or SLAPolicy.objects.get(is_default=True)


class RoutingRuleQuerySet(models.QuerySet["RoutingRule"]):
    def active(self) -> RoutingRuleQuerySet:
        return self.filter(is_active=True).select_related("unit", "request_type")

    def as_engine_rules(self) -> list[engine.Rule]:
        """Return the active rules in order, as the pure routing engine takes them."""
        return [rule.as_engine_rule() for rule in self.active().order_by("order", "pk")]


class RoutingRule(models.Model):
    order = models.PositiveIntegerField(
        _("order"), help_text=_("Lower first; the first match wins.")
    )
    name = models.CharField(_("name"), max_length=200)
    request_type = models.ForeignKey(
        RequestType,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
        help_text=_("Empty: any request type."),
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("Word patterns, one per line; the syntax is explained below the field."),
    )
    unit = models.ForeignKey("crm.Unit", models.PROTECT, related_name="routing_rules")
    priority = models.CharField(
        _("priority"),
        max_length=10,
        choices=Priority.choices,
        blank=True,
        help_text=_("Empty: leave the priority as it is."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        problems = engine.validate_keywords(self.keywords, translate=gettext)
        if problems:
            raise ValidationError({"keywords": problems})
        if not self.request_type_id and not engine.parse_keywords(self.keywords):
            raise ValidationError(
                _("A rule needs a request type, keywords or both; otherwise it matches everything.")
            )

    def as_engine_rule(self) -> engine.Rule:
        return engine.Rule(
            id=self.pk,
            name=self.name,
            unit=self.unit.code,
            request_type=self.request_type.code if self.request_type_id else None,
            keywords=engine.parse_keywords(self.keywords),
            priority=self.priority or None,
        )
