"""Peak memory of a streamed CSV export, in a process of its own (run by `bench_scale`).

python -m bench.csv_memory WARM_URL URL USERNAME: prints one JSON line. ru_maxrss is the
process's peak resident size: measured after a small export (code loaded, connection open) and
after the big one, the difference is what the export itself needed at most. A second pass under
tracemalloc gives the peak of Python's own allocations.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc

import django


def _read(client, url: str) -> tuple[int, int]:  # noqa: ANN001 - django.test.Client
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    lines = size = 0
    for part in response.streaming_content:
        lines += part.count(b"\n")
        size += len(part)
    return lines - 1, size


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    django.setup()
    from django.test import Client

    from crm.models import User

    warm_url, url, username = sys.argv[1:4]
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    _read(client, warm_url)
    before = _peak_kib()
    started = time.perf_counter()
    rows, size = _read(client, url)
    seconds = time.perf_counter() - started
    after = _peak_kib()
    tracemalloc.start()
    _read(client, url)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "rows": rows,
                "bytes": size,
                "seconds": seconds,
                "rss_before_kib": before,
                "rss_peak_kib": after,
                "traced_peak_bytes": traced_peak,
            }
        )
    )


if __name__ == "__main__":
    main()
