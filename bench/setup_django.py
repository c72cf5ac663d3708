"""Shared start-up for the bench scripts: settings, database and Django itself.

Both scripts run from the project root as `.venv/bin/python bench/<script>.py`. Unless
DATABASE_URL says otherwise they use bench/bench.sqlite3, never the demo database.
"""

import os
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_DB = BENCH_DIR / "bench.sqlite3"


def setup() -> str:
    """Configure and start Django; return a short description of the database in use."""
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minipolice.settings")
    # Production settings insist on a real SECRET_KEY and HTTPS; the bench runs locally, so it
    # uses the test settings (fast password hasher, no HTTPS redirect) unless told otherwise.
    if "DEBUG" not in os.environ and "MINIPOLICE_TESTING" not in os.environ:
        os.environ["MINIPOLICE_TESTING"] = "true"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_DB}")

    import django

    django.setup()

    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite {settings['NAME']}"
    return f"{connection.vendor} {settings.get('HOST') or 'local'}/{settings['NAME']}"
