"""Discovery, the service list and the service definition, in JSON and XML."""

from __future__ import annotations

import pytest
from django.urls import reverse

from routing.models import RequestType

from .conftest import assert_same_in_both, error_descriptions, json_document, xml_document

pytestmark = pytest.mark.django_db

CATALOGUE = [
    "business-plot",
    "zoning",
    "building-permit",
    "environmental-permit",
    "recruitment",
    "wage-subsidy",
    "training",
    "business-start",
    "growth-funding",
    "premises",
    "other",
]


def test_urls_are_the_spec_s():
    assert reverse("open311:discovery", kwargs={"fmt": "xml"}) == "/open311/v2/discovery.xml"
    assert reverse("open311:services", kwargs={"fmt": "json"}) == "/open311/v2/services.json"
    assert (
        reverse("open311:service-definition", kwargs={"fmt": "xml", "service_code": "zoning"})
        == "/open311/v2/services/zoning.xml"
    )
    assert reverse("open311:requests", kwargs={"fmt": "json"}) == "/open311/v2/requests.json"
    assert (
        reverse("open311:request", kwargs={"fmt": "json", "service_request_id": "BP-2026-000001"})
        == "/open311/v2/requests/BP-2026-000001.json"
    )


def test_another_format_is_not_served(client):
    assert client.get("/open311/v2/services.html").status_code == 404
    assert client.get("/open311/v2/services").status_code == 404


def test_discovery_names_the_endpoint_its_formats_and_how_to_get_a_key(open311):
    # when a client reads the discovery document in both formats
    document = assert_same_in_both(open311, "discovery", "discovery")
    # then it points to this GeoReport v2 endpoint, in production, with XML and JSON
    assert set(document) == {"changeset", "contact", "key_service", "endpoints"}
    assert document["endpoints"] == [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "https://business.example.test/open311/v2",
            "changeset": document["changeset"],
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
    ]
    assert "business@porvoo.fi" in document["key_service"]


def test_services_list_every_active_request_type_in_catalogue_order(open311):
    # when a client asks for the services with no language: Finnish
    services = assert_same_in_both(open311, "services", "services")
    # then each request type is a realtime service with its unit as the group
    assert [service["service_code"] for service in services] == CATALOGUE
    assert services[0] == {
        "service_code": "business-plot",
        "service_name": "Yritystontti",
        "description": "Haluatte ostaa tai vuokrata tontin yrityksenne rakennukselle.",
        "metadata": True,
        "type": "realtime",
        "keywords": "Företagstomt, Business plot",
        "group": "Kaupunkikehitys",
    }
    assert {service["group"] for service in services} == {
        "Kaupunkikehitys",
        "Työllisyyspalvelut",
        "Posintra",
        "Business Porvoo -palvelupiste",
    }


@pytest.mark.parametrize(
    ("params", "headers", "language", "name", "group"),
    [
        ({"locale": "en"}, {}, "en", "Business plot", "Urban development"),
        ({"locale": "sv_FI"}, {}, "sv", "Företagstomt", "Stadsutveckling"),
        ({}, {"accept-language": "sv"}, "sv", "Företagstomt", "Stadsutveckling"),
        # the parameter wins over the header; a language we do not have falls back to it
        (
            {"locale": "en-GB"},
            {"accept-language": "sv"},
            "en",
            "Business plot",
            "Urban development",
        ),
        ({"locale": "de"}, {"accept-language": "sv"}, "sv", "Företagstomt", "Stadsutveckling"),
        ({"locale": "de"}, {}, "fi", "Yritystontti", "Kaupunkikehitys"),
    ],
)
def test_services_speak_the_language_asked_for(open311, params, headers, language, name, group):
    response = open311.get("services", params=params, headers=headers)
    service = json_document(response)[0]
    assert (service["service_name"], service["group"]) == (name, group)
    assert response["Content-Language"] == language


def test_an_inactive_request_type_is_neither_listed_nor_defined(open311):
    # given a request type taken out of use
    RequestType.objects.filter(code="zoning").update(is_active=False)
    # then it is not listed, and its definition is not found
    codes = [service["service_code"] for service in json_document(open311.get("services"))]
    assert "zoning" not in codes and len(codes) == len(CATALOGUE) - 1
    response = open311.get("service-definition", service_code="zoning")
    assert error_descriptions(response, 404)[0].startswith("service_code:")


def test_service_definition_lists_what_a_submission_takes_beyond_open311_s_fields(open311):
    # when a client reads a service's definition in both formats, in English
    definition = assert_same_in_both(
        open311,
        "service-definition",
        "service_definition",
        service_code="business-plot",
        params={"locale": "en"},
    )
    # then it lists our attributes, optional, in order; the language with its three values
    assert definition["service_code"] == "business-plot"
    attributes = definition["attributes"]
    assert [a["code"] for a in attributes] == ["business_id", "company_name", "subject", "language"]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4]
    assert all(a["variable"] is True and a["required"] is False for a in attributes)
    by_code = {a["code"]: a for a in attributes}
    assert by_code["business_id"]["datatype"] == "string"
    assert "1234567-1" in by_code["business_id"]["datatype_description"]
    assert by_code["company_name"]["datatype_description"] == "Up to 200 characters."
    assert by_code["language"]["datatype"] == "singlevaluelist"
    assert by_code["language"]["values"] == [
        {"key": "fi", "name": "Finnish"},
        {"key": "sv", "name": "Swedish"},
        {"key": "en", "name": "English"},
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_404_in_open311_format(open311, fmt):
    response = open311.get("service-definition", fmt, service_code="pothole")
    [description] = error_descriptions(response, 404, fmt)
    assert description.startswith("service_code:") and "pothole" in description


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_our_jurisdiction_is_accepted_and_another_is_404(open311, fmt):
    # given the one jurisdiction this endpoint serves, it answers
    assert open311.get("services", fmt, params={"jurisdiction_id": "porvoo.fi"}).status_code == 200
    # when a client names another one
    response = open311.get("services", fmt, params={"jurisdiction_id": "helsinki.fi"})
    # then it is not found, and the error says which parameter
    [description] = error_descriptions(response, 404, fmt)
    assert description.startswith("jurisdiction_id:") and "helsinki.fi" in description


@pytest.mark.parametrize("name", ["discovery", "services"])
def test_get_only_methods_refuse_a_post_in_open311_format(open311, name):
    response = open311.client.post(open311.url(name, "xml"))
    assert error_descriptions(response, 405, "xml")
    assert response["Allow"] == "GET, HEAD"


def test_open311_stays_out_of_the_rest_api_schema(client):
    # the REST API's schema is tested (schemathesis) against the REST API alone
    response = client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    assert "open311" not in response.content.decode()


def test_xml_carries_no_character_xml_cannot_hold(open311):
    # given a request type whose name an admin pasted with a control character
    RequestType.objects.filter(code="zoning").update(name_fi="Kaavoitus\x0b")
    # then the XML still parses, and the character is left out
    response = open311.get("services", "xml")
    services = xml_document(response, "services")
    assert services[1]["service_name"] == "Kaavoitus"
