"""``taiyaku serve``: the library over HTTP, as a JSON API and a web page.

Most people on a language team do not live in a shell: they want a search box, and CAT
tools and scripts want the same answers over HTTP. This package is a layer-6 front end like
the CLI: each request is parsed, answered by one library call and rendered as JSON (the
records ``--json`` prints) or as server-rendered HTML.

::

    from taiyaku.server import ServerConfig, create_app

    app = create_app(ServerConfig("project.db", token="s3cret"))  # an ASGI application

It is read-only unless a token is configured; writes then need ``Authorization: Bearer``.
FastAPI, uvicorn and Jinja2 come with the ``server`` extra (``pip install 'taiyaku[server]'``).
"""

from taiyaku.server.app import ServerConfig, create_app

__all__ = ["ServerConfig", "create_app"]
