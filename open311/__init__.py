"""Open311 GeoReport v2 at /open311/v2/: the service catalogue and the requests' progress.

Business requests are confidential: no description, subject, contact, company or message
ever leaves through this interface, only the type, the unit, the state and the times.
"""
