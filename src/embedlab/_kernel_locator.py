"""The Numba cache locator for embedlab's kernels (imported only once Numba is loaded).

It claims the functions defined in the package's own files, stores their compiled code in the
user cache folder for the current source key, and gives that key as the source stamp, so a
cache written by other sources is never read. Numba tries locators in order; this one goes first.
Built on Numba's private ``numba.core.caching`` API (older releases name ``CacheImpl``
``_CacheImpl``; both are handled); when it is missing, ``kernel_cache`` turns caching off for the
package instead.

Numba's event API (``numba:compile`` fires only when a kernel is compiled, never when it is
loaded from the cache) tells the running progress bars that a cold cache is being filled.
"""

from __future__ import annotations

from numba.core import caching, config, event

from embedlab import kernel_cache

_DOTTED_NAME = f"{__name__}.EmbedlabCacheLocator"


class EmbedlabCacheLocator(caching._CacheLocator):
    """Cache for a kernel of embedlab: ``<cache folder for the source key>/<module's folder>``."""

    def __init__(self, py_func, key, folder):
        self._lineno = py_func.__code__.co_firstlineno
        self._key = key
        self._folder = folder

    def get_cache_path(self):
        return str(self._folder)

    def get_source_stamp(self):
        return self._key

    def get_disambiguator(self):
        return str(self._lineno)

    @classmethod
    def from_function(cls, py_func, py_file):
        relative = kernel_cache.package_relative(py_file)
        if relative is None:
            return None
        key = kernel_cache.source_key()
        return cls(py_func, key, kernel_cache.cache_folder(key) / relative.parent)


class _CompileNotice(event.Listener):
    """On the compilation of one of embedlab's kernels, ``progress.kernels_compiling()``."""

    def on_start(self, ev):
        func = getattr(ev.data.get("dispatcher"), "py_func", None)
        code = getattr(func, "__code__", None)
        if code is not None and kernel_cache.package_relative(code.co_filename) is not None:
            from embedlab.progress import kernels_compiling

            kernels_compiling()

    def on_end(self, ev):
        pass


_NOTICE: list[_CompileNotice] = []  # the one registered, once


def register() -> None:
    """Put the locator first in Numba's list (and in ``NUMBA_CACHE_LOCATOR_CLASSES`` when that
    overrides the list, as it can in recent Numba), and listen for compilations."""
    if not _NOTICE:
        _NOTICE.append(_CompileNotice())
        event.register("numba:compile", _NOTICE[0])
    impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl
    if EmbedlabCacheLocator not in impl._locator_classes:
        impl._locator_classes.insert(0, EmbedlabCacheLocator)
    override = getattr(config, "CACHE_LOCATOR_CLASSES", "")
    if override and _DOTTED_NAME not in override:
        config.CACHE_LOCATOR_CLASSES = f"{_DOTTED_NAME},{override}"
