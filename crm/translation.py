"""Names stored in fi, sv and en columns, read in the active language."""

from django.db import models
from django.utils import translation

LANGUAGE_CODES = ("fi", "sv", "en")
FALLBACK_LANGUAGE = "fi"


def pick_language(code: str | None) -> str:
    """Return one of fi, sv, en for a language code such as 'sv-fi' or None."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGE_CODES else FALLBACK_LANGUAGE


class TranslatedNameMixin(models.Model):
    """Gives a model name_fi/name_sv/name_en and `name`, the name in the active language."""

    name_fi = models.CharField("name (fi)", max_length=120)
    name_sv = models.CharField("name (sv)", max_length=120)
    name_en = models.CharField("name (en)", max_length=120)

    class Meta:
        abstract = True

    def name_in(self, language: str | None) -> str:
        return getattr(self, f"name_{pick_language(language)}") or self.name_fi

    @property
    def name(self) -> str:
        return self.name_in(translation.get_language())
