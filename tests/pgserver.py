"""A throwaway PostgreSQL server for the tests and benchmarks: initdb, start, stop, delete.

The tests run the PostgreSQL backend against a real server, never a mock. This module makes
one in a fresh folder under /tmp (never inside the clone: CI clones into a mode-0700 folder
that an unprivileged user cannot enter), listening on a Unix socket in that folder and on a
free loopback port, with trust authentication for the local user ``taiyaku``. PostgreSQL
refuses to run as root, and CI runs as root: then the server runs as the ``postgres`` system
user that Debian's package creates (``nobody`` when there is none), and owns its folder.

For the tests durability is switched off (``fsync``, ``synchronous_commit``,
``full_page_writes``): they kill clients, never the server, so a commit still means
committed to every other client, and the server writes several times faster. Benchmarks ask
for a ``durable`` server.

By hand: ``python -m tests.pgserver`` starts one, prints its URL and stops it on Ctrl-C (or
``kill``). A server whose test run is killed stops itself (see :meth:`PostgresServer._watch`).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "taiyaku"
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "max_connections": "300",
    "shared_buffers": "128MB",
}
NOT_DURABLE = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be set up here (binaries missing, or it would not start)."""


def find_bindir() -> Path:
    """The folder of ``initdb``/``pg_ctl``: ``$TAIYAKU_PG_BINDIR``, the PATH, or Debian's.

    :raises PostgresUnavailable: PostgreSQL is not installed
    """
    if os.environ.get("TAIYAKU_PG_BINDIR"):
        return Path(os.environ["TAIYAKU_PG_BINDIR"])
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    # Debian keeps the server binaries off the PATH, one folder per major version.
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed (no initdb on the PATH nor in /usr/lib/postgresql/*/bin): "
        "`make test` installs it with apt-get install postgresql"
    )


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as when we are root; None otherwise."""
    if os.geteuid() != 0:
        return None
    for name in (os.environ.get("TAIYAKU_PG_USER"), "postgres", "nobody"):
        if name:
            with contextlib.suppress(KeyError):
                return pwd.getpwnam(name)
    raise PostgresUnavailable("running as root, and there is no postgres nor nobody user")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A running throwaway server; :meth:`stop` ends it and deletes its folder."""

    bindir: Path
    folder: Path
    port: int
    user: pwd.struct_passwd | None
    durable: bool = False
    watchdog: subprocess.Popen[bytes] | None = None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "postgres") -> str:
        """A ``postgresql://`` URL for ``database`` on this server (over loopback TCP)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL program (as the server's user when we are root)."""
        command = [str(self.bindir / args[0]), *args[1:]]
        as_user = {}
        if self.user is not None:
            as_user = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=False,
                cwd=self.folder,
                env={**os.environ, "LC_ALL": "C.UTF-8", "HOME": str(self.folder)},
                **as_user,  # type: ignore[arg-type]
            )
        except OSError as error:
            raise PostgresUnavailable(f"cannot run {command[0]}: {error}") from error
        if check and done.returncode != 0:
            log = (
                self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
            )
            raise PostgresUnavailable(
                f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}{log}"
            )
        return done

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its URL (a fresh name when none is given)."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of ``url``, disconnecting whoever is still connected to it."""
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def empty_database(self, url: str) -> None:
        """Make the database of ``url`` as empty as a new one: disconnect its clients, drop
        every schema but the system ones (with all they hold) and make ``public`` again."""
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            schemas = [
                row[0]
                for row in conn.execute(
                    "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                    " AND nspname <> 'information_schema'"
                )
            ]
            for schema in schemas:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
            conn.execute("CREATE SCHEMA public")
            conn.execute("GRANT ALL ON SCHEMA public TO PUBLIC")

    def writing(self, url: str) -> bool:
        """Whether a client of ``url``'s database is inside a transaction that has written.

        PostgreSQL gives a transaction an id (``backend_xid``) at its first write, so this
        tells a test that an importer is mid-transaction, the moment to kill it.
        """
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            ).fetchone()
        return bool(row and row[0])

    def start_replica(self) -> PostgresServer:
        """A streaming replica (a hot standby) of this server, in a folder of its own.

        ``pg_basebackup -R`` copies the cluster and configures it to follow this one; the
        caller must :meth:`stop` it.
        """
        replica = PostgresServer(self.bindir, _new_folder(self.user), 0, self.user, self.durable)
        try:
            replica._run(
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-D",
                str(replica.data),
                "-R",
                "-X",
                "stream",
                # Else it waits for a spread checkpoint: minutes on a busy server.
                "--checkpoint=fast",
            )
            replica._start()
        except BaseException:
            replica.stop()
            raise
        return replica

    def _start(self) -> None:
        """pg_ctl start on a free port (retried: another program may take it first)."""
        settings = SERVER_SETTINGS if self.durable else {**SERVER_SETTINGS, **NOT_DURABLE}
        options = " ".join(f"-c {k}={v}" for k, v in settings.items())
        for _ in range(5):
            self.port = free_port()
            started = self._run(
                "pg_ctl",
                "start",
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.port} -k {self.folder} {options}",
                check=False,
            )
            if started.returncode == 0:
                self._watch(os.getpid())
                return
            time.sleep(0.2)
        log = self.log.read_text(encoding="utf-8", errors="replace")
        raise PostgresUnavailable(f"pg_ctl start failed:\n{started.stderr}{log}")

    def _watch(self, owner: int) -> None:
        """Stop the server and delete its folder once ``owner`` has ended, however it ended.

        A test run killed by a timeout or kill -9 never reaches :meth:`stop`; this small
        shell loop (in a session of its own, as the server's user) cleans up instead.
        """
        script = (
            f"while [ -d /proc/{owner} ]; do sleep 1; done; "
            f'"{self.bindir / "pg_ctl"}" stop -D "{self.data}" -m immediate >/dev/null 2>&1; '
            f'rm -rf "{self.folder}"'
        )
        as_user = {}
        if self.user is not None:
            as_user = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        self.watchdog = subprocess.Popen(
            ["sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            cwd="/",
            **as_user,  # type: ignore[arg-type]
        )

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away) and delete its folder."""
        if self.watchdog is not None:
            self.watchdog.kill()
            self.watchdog.wait()
        if self.data.exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


class DatabasePool:
    """Empty databases for the tests, made once and emptied again after each test.

    A test on PostgreSQL wants a database as empty as a new SQLite file (no schema: reading
    commands refuse it, the first writing one sets it up). ``CREATE DATABASE`` copies a
    template (~0.2 s) and ``DROP DATABASE`` waits for a checkpoint (up to a second), while
    dropping the ``public`` schema with everything in it and making it again takes a few
    milliseconds and leaves the database as empty as new. So a database given back is
    emptied (its leftover clients disconnected first) and handed to the next test.
    """

    def __init__(self, server: PostgresServer):
        self.server = server
        self.free: list[str] = []

    def take(self) -> str:
        """The URL of an empty database no other test is using."""
        return self.free.pop() if self.free else self.server.create_database()

    def give_back(self, url: str) -> None:
        """Empty the database of ``url`` and keep it for the next test (or drop it when it
        cannot be emptied)."""
        try:
            self.server.empty_database(url)
        except Exception:
            self.server.drop_database(url)
            return
        self.free.append(url)


def _new_folder(user: pwd.struct_passwd | None) -> Path:
    """A fresh folder under /tmp for a server's data, log and socket, owned by its user."""
    folder = Path(tempfile.mkdtemp(prefix="taiyaku-pg-"))
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    return folder


def start_server(*, durable: bool = False) -> PostgresServer:
    """initdb a fresh cluster under /tmp and start it; the caller must :meth:`~PostgresServer.stop`.

    :param durable: keep PostgreSQL's durability settings (a benchmark's fair figures)
        instead of switching fsync and synchronous commits off (the tests' speed)
    :raises PostgresUnavailable: not installed, or initdb or the start failed (with its log)
    """
    bindir = find_bindir()
    user = _server_user()
    server = PostgresServer(bindir, _new_folder(user), 0, user, durable)
    try:
        server._run(
            "initdb",
            "-D",
            str(server.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        server._start()
    except BaseException:
        server.stop()
        raise
    return server


@contextlib.contextmanager
def running_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """A server for the length of a ``with`` block (see :func:`start_server`)."""
    server = start_server(durable=durable)
    try:
        yield server
    finally:
        server.stop()


if __name__ == "__main__":
    # `kill` (SIGTERM) stops it as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with running_server() as running:
        print(running.url(), flush=True)
        print(f"(data and socket in {running.folder}; Ctrl-C stops it and deletes them)")
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
