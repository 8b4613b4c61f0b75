"""The per-document time limit interrupts running work, even work that swallows exceptions."""

from __future__ import annotations

import signal
import threading

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


def test_off_the_main_thread_the_work_runs_unlimited() -> None:
    outcome: list[str] = []

    def work() -> None:
        with time_limit(0.01, origin="x"):
            outcome.append("done")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["done"]
