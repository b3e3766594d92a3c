"""``taiyaku serve``: run the HTTP API and the web page (:mod:`taiyaku.server`) with uvicorn."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

ENV_CONFIG = "TAIYAKU_SERVE_CONFIG"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False),
    help="File holding the bearer token that writes need. Without it the server is read-only.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Server processes, each with its own connections and caches "
    "[default: one per CPU core this process may use].",
)
@click.option(
    "--threads",
    default=2,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads per process answering reads (writes have their own). Reads are Python "
    "work holding the GIL: more threads make each request slower, not the server faster.",
)
@click.option(
    "--max-body",
    default=1_000_000,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="BYTES",
    help="Refuse request bodies larger than this (413).",
)
@click.option(
    "--busy-timeout",
    default=5.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="How long a write waits for another writer (an import) before answering 503.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    token_file: str | None,
    workers: int | None,
    threads: int,
    max_body: int,
    busy_timeout: float,
) -> None:
    """Serve the database over HTTP: a JSON API under /api and a web page at /.

    \b
    Read-only unless --token-file is given; writes (adding units and terms,
    storing a reviewed alignment) then need the header
    'Authorization: Bearer <token>'. The API is described at /api/openapi.json.
    Listen on 127.0.0.1 (the default) unless a proxy in front adds TLS.

    \b
    Examples:
      taiyaku --db project.db serve
      taiyaku --db project.db serve --token-file token.txt --workers 2
    """
    try:
        import uvicorn

        from taiyaku.server.app import create_app
    except ImportError as error:
        raise click.ClickException(
            f"taiyaku serve needs the server extra ({error.name} is missing): "
            "pip install 'taiyaku[server]'"
        ) from None
    from taiyaku.store.pg import is_url, safe_url

    db = ctx.obj["db_path"]
    settings = {
        "db_path": db if is_url(db) else os.path.abspath(db),
        "token_file": token_file,
        "max_body_bytes": max_body,
        "busy_timeout": busy_timeout,
        "threads": threads,
    }
    config = _config(settings)
    app = create_app(config)  # opens the database: a bad file fails here, before listening
    mode = "read-write with a token" if config.token else "read-only"
    # A process's reads use one core (the GIL): one process per core the server may use.
    from taiyaku.match.batch import default_workers

    workers = workers or default_workers()
    click.echo(
        f"Serving {safe_url(config.db_path)} ({mode}) on http://{host}:{port}/ "
        f"({workers} worker{'s' if workers > 1 else ''})",
        err=True,
    )
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    # Several processes import the application by name and read its settings from here
    # (the token file's name, not the token).
    os.environ[ENV_CONFIG] = json.dumps(settings)
    uvicorn.run(
        "taiyaku.cli.serve:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


def _config(settings: dict[str, Any]) -> Any:
    from taiyaku.server.app import ServerConfig

    options = dict(settings)
    token_file = options.pop("token_file")
    return ServerConfig(**options, token=_read_token(token_file) if token_file else None)


def _read_token(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        token = handle.read().strip()
    if not token or any(c.isspace() for c in token):
        raise click.ClickException(f"{path}: the token file must hold one token (no spaces)")
    return token


def app_from_environment() -> Any:
    """The application of ``$TAIYAKU_SERVE_CONFIG``: how each ``--workers`` process builds it."""
    from taiyaku.server.app import create_app

    raw = os.environ.get(ENV_CONFIG)
    if not raw:
        sys.exit(f"{ENV_CONFIG} is not set: start the server with 'taiyaku serve'")
    return create_app(_config(json.loads(raw)))
