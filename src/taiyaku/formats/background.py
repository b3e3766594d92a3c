"""Reading a large file in a second process, so that parsing and storing use two cores.

An import is a pipeline: parse the file, compute the keys, insert, index. Parsing a
million-unit TMX is about a third of the work and needs nothing from the rest, so a reader
may hand it to a forked child (:func:`read_in_child`), which streams the items back in
batches through a pipe: the parent stores batch *n* while the child parses batch *n + 1*.
Items come back in file order; the child's warnings are passed to the parent's ``warn``
in order with them; an error in the child is raised in the parent (so an import stays all
or nothing); at most :data:`AHEAD` batches wait in the child, so memory stays constant. When the
parent stops early (an error while storing, a closed generator) the child is killed; when
the parent dies, the child's next write fails and it ends.

Only where it pays and is safe: a file of :data:`PROCESS_ABOVE` bytes or more, a system
with ``fork`` and more than one core, and a process with no other thread (a thread holding
a lock at the moment of the fork would leave it held forever in the child) that is not
itself a daemonic worker.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar

from taiyaku.errors import TaiyakuError

T = TypeVar("T")
Warn = Callable[[str], None]

PROCESS_ABOVE = 32 << 20
"""Files smaller than this are read in the calling process (a fork costs ~10 ms)."""
BATCH = 1000


def worth_a_process(path: str | os.PathLike[str]) -> bool:
    """Whether :func:`read_in_child` would pay off for ``path``, and is safe here."""
    try:
        size = os.stat(path).st_size
    except (OSError, TypeError, ValueError):
        return False
    return (
        size >= PROCESS_ABOVE
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def read_in_child(read: Callable[[Warn], Iterable[T]], warn: Warn | None) -> Iterator[T]:
    """Yield the items of ``read(warn)``, computed in a forked child process.

    :param read: called in the child with a ``warn`` that forwards to the parent's; the
        items it yields must pickle
    :param warn: the parent's ``warn``
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(read, send, receive), daemon=True)
    child.start()
    send.close()
    try:
        while True:
            try:
                kind, payload = receive.recv()
            except EOFError:
                child.join(5)
                raise TaiyakuError(
                    f"the process reading the file ended unexpectedly (exit code {child.exitcode})"
                ) from None
            if kind == "items":
                yield from payload
            elif kind == "warn":
                if warn:
                    warn(payload)
            elif kind == "raise":
                raise payload
            else:
                return
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()


def _run(read: Callable[[Warn], Iterable[Any]], send: Any, receive: Any) -> None:
    """The child: send batches of items, warnings, and the end or the error.

    Messages are pickled here and written to the pipe by a second thread (:class:`_Sender`),
    which queues up to :data:`AHEAD` of them: while the parent stores a large batch the
    child goes on parsing, rather than waiting for the pipe (a few kilobytes) to drain.
    """
    receive.close()
    sender = _Sender(send)
    batch: list[Any] = []

    def flush() -> None:
        nonlocal batch
        if batch:
            sender.put(("items", batch))
            batch = []

    def warn(message: str) -> None:
        flush()  # the warning comes after the items read before it
        sender.put(("warn", message))

    try:
        for item in read(warn):
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
        flush()
        sender.put(("end", None))
    except (BrokenPipeError, KeyboardInterrupt):
        return  # the parent is gone or stopping
    except BaseException as error:
        try:
            sender.put(("raise", error))
        except BrokenPipeError:
            return
        except Exception:  # an error that does not pickle: its message still does
            sender.put(("raise", TaiyakuError(f"{type(error).__name__}: {error}")))
    finally:
        send.close()


AHEAD = 16
"""Messages (batches of :data:`BATCH` items) the child may queue ahead of the pipe."""


class _Sender:
    """Writes pickled messages to the pipe from a thread of the child, in order."""

    def __init__(self, send: Any):
        self._send = send
        self._queue: queue.Queue[bytes | None] = queue.Queue(AHEAD)
        self._broken = False
        self._thread = threading.Thread(target=self._write, daemon=True)
        self._thread.start()

    def put(self, message: tuple[str, Any]) -> None:
        """Queue ``message`` (pickled now: an error that does not pickle is raised here).

        :raises BrokenPipeError: the parent has stopped reading
        """
        data = bytes(ForkingPickler.dumps(message))
        if self._broken:
            raise BrokenPipeError
        self._queue.put(data)
        if message[0] in ("end", "raise"):
            self.close()

    def close(self) -> None:
        """Wait until every queued message is written."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _write(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._broken:
                continue  # drain, so that put never blocks on a parent that is gone
            try:
                self._send.send_bytes(data)
            except OSError:
                self._broken = True
