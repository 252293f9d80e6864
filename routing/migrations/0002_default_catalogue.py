"""The default catalogue, so a fresh install routes correctly with no manual set-up."""

from django.db import migrations

from routing import default_catalogue as catalogue

LANGUAGE_FIELDS = ("name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en")


def load(apps, schema_editor):
    Unit = apps.get_model("crm", "Unit")
    SLAPolicy = apps.get_model("routing", "SLAPolicy")
    RequestType = apps.get_model("routing", "RequestType")
    RoutingRule = apps.get_model("routing", "RoutingRule")

    units = {}
    for row in catalogue.UNITS:
        units[row["code"]] = Unit.objects.update_or_create(
            code=row["code"],
            defaults={
                **{f: row.get(f, "") for f in LANGUAGE_FIELDS},
                "is_triage": row["code"] == "business-desk",
            },
        )[0]
    SLAPolicy.objects.update_or_create(
        name=catalogue.DEFAULT_POLICY["name"],
        defaults={
            "first_response_hours": catalogue.DEFAULT_POLICY["first_response_hours"],
            "resolution_hours": catalogue.DEFAULT_POLICY["resolution_hours"],
            "is_default": True,
        },
    )
    types = {}
    for row in catalogue.REQUEST_TYPES:
        types[row["code"]] = RequestType.objects.update_or_create(
            code=row["code"],
            defaults={
                **{f: row.get(f, "") for f in LANGUAGE_FIELDS},
                "default_unit": units.get(row.get("default_unit") or ""),
                "order": row["order"],
            },
        )[0]
    if not RoutingRule.objects.exists():
        RoutingRule.objects.bulk_create(
            RoutingRule(
                order=row["order"],
                name=row["name"],
                unit=units[row["unit"]],
                request_type=types.get(row.get("request_type") or ""),
                keywords=row.get("keywords") or "",
                priority=row.get("priority") or "",
            )
            for row in catalogue.RULES
        )


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0001_initial"),
        ("routing", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
