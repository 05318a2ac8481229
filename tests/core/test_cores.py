"""`FORTIFY_ONE_CORE_PER_PROCESS`: each app process claims a core of its own (core/cores.py).

Run in child processes, so the test process keeps its cores: each child claims a core, says
which and which cores its threads may use, and holds the claim until told to end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fortify.core import cores

ROOT = Path(__file__).resolve().parents[2]
CLAIM = """
import json, os, sys, threading
from pathlib import Path
from fortify.core.cores import keep_to_one_core
core = keep_to_one_core(Path(sys.argv[1]))
started = []
thread = threading.Thread(target=lambda: started.append(sorted(os.sched_getaffinity(0))))
thread.start(); thread.join()
print(json.dumps({"core": core, "main": sorted(os.sched_getaffinity(0)), "later": started[0]}),
      flush=True)
sys.stdin.read()  # hold the claim until the test closes stdin
"""
CORES = sorted(os.sched_getaffinity(0))
pytestmark = pytest.mark.skipif(len(CORES) < 2, reason="needs two cores to claim")


def _claim(directory: Path) -> tuple[subprocess.Popen[str], dict[str, object]]:
    env = os.environ | {"PYTHONPATH": f"{ROOT / 'backend'}{os.pathsep}{ROOT}"}
    child = subprocess.Popen(
        [sys.executable, "-c", CLAIM, str(directory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    return child, json.loads(child.stdout.readline())


def _end(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.close()
    assert child.wait(timeout=30) == 0


class TestOneCorePerProcess:
    def test_each_process_claims_a_core_of_its_own_and_every_thread_keeps_to_it(
        self, tmp_path: Path
    ) -> None:
        children = [_claim(tmp_path) for _ in CORES]
        try:
            claimed = [seen["core"] for _, seen in children]
            assert sorted(claimed) == CORES  # type: ignore[type-var]
            for _, seen in children:
                assert seen["main"] == seen["later"] == [seen["core"]]
        finally:
            for child, _ in children:
                _end(child)

    def test_a_process_beyond_the_cores_is_left_free(self, tmp_path: Path) -> None:
        children = [_claim(tmp_path) for _ in CORES]
        try:
            extra, seen = _claim(tmp_path)
            _end(extra)
            assert seen["core"] is None
            assert seen["main"] == CORES
        finally:
            for child, _ in children:
                _end(child)

    def test_a_core_let_go_by_an_ended_process_is_claimed_again(self, tmp_path: Path) -> None:
        first, seen = _claim(tmp_path)
        _end(first)
        again, seen_again = _claim(tmp_path)
        _end(again)
        assert seen_again["core"] == seen["core"] == CORES[0]

    def test_the_setting_is_off_unless_asked_for(self) -> None:
        from fortify.core.config import Settings

        assert Settings.model_fields["one_core_per_process"].default is False
        assert cores._held == []  # the test process claimed nothing
