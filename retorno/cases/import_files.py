"""The checked rows of an import, kept on disk between the check and the run.

What is kept is the validated result (persons' data), never longer than needed: it is deleted
when the import runs or is cancelled, and `purge_expired` deletes what a coordinator left behind
(run by `manage.py purge_import_files` from the scheduler, and on every upload).
"""

import datetime
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = datetime.timedelta(hours=24)
_TOKEN = re.compile(r"[0-9a-f]{32}")


def directory() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(data: bytes) -> str:
    """Keep `data`; returns the token that finds it again."""
    token = secrets.token_hex(16)
    (directory() / token).write_bytes(data)
    return token


def path_of(token: str) -> Path | None:
    """The kept file of `token`, if it is still there."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    path = directory() / token
    return path if path.is_file() else None


def discard(token: str) -> None:
    path = path_of(token)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_expired(*, max_age: datetime.timedelta = MAX_AGE) -> int:
    """Delete the kept files older than `max_age`; returns how many were deleted."""
    deadline = time.time() - max_age.total_seconds()
    deleted = 0
    for path in directory().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < deadline:
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            continue  # deleted meanwhile by the run or another purge
    return deleted
