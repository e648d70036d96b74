"""Retorno's own settings (from the environment, as in production) plus the yardstick URLs.

Only three things differ: the URLconf adds /bench/bare/ and /bench/static-list/, collected static
files go under var/ so the benchmark never writes into the source tree, and the benchmark's
gunicorn runs this module (DJANGO_SETTINGS_MODULE=bench.benchsite.settings).
"""

from retorno.settings import *  # noqa: F403
from retorno.settings import VAR_DIR

ROOT_URLCONF = "bench.benchsite.urls"
WSGI_APPLICATION = "bench.benchsite.wsgi.application"
STATIC_ROOT = VAR_DIR / "bench-static"
