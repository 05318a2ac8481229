"""Another person's writes during a large import succeed (a real uvicorn process).

An outside probe (F2) imported a 1.5 MB file of 5,000 own foods and 5,000 meals on SQLite: the
own foods were created one at a time, all in one transaction, and the import held SQLite's one
writer for a minute; meanwhile 8 of another person's 10 writes answered 503 after SQLite's busy
timeout (5 s), a stranger's sign-up too. The import now makes each batch's rows before taking
the writer and inserts them in one statement (portability/sections.py `_insert_batches`), so
the writer is held a fraction of a second at a time. Her own writes wait for her import (503,
accounts/importlock.py); other people's must not.
"""

from __future__ import annotations

import threading

import httpx

from tests.factories import export_document
from tests.sync.conftest import (  # noqa: F401 (the fixtures)
    LiveServer,
    module_live_server,
    shared_live_server,
)

FOODS = 5000
MEALS = 5000


def test_another_persons_writes_during_a_large_import_all_succeed(
    shared_live_server: LiveServer,  # noqa: F811
) -> None:
    server = shared_live_server
    importer, _ = server.sign_up()
    other, _ = server.sign_up()
    document = export_document(FOODS, MEALS)
    imported: list[httpx.Response] = []

    def run_import() -> None:
        headers = {"Authorization": f"Bearer {importer}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=300) as http:
            imported.append(http.post("/api/v1/import", json=document))

    answers: list[httpx.Response] = []
    thread = threading.Thread(target=run_import)
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {other}"}, timeout=60
    ) as http:
        thread.start()
        # Her writes, one after another, for as long as the import runs.
        while thread.is_alive():
            answers.append(
                http.post(
                    "/api/v1/symptoms",
                    json={"measured_at": "2026-12-04T08:00:00+00:00", "worst_pain_0_10": 1},
                )
            )
            thread.join(timeout=0.1)
    thread.join()
    assert imported and imported[0].status_code == 200, imported and imported[0].text[:300]
    counts = imported[0].json()["imported"]
    assert (counts["custom_foods"], counts["meals"]) == (FOODS, MEALS)
    # The import took long enough for her to write during it (a file this size: seconds).
    assert len(answers) >= 3, len(answers)
    assert [a.status_code for a in answers] == [201] * len(answers), [
        (a.status_code, a.text[:200]) for a in answers if a.status_code != 201
    ]
