"""A small cache of computed answers keyed by their parameters, each computed once.

Several requests for the same expensive answer (a map, the overlaps at one k) arriving together
wait for one computation instead of each starting their own; different keys compute in
parallel. The oldest answers are dropped beyond ``size``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class Memo:
    """``get(key, build)``: the cached value for ``key``, built by ``build()`` the first time."""

    def __init__(self, size: int = 8):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._building: dict = {}
        self._lock = threading.Lock()

    def get(self, key, build):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            value = build()  # a failure leaves nothing cached: the next request tries again
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
                self._building.pop(key, None)
            return value
