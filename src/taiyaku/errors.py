"""Errors the library raises; the CLI turns each into one line and an exit status."""

from __future__ import annotations

import os


class TaiyakuError(Exception):
    """Base class: something the user can fix (bad input, missing entry, locked database)."""


class FormatError(TaiyakuError):
    """A file could not be read as the format it claims to be.

    The message always names the file and, where known, the place in it.

    :param path: the file being read
    :param message: what is wrong
    :param where: the place, e.g. ``"line 3, column 7"``, ``"row 12"``, ``"byte 1024"``
    """

    def __init__(self, path: str | os.PathLike[str], message: str, where: str | None = None):
        self.path = os.fspath(path)
        self.where = where
        self.detail = message
        place = f"{self.path}: {where}" if where else self.path
        super().__init__(f"{place}: {message}")

    def __reduce__(self) -> tuple[type[FormatError], tuple[str, str, str | None]]:
        # Pickled as its parts (a file read in another process raises it in this one).
        return type(self), (self.path, self.detail, self.where)


class NotFound(TaiyakuError):
    """A requested entry, unit or document does not exist."""


class DatabaseError(TaiyakuError):
    """The database cannot be opened or written (locked, newer schema, not a database)."""


class DatabaseUnavailable(DatabaseError):
    """The database server cannot do the work now: the connection was lost (a PostgreSQL
    server restarted, the network dropped), or the server is out of room or memory, shutting
    down, read-only, or gave up a transaction that met another's (a deadlock). Not the
    input's fault; the same work may succeed a little later."""


class DatabaseFault(DatabaseError):
    """The database server refused a statement for a reason of its own (a table or column
    missing, privileges taken away, an internal error): neither the input's fault nor
    likely to pass by itself. Its administrator has to look."""
