"""The per-document time limit interrupts running work, even work that swallows exceptions."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable

import pytest

from dateline.errors import TimeLimitError
from dateline.timelimit import time_limit


def _spin() -> None:
    while True:
        pass


def test_endless_loop_is_interrupted_with_the_origin_named() -> None:
    with pytest.raises(TimeLimitError) as caught, time_limit(0.2, origin="slow.txt"):
        _spin()
    assert caught.value.origin == "slow.txt" and caught.value.code == "E107"
    assert "DATELINE_TIME_LIMIT" in caught.value.message


def test_swallowing_one_interruption_does_not_keep_the_document_alive() -> None:
    def stubborn() -> None:
        try:
            _spin()
        except BaseException:  # what careless library code does
            log.append("swallowed")
        _spin()

    log: list[str] = []
    with pytest.raises(TimeLimitError), time_limit(0.2, origin="x"):
        stubborn()
    assert log == ["swallowed"]


def test_fast_work_is_untouched_and_the_timer_is_restored() -> None:
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(5, origin="x"):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_zero_disables_the_limit() -> None:
    with time_limit(0, origin="x"):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def _in_thread(work: Callable[[], None]) -> None:
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()


def test_off_the_main_thread_an_endless_loop_is_interrupted_too() -> None:
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with time_limit(0.2, origin="worker.txt"):
                _spin()
        except TimeLimitError as exc:
            caught.append(exc)

    _in_thread(work)
    assert len(caught) == 1 and caught[0].origin == "worker.txt"


def test_off_the_main_thread_swallowing_one_interruption_is_not_enough() -> None:
    log: list[str] = []
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with time_limit(0.2, origin="x"):
                try:
                    _spin()
                except BaseException:
                    log.append("swallowed")
                _spin()
        except TimeLimitError as exc:
            caught.append(exc)

    _in_thread(work)
    assert log == ["swallowed"] and len(caught) == 1


def test_off_the_main_thread_fast_work_finishes_and_no_late_interruption_arrives() -> None:
    outcome: list[str] = []

    def work() -> None:
        with time_limit(0.05, origin="x"):
            outcome.append("done")
        time.sleep(0.3)  # past the limit and several refire intervals: nothing is raised
        outcome.append("after")

    _in_thread(work)
    assert outcome == ["done", "after"]
