"""The memory an early answer's drain costs (core/http.py, DrainBodyMiddleware).

A uvicorn process on a scratch SQLite database is sent three 60 MiB imports with a bad token
(a 401 before a byte is read) by urllib, which sends the whole body before it reads; its RSS is
printed before and after each. Measured 2026-12-04: 151 MB at start, 155 MB after each (no
growth with the body), and every answer read (before the drain: ConnectionResetError or
BrokenPipeError).

    .venv/bin/python bench/early_answers.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PORT = 18913
BODY_MIB = 60


def main() -> None:
    scratch = tempfile.mkdtemp()
    env = os.environ | {
        "FORTIFY_DATABASE_URL": f"sqlite:///{scratch}/db.sqlite",
        "FORTIFY_ENVIRONMENT": "test",
        "FORTIFY_DATA_DIR": scratch,
        "FORTIFY_SECRET_KEY": "bench-early-answers-0123456789abcdef",
        "FORTIFY_FRONTEND_DIST": f"{scratch}/none",
        "FORTIFY_LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], env=env, check=True)
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "fortify.main:create_app", "--factory"),
            *("--port", str(PORT), "--log-level", "warning"),
        ],
        env=env,
    )

    def rss_mb() -> int:
        with open(f"/proc/{server.pid}/status") as status:
            line = next(line for line in status if line.startswith("VmRSS"))
        return int(line.split()[1]) // 1024

    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", PORT)).close()
                break
            except OSError:
                time.sleep(0.2)
        print("RSS at start:", rss_mb(), "MB")
        body = b" " * (BODY_MIB << 20)
        for _ in range(3):
            request = urllib.request.Request(
                f"http://127.0.0.1:{PORT}/api/v1/import",
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "Authorization": "Bearer ftp_x"},
            )
            try:
                urllib.request.urlopen(request)
            except urllib.error.HTTPError as answer:
                print("answer", answer.code, "read; RSS", rss_mb(), "MB")
            except OSError as failure:
                print("no answer:", type(failure).__name__)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
