"""Staff roles that are plain Django auth groups: what a service manager may do in the admin."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

SERVICE_MANAGER_GROUP = "Service managers"

# The catalogue, the rules and the service levels are theirs to edit; units and staff they
# manage without deleting (memberships keep the history of who handled what); requesters and
# requests they only read (requests change through the workflow services, never the admin).
SERVICE_MANAGER_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "routing.requesttype": ("add", "change", "view", "delete"),
    "routing.routingrule": ("add", "change", "view", "delete"),
    "routing.slapolicy": ("add", "change", "view", "delete"),
    "crm.unit": ("add", "change", "view"),
    "crm.membership": ("add", "change", "view"),
    "crm.user": ("add", "change", "view"),
    "crm.company": ("view",),
    "crm.contact": ("view",),
    "inquiries.inquiry": ("view",),
    "inquiries.cannedresponse": ("add", "change", "view", "delete"),
    "inquiries.servicefeedback": ("view",),
    "notifications.notification": ("view", "change"),  # change: the "retry sending" action
    "mailin.inboundmail": ("view",),  # every message received, and what became of it
}


def _wanted() -> set[tuple[str, str]]:
    """Return the (app label, codename) pairs of the service manager's permissions."""
    return {
        (model.split(".")[0], f"{action}_{model.split('.')[1]}")
        for model, actions in SERVICE_MANAGER_PERMISSIONS.items()
        for action in actions
    }


def _existing(wanted: set[tuple[str, str]]) -> list[Permission]:
    query = Q()
    for app_label, codename in wanted:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query).select_related("content_type"))


def service_manager_permissions() -> list[Permission]:
    """Return the service manager's Permission rows, creating missing ones first."""
    wanted = _wanted()
    permissions = _existing(wanted)
    if len(permissions) < len(wanted):
        # Normally made by post_migrate; missing when migrations ran with signals muted.
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        permissions = _existing(wanted)
    missing = wanted - {(p.content_type.app_label, p.codename) for p in permissions}
    if missing:
        raise LookupError(f"Permissions not found: {sorted(missing)}")
    return permissions


def ensure_service_manager_group() -> Group:
    """Return the "Service managers" group, created if needed, with at least its permissions."""
    group, _created = Group.objects.get_or_create(name=SERVICE_MANAGER_GROUP)
    # add(), not set(): a permission an administrator granted the group on top survives a re-run.
    group.permissions.add(*service_manager_permissions())
    return group
