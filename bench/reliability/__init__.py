"""The load and fault run: mixed traffic against the whole stack while the worker and Redis fail.

`python -m bench.reliability --minutes 10` (see docs/RELIABILITY.md). Everything runs on
loopback in processes this run starts and stops by their own ids: a throw-away PostgreSQL
database, redis-server, an SMTP server that records every message, gunicorn and a Celery worker
with beat. It is outside CI and `make test`.
"""
