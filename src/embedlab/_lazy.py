"""Packages whose public names are imported on first use, so importing them stays cheap."""

from __future__ import annotations

import importlib
import sys


def lazy_api(package: str, api: dict[str, str]):
    """``(__getattr__, __dir__, __all__)`` for ``package``; ``api`` maps name -> module."""

    def __getattr__(name: str):
        if name in api:
            return getattr(importlib.import_module(api[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(api))

    return __getattr__, __dir__, sorted(api)
