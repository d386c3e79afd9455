"""The on-disk cache of encoded corpora, so a second run over the same text skips tokenizing.

An entry is three files named by a key: ``KEY.tokens.npy`` (int32 ids), ``KEY.starts.npy``
(int64 sentence starts) and ``KEY.vocab.json`` (words, counts, raw token count). The key hashes
each input's absolute path, size and modification time (ns) with every encoding setting, so an
edited file or a changed setting misses the cache. Each file is written atomically and the JSON
last, so an entry without its JSON is unfinished and ignored. Arrays are memory-mapped on load.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import numpy as np

from embedlab.corpus.vocabulary import Vocabulary
from embedlab.errors import EmbedlabError
from embedlab.fileio import atomic_write

#: Bumped whenever the meaning of a cached entry changes, which invalidates older entries.
FORMAT = 1


def cache_dir() -> Path:
    """``$EMBEDLAB_CACHE`` if set, else ``~/.cache/embedlab``."""
    configured = os.environ.get("EMBEDLAB_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "embedlab"


def prepare_cache_dir() -> Path:
    """The cache folder, created if needed; EmbedlabError if it cannot be."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise EmbedlabError(
            f"cannot create the corpus cache folder {str(folder)!r} ({err.strerror}): "
            f"set EMBEDLAB_CACHE to a writable folder or disable the cache"
        ) from None
    return folder


def cache_key(files: list[Path], settings: dict) -> str:
    """Hex digest identifying ``files`` as they are now, encoded with ``settings``."""
    identity = []
    for path in files:
        stat = path.stat()
        identity.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    payload = json.dumps(
        {"format": FORMAT, "files": identity, "settings": settings}, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


class CacheEntry:
    """The three files of one cache entry."""

    def __init__(self, folder: Path, key: str):
        self.tokens = folder / f"{key}.tokens.npy"
        self.starts = folder / f"{key}.starts.npy"
        self.vocab = folder / f"{key}.vocab.json"

    def load(self) -> tuple[Vocabulary, np.ndarray, np.ndarray, int] | None:
        """``(vocab, tokens, starts, raw_tokens)`` with the arrays memory-mapped, or None when
        the entry is absent or unreadable."""
        try:
            meta = json.loads(self.vocab.read_text(encoding="utf-8"))
            tokens = np.load(self.tokens, mmap_mode="r")
            starts = np.load(self.starts, mmap_mode="r")
            vocab = Vocabulary(meta["words"], meta["counts"])
            raw_tokens = int(meta["raw_tokens"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is rebuilt, never trusted
        if tokens.dtype != np.int32 or starts.dtype != np.int64 or starts[-1] != tokens.shape[0]:
            return None
        return vocab, tokens, starts, raw_tokens

    @contextlib.contextmanager
    def tokens_writer(self, n_tokens: int):
        """Context manager giving ``write(ids)``; the file must receive exactly ``n_tokens``."""
        header = {"descr": "<i4", "fortran_order": False, "shape": (n_tokens,)}
        written = 0
        with atomic_write(self.tokens, "wb") as handle:
            np.lib.format.write_array_header_1_0(handle, header)

            def write(ids: np.ndarray) -> None:
                nonlocal written
                handle.write(np.ascontiguousarray(ids, dtype="<i4").tobytes())
                written += ids.size

            yield write
            if written != n_tokens:  # a wrong header would make a corrupt cache entry
                raise RuntimeError(f"wrote {written} ids into a file announced for {n_tokens}")

    def finish(self, vocab: Vocabulary, starts: np.ndarray, raw_tokens: int) -> None:
        """Write the sentence starts, then the JSON that marks the entry complete."""
        with atomic_write(self.starts, "wb") as handle:
            np.save(handle, np.ascontiguousarray(starts, dtype=np.int64))
        meta = {
            "words": list(vocab.words),
            "counts": vocab.counts.tolist(),
            "raw_tokens": raw_tokens,
        }
        with atomic_write(self.vocab, "w", encoding="utf-8") as handle:
            json.dump(meta, handle, ensure_ascii=False)
