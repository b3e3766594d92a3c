"""Package namespaces that import their names on first use.

A package's ``__init__`` that imported everything it re-exports would make every command pay
for every feature: ``taiyaku match`` would load the aligner because ``taiyaku check``, which
imports the QA package, is registered beside it. A package instead declares where each name
lives and sets ``__getattr__ = lazy_exports(__name__, homes)`` (PEP 562); ``from package
import name`` and ``package.name`` then import that one home module when first asked.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, homes: dict[str, str]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``, importing ``homes[name]`` for ``name``.

    >>> getattr_ = lazy_exports("taiyaku", {"match_key": "taiyaku.text.normalize"})
    >>> getattr_("match_key")("  ＩＣＴ ")
    'ict'

    :param package: the package's ``__name__``
    :param homes: each exported name → the module that defines it
    """

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)  # asked once, then a plain attribute
        return value

    return __getattr__
