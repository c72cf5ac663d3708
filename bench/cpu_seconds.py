"""CPU seconds (user + system) used so far by gunicorn's workers and by PostgreSQL's backends
for one database: `python bench/cpu_seconds.py GUNICORN_PID DBNAME` prints "web db".

For bench/loadtest.sh, which samples it before and after the load: the server's CPU per request
says what the machine could carry on its own, however busy other work keeps the shared cores.
Linux only (/proc). Backends and workers that ended between the two samples are not counted.
"""

import os
import sys
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(p) for p in text.split()]
    return found


def backends(dbname: str) -> list[int]:
    import psycopg

    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as db:
        rows = db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [dbname],
        ).fetchall()
    return [pid for (pid,) in rows]


if __name__ == "__main__":
    master, dbname = int(sys.argv[1]), sys.argv[2]
    web = sum(cpu(pid) for pid in children(master))
    db = sum(cpu(pid) for pid in backends(dbname))
    print(f"{web:.2f} {db:.2f}")
