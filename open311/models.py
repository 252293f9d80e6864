from __future__ import annotations

from datetime import datetime
from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.tokens import hash_token, new_token


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def holding(self, raw_key: str) -> ApiKey | None:
        """The active key whose secret this is, if any."""
        if not raw_key:
            return None
        return self.active().filter(key_hash=hash_token(raw_key)).first()

    def mark_used(self, key: ApiKey, *, now: datetime) -> None:
        # A plain UPDATE: a busy integrator's posts never wait on each other for this.
        self.filter(pk=key.pk).update(last_used_at=now)


class ApiKey(models.Model):
    """A key that lets a partner's system post requests through Open311; only its hash is kept."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("Who holds the key, e.g. the partner and system.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to revoke the key at once.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return self.name

    def new_secret(self) -> str:
        """Give the key a fresh secret and return it: it is shown once, only its hash is kept."""
        secret = new_token()
        self.key_hash = hash_token(secret)
        return secret
