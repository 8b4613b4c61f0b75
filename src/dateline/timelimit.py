"""A per-document time limit that interrupts the work instead of waiting for it.

On the main thread a POSIX interval timer delivers ``SIGALRM``; the handler raises inside
whatever Python code is running. On other threads (the web server's worker pool) a watchdog
thread raises the same exception in the worker with ``PyThreadState_SetAsyncExc``. Either way
the limit becomes a ``TimeLimitError`` for that one document. Native code (a parse in spaCy's
Cython) is interrupted when it returns to Python, which is why documents are also bounded in
size (``Settings.max_chars``). Without either mechanism the limit is not enforced (logged once).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from dateline.errors import TimeLimitError

log = logging.getLogger(__name__)

# After the limit, the timer fires again at this interval until the block is left, so a
# library that swallows one interruption (a broad ``except``) cannot keep the document alive.
_REFIRE_SECONDS = 0.05


class _Expired(BaseException):
    """Raised by the signal handler; a BaseException so ``except Exception`` cannot stop it."""


class _State(threading.local):
    active = False
    warned = False


_state = _State()


def _expire(_signum: int, _frame: FrameType | None) -> None:
    if _state.active:  # a late tick after the block was left is ignored
        raise _Expired


def enforceable() -> bool:
    """True where the signal timer can interrupt work: POSIX, on the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _set_async_exc(ident: int, exc: type[BaseException] | None) -> None:
    """Make thread ``ident`` raise ``exc`` at its next Python instruction (None cancels)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(exc) if exc is not None else None
    )


class _Watchdog:
    """Raises ``_Expired`` in one thread after a delay, then again at ``_REFIRE_SECONDS``."""

    def __init__(self, seconds: float) -> None:
        self._target = threading.get_ident()
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._seconds = seconds
        self._thread = threading.Thread(target=self._run, name="dateline-time-limit", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        delay = self._seconds
        while not self._done.wait(delay):
            with self._lock:
                if self._done.is_set():
                    return
                _set_async_exc(self._target, _Expired)
            delay = _REFIRE_SECONDS

    def stop(self) -> None:
        """No interruption reaches the thread after this returns; one still pending is cancelled."""
        with self._lock:
            self._done.set()
            _set_async_exc(self._target, None)


@contextlib.contextmanager
def _thread_limit(seconds: float, origin: str) -> Iterator[None]:
    watchdog = _Watchdog(seconds)
    _state.active = True
    expired = False
    watchdog.start()
    try:
        yield
    except _Expired:
        expired = True
    finally:
        while True:  # a refire can land before stop() takes the lock
            try:
                watchdog.stop()
                break
            except _Expired:
                expired = True
        _state.active = False
    if expired:
        raise _limit_error(seconds, origin)


def _limit_error(seconds: float, origin: str) -> TimeLimitError:
    return TimeLimitError(
        f"took longer than the {seconds:g}-second limit per document; split the document "
        "or raise DATELINE_TIME_LIMIT",
        origin=origin,
    )


@contextlib.contextmanager
def time_limit(seconds: float | None, *, origin: str) -> Iterator[None]:
    """Raise ``TimeLimitError`` (naming ``origin``) when the block runs past ``seconds``.

    ``None`` or 0 disables the limit; a nested limit leaves the outer one in charge."""
    if not seconds or seconds <= 0 or _state.active:
        yield
        return
    if not enforceable() and sys.implementation.name == "cpython":
        with _thread_limit(seconds, origin):
            yield
        return
    if not enforceable() or signal.getsignal(signal.SIGALRM) is None:
        # A handler installed outside Python we must not replace.
        if not _state.warned:
            log.warning("per-document time limit not enforced here (thread or foreign handler)")
            _state.warned = True
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    _state.active = True
    signal.setitimer(signal.ITIMER_REAL, seconds, _REFIRE_SECONDS)
    try:
        yield
    except _Expired:
        _state.active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        raise _limit_error(seconds, origin) from None
    finally:
        _state.active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
