import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from crm.models import Company, Unit, normalize_business_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "stored"), [("0114162-2", "0114162-2"), (" 01141622 ", "0114162-2")]
)
def test_business_id_is_normalised(given, stored):
    assert normalize_business_id(given) == stored


@pytest.mark.parametrize("bad", ["0114162-3", "114162-2", "abc", "", "01141622x"])
def test_invalid_business_id_is_refused_with_a_message(bad):
    with pytest.raises(ValidationError, match="business ID"):
        normalize_business_id(bad)


def test_company_clean_names_the_field():
    with pytest.raises(ValidationError) as error:
        Company(name="X", business_id="1234567-8").full_clean()
    assert "business_id" in error.value.message_dict


def test_unit_names_follow_the_active_language():
    unit = Unit.objects.get(code="employment-services")
    for language, name in [
        ("fi", "Työllisyyspalvelut"),
        ("sv", "Sysselsättningstjänster"),
        ("en", "Employment services"),
        ("de", "Työllisyyspalvelut"),  # anything else falls back to Finnish
    ]:
        with translation.override(language):
            assert unit.name == name
