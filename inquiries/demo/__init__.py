"""Demo data: staff log-ins and requests with real histories, made only through the services."""

from .play import seed_demo
from .staff import DEFAULT_PASSWORD, STAFF, format_logins

__all__ = ["DEFAULT_PASSWORD", "STAFF", "format_logins", "seed_demo"]
