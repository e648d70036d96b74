"""Gunicorn settings for Retorno. Gunicorn reads this file from the directory it starts in;
options given on its command line override it.

Measured in bench/README.md ("Serving"), at 8 concurrent users on 2 cores."""

import gc
import os

# One worker per core: the pages spend most of their time on the CPU, and more workers than
# cores only interleave requests and stretch each one (p95 rose by 10-20 ms with 3 or 5
# workers). Where the database is on another machine, workers wait on it longer: raise
# WEB_CONCURRENCY there.
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
timeout = 60


def post_worker_init(worker):
    """Move what the worker has loaded (Django, the apps, the URLconf and every view module)
    out of the garbage collector's sight. These objects live as long as the worker, yet every
    full collection walked all of them again, in the middle of a request: about 2 ms a request
    on average, and far more for the request that happened to trigger it."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views now, not on the first request)
    gc.collect()
    gc.freeze()
