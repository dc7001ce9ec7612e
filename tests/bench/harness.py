"""What the benchmarks share: a throwaway database, a free port, gunicorn
started and waited for, and percentiles. Run benches as scripts from the
repository root (`python tests/bench/<name>.py`); each puts the root on sys.path
before importing this."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_django(database_path: str | None, prefix: str) -> None:
    """Test settings on DATABASE_URL, or on a new SQLite file (``database_path``
    or a temporary one), migrated."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    if "DATABASE_URL" not in os.environ:
        path = database_path or os.path.join(
            tempfile.mkdtemp(prefix=f"{prefix}-"), "db.sqlite3"
        )
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    print(f"database: {os.environ['DATABASE_URL']}")
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.monotonic() - started:.1f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(app: str, port: int, workers: int, env: dict, cwd: Path, log):
    """gunicorn serving ``app`` on ``port``, once it accepts connections; ``log``
    is an open file that takes its output."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn {app} stopped; see {log.name}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn {app} did not start within 90 s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]
