"""The default catalogue from the data migration routes real requests right, end to end."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from crm.models import Unit
from inquiries.models import RoutingDecision
from routing.models import RequestType, RoutingRule, SLAPolicy

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data"


def cases(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ALL_CASES = cases("routing-cases.csv") + cases("routing-extra-cases.csv")


def test_catalogue_is_loaded_with_stable_codes():
    assert set(Unit.objects.values_list("code", flat=True)) == {
        "urban-development",
        "employment-services",
        "posintra",
        "business-desk",
    }
    assert set(RequestType.objects.values_list("code", flat=True)) == {
        "business-plot", "zoning", "building-permit", "environmental-permit",
        "recruitment", "wage-subsidy", "training",
        "business-start", "growth-funding", "premises", "other",
    }  # fmt: skip
    default = SLAPolicy.objects.get(is_default=True)
    assert (default.first_response_hours, default.resolution_hours) == (16, 80)
    for request_type in RequestType.objects.all():
        assert request_type.policy() == default
        assert all([request_type.name_fi, request_type.name_sv, request_type.name_en])


@pytest.mark.parametrize(
    "case", ALL_CASES, ids=[f"{c['language']}-{c['text'][:40]}" for c in ALL_CASES]
)
def test_submitted_request_lands_in_its_unit(submit, case):
    inquiry = submit(
        request_type=case["request_type"], description=case["text"], language=case["language"]
    ).inquiry
    assert inquiry.unit.code == case["unit"]
    decision = inquiry.routing_decisions.get()
    if case["unit"] == "business-desk" and case["request_type"] == "other":
        assert decision.kind == RoutingDecision.Kind.FALLBACK
    else:
        assert decision.rule is not None and decision.rule_name == decision.rule.name


def test_a_service_manager_edit_changes_routing(submit):
    # given a new rule placed first: events go to Posintra at high priority
    RoutingRule.objects.create(
        order=1,
        name="Events",
        keywords="tapahtum\nevenemang\nevent",
        unit=Unit.objects.get(code="posintra"),
        priority="high",
    )
    inquiry = submit(
        request_type="other", description="Haluaisin antaa palautetta kaupungin tapahtumasta."
    ).inquiry
    assert (inquiry.unit.code, inquiry.priority) == ("posintra", "high")
    assert inquiry.routing_decisions.get().rule_name == "Events"


def test_inactive_rule_is_ignored(submit):
    RoutingRule.objects.filter(request_type__code="business-plot").update(is_active=False)
    inquiry = submit(request_type="business-plot", description="Kysymys.").inquiry
    assert inquiry.unit.code == "business-desk"


def test_a_request_type_can_have_its_own_policy(submit):
    fast = SLAPolicy.objects.create(name="Fast", first_response_hours=4, resolution_hours=8)
    RequestType.objects.filter(code="premises").update(sla_policy=fast)
    inquiry = submit(request_type="premises", description="Toimitila?").inquiry
    assert inquiry.resolution_due is not None
    slow = submit(request_type="business-start", description="Toiminimi?").inquiry
    assert inquiry.first_response_due < slow.first_response_due


def test_rule_without_type_or_words_is_refused():
    rule = RoutingRule(order=5, name="Everything", unit=Unit.objects.get(code="posintra"))
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_rule_with_an_unsafe_pattern_names_the_keywords_field():
    rule = RoutingRule(order=5, name="Short", keywords="ab", unit=Unit.objects.get(code="posintra"))
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "keywords" in error.value.message_dict
