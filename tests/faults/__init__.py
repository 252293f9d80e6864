"""Fault tests: the real stack (gunicorn, Celery, Redis, SMTP) while parts of it fail."""
