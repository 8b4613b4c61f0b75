"""A per-document time limit that interrupts the work instead of waiting for it.

POSIX interval timers deliver ``SIGALRM`` to the main thread; the handler raises inside
whatever Python code is running, and the limit becomes a ``TimeLimitError`` for that one
document. Native code (a parse in spaCy's Cython) is interrupted when it returns to Python,
which is why documents are also bounded in size (``Settings.max_chars``). Off the main thread
or without ``SIGALRM`` the limit is not enforced (logged once).
"""

from __future__ import annotations

import contextlib
import logging
import signal
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
    """True where the limit can interrupt work: POSIX, on the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float | None, *, origin: str) -> Iterator[None]:
    """Raise ``TimeLimitError`` (naming ``origin``) when the block runs past ``seconds``.

    ``None`` or 0 disables the limit; a nested limit leaves the outer one in charge."""
    if not seconds or seconds <= 0 or _state.active:
        yield
        return
    if not enforceable() or signal.getsignal(signal.SIGALRM) is None:
        # Off the main thread, or a handler installed outside Python we must not replace.
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
        raise TimeLimitError(
            f"took longer than the {seconds:g}-second limit per document; split the document "
            "or raise DATELINE_TIME_LIMIT",
            origin=origin,
        ) from None
    finally:
        _state.active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
