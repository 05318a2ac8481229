"""The event loop's PostgreSQL reads (core/loop_reader.py): a row, or `LoopReadUnavailable`."""

from __future__ import annotations

import asyncio
import socket
from functools import cache

import pytest
from sqlalchemy import Engine, Integer, Select, bindparam, func, literal_column, select

from fortify.core.loop_reader import LoopReader, LoopReadUnavailable
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's async driver")


@cache
def _number() -> Select[int]:
    return select(bindparam("n", type_=Integer))


@cache
def _slow_number() -> Select[int, object]:
    return select(bindparam("n", type_=Integer), func.pg_sleep(literal_column("0.2")))


class TestLoopReader:
    def test_it_reads_a_row_with_its_bound_values(self, engine: Engine) -> None:
        reader = LoopReader(engine)

        async def read() -> tuple[object, ...] | None:
            try:
                return await reader.fetch_one(_number(), {"n": 7})
            finally:
                await reader.close()

        assert asyncio.run(read()) == (7,)

    def test_a_connection_is_kept_for_the_next_read_on_the_same_loop(self, engine: Engine) -> None:
        reader = LoopReader(engine)

        async def two_reads() -> tuple[int, int]:
            pid = select(func.pg_backend_pid())
            first = await reader.fetch_one(pid, {})
            second = await reader.fetch_one(pid, {})
            await reader.close()
            assert first is not None and second is not None
            return first[0], second[0]

        first, second = asyncio.run(two_reads())
        assert first == second

    def test_a_second_event_loop_reads_as_well(self, engine: Engine) -> None:
        """A connection belongs to the loop that opened it, and a test client runs loops of its
        own: the first loop's connections are closed, not used from the second."""
        reader = LoopReader(engine)

        assert asyncio.run(reader.fetch_one(_number(), {"n": 1})) == (1,)
        assert asyncio.run(reader.fetch_one(_number(), {"n": 2})) == (2,)
        asyncio.run(reader.close())

    def test_when_every_connection_is_busy_the_read_is_left_to_the_thread(
        self, engine: Engine
    ) -> None:
        reader = LoopReader(engine, size=1)

        async def both() -> tuple[object, object]:
            results = await asyncio.gather(
                reader.fetch_one(_slow_number(), {"n": 1}),
                reader.fetch_one(_slow_number(), {"n": 2}),
                return_exceptions=True,
            )
            await reader.close()
            return results[0], results[1]

        first, second = asyncio.run(both())
        assert isinstance(first, tuple) and first[0] == 1
        assert isinstance(second, LoopReadUnavailable)
        assert second.args == ("busy",)

    def test_a_slow_answer_is_given_up_and_the_reader_rests(self, engine: Engine) -> None:
        reader = LoopReader(engine, timeout_s=0.05)

        async def reads() -> tuple[LoopReadUnavailable, LoopReadUnavailable]:
            with pytest.raises(LoopReadUnavailable) as slow:
                await reader.fetch_one(_slow_number(), {"n": 1})
            with pytest.raises(LoopReadUnavailable) as next_one:
                await reader.fetch_one(_number(), {"n": 2})
            await reader.close()
            return slow.value, next_one.value

        slow, next_one = asyncio.run(reads())
        assert slow.args == ("TimeoutError",)
        assert next_one.args == ("resting",)

    def test_a_server_that_cannot_be_reached_is_tried_again_after_the_rest(
        self, engine: Engine
    ) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed_port = int(sock.getsockname()[1])
        reader = LoopReader(
            engine, url=engine.url.set(port=closed_port), size=1, rest_after_failure_s=0
        )

        async def reads() -> list[str]:
            said = []
            for _ in range(2):
                with pytest.raises(LoopReadUnavailable) as failed:
                    await reader.fetch_one(_number(), {"n": 1})
                said.append(failed.value.args[0])
            return said

        # Tried each time (no rest), refused each time: the failed opening holds no place.
        assert asyncio.run(reads()) == ["OperationalError", "OperationalError"]
