"""The on-disk cache of encoded corpora, so a second run over the same text skips tokenizing.

An entry is three files named by a key: ``KEY.tokens.npy`` (int32 ids), ``KEY.starts.npy``
(int64 sentence starts) and ``KEY.vocab.json`` (words, counts, raw token count, the sources, the
creation time and a SHA-256 checksum). The key hashes each input's absolute path, size and
modification time (ns) with every encoding setting and the format version, so an edited file, a
changed setting or an older embedlab misses the cache. Each file is written atomically and the
JSON last, so an entry without its JSON is unfinished and ignored.

The checksum covers the bytes of both arrays and the vocabulary (words in order, counts), and is
checked on every load, so damage of any kind (a changed id, a swapped word, a truncated file) is
found; such an entry is deleted and rebuilt. The folder is capped in size (``EMBEDLAB_CACHE_SIZE``,
default 10G): writing an entry evicts the least recently used others until the cap holds.

An entry also records, per source file, its SHA-256 (taken while the file was encoded) and its
stamp: size, modification and change times (ns), inode and device. A size and a modification
time can be put back (``touch -r``, ``rsync -t``, unpacking a tar), the change time and inode
cannot: every write, and every ``touch``, moves the change time. A load whose sources still bear
their stamps trusts them (one ``stat`` each); a source whose stamp moved is hashed again, and a
different hash rebuilds the entry with a warning (git's index works the same way). A stamp taken
within ``RACY_SECONDS`` of the file's last change is not trusted (a second write in the same
clock tick would leave it unmoved): that file is hashed at its next use and stamped afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embedlab.checks import parse_memory
from embedlab.corpus.reader import file_digest
from embedlab.corpus.vocabulary import Vocabulary
from embedlab.errors import EmbedlabError
from embedlab.fileio import atomic_write

#: Bumped whenever the meaning of a cached entry changes, which invalidates older entries.
#: 2: entries carry a checksum. 3: and each source's hash and stamp.
FORMAT = 3
#: Seconds within which a file's change may not move its time stamps (the file system's
#: granularity: 2 s on FAT, 1 s on ext3 and HFS+, a clock tick on ext4 and XFS).
RACY_SECONDS = 2.0
#: The parts of a stamp that any change of the file's content moves, or that a copy changes.
_STAMP_FIELDS = ("size", "mtime_ns", "ctime_ns", "ino", "dev")
DEFAULT_SIZE = "10G"
_SUFFIXES = (".tokens.npy", ".starts.npy", ".vocab.json")
#: An entry's files, and the temporary files atomic_write leaves when killed mid-write.
_ENTRY_FILE = re.compile(r"^\.?([0-9a-f]{32})\.(tokens\.npy|starts\.npy|vocab\.json)(\..*\.tmp)?$")
#: An unfinished entry this old is no longer being written by anyone: eviction may take it.
_ABANDONED_SECONDS = 24 * 3600
#: How a current entry's JSON begins ("format" is written first), so that eviction can tell
#: stale from current without parsing every vocabulary.
_CURRENT_HEAD = f'{{"format": {FORMAT}, '.encode()


class DamagedEntry(Exception):
    """A cache entry whose files exist but cannot be trusted; ``str`` says why."""


class StaleEntry(Exception):
    """A cache entry whose source file has other contents now; ``str`` names the file."""


def stamp(path: Path) -> dict:
    """What identifies the file ``path`` as it is now (``_STAMP_FIELDS``) and when that was
    seen (``stamped_ns``)."""
    info = os.stat(path)
    return {
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ctime_ns": info.st_ctime_ns,
        "ino": info.st_ino,
        "dev": info.st_dev,
        "stamped_ns": time.time_ns(),
    }


def _trusted(record: dict, now: dict) -> bool:
    """Whether a source still bearing ``record``'s stamp may be taken as unchanged."""
    if any(record.get(field) != now[field] for field in _STAMP_FIELDS):
        return False
    settled = record.get("stamped_ns", 0) - int(RACY_SECONDS * 1e9)
    return record["ctime_ns"] < settled and record["mtime_ns"] < settled


def cache_dir() -> Path:
    """``$EMBEDLAB_CACHE`` if set, else ``~/.cache/embedlab``."""
    configured = os.environ.get("EMBEDLAB_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "embedlab"


def cache_cap() -> int:
    """The size cap in bytes: ``$EMBEDLAB_CACHE_SIZE`` (e.g. "2G", "500M") or 10G."""
    return parse_memory(
        os.environ.get("EMBEDLAB_CACHE_SIZE") or DEFAULT_SIZE, "EMBEDLAB_CACHE_SIZE", minimum=0
    )


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


def _vocabulary_bytes(words, counts, raw_tokens) -> bytes:
    return json.dumps([list(words), [int(c) for c in counts], int(raw_tokens)]).encode("utf-8")


class CacheEntry:
    """The three files of one cache entry."""

    def __init__(self, folder: Path, key: str):
        self.key = key
        self.tokens = folder / f"{key}.tokens.npy"
        self.starts = folder / f"{key}.starts.npy"
        self.vocab = folder / f"{key}.vocab.json"
        self._digest = hashlib.sha256()

    def load(self, files=()) -> tuple[Vocabulary, np.ndarray, np.ndarray, int] | None:
        """``(vocab, tokens, starts, raw_tokens)`` with the arrays memory-mapped, None when the
        entry is absent, DamagedEntry when its files are there but wrong, StaleEntry when one
        of the source ``files`` it was encoded from has other contents now."""
        try:
            text = self.vocab.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as err:
            raise DamagedEntry(f"unreadable vocabulary file: {err}") from None
        try:
            meta = json.loads(text)
            tokens, starts = self._mapped()
            digest = hashlib.sha256()
            digest.update(tokens)
            digest.update(starts)
            digest.update(_vocabulary_bytes(meta["words"], meta["counts"], meta["raw_tokens"]))
            if digest.hexdigest() != meta["sha256"]:
                raise DamagedEntry("its checksum does not match its contents")
            vocab = Vocabulary(meta["words"], meta["counts"])
            restamped = _check_sources(meta["files"], files)
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as err:
            raise DamagedEntry(f"{type(err).__name__}: {err}") from None
        if restamped:  # hashed and unchanged: trusted from its new stamp on
            with contextlib.suppress(OSError):
                self._write_meta(meta | {"files": restamped})
        with contextlib.suppress(OSError):  # the JSON's time is the last use, for eviction
            os.utime(self.vocab)
        return vocab, tokens, starts, int(meta["raw_tokens"])

    def _mapped(self) -> tuple[np.ndarray, np.ndarray]:
        return np.load(self.tokens, mmap_mode="r"), np.load(self.starts, mmap_mode="r")

    def remove(self) -> None:
        """Delete the entry's files, and any temporaries a killed write of it left."""
        _remove(self.vocab.parent, self.key)

    @contextlib.contextmanager
    def tokens_writer(self, n_tokens: int):
        """Context manager giving ``write(ids)``; the file must receive exactly ``n_tokens``."""
        header = {"descr": "<i4", "fortran_order": False, "shape": (n_tokens,)}
        written = 0
        with atomic_write(self.tokens, "wb") as handle:
            np.lib.format.write_array_header_1_0(handle, header)

            def write(ids: np.ndarray) -> None:
                nonlocal written
                data = np.ascontiguousarray(ids, dtype="<i4")
                handle.write(data.tobytes())
                self._digest.update(data)
                written += ids.size

            yield write
            if written != n_tokens:  # a wrong header would make a corrupt cache entry
                raise RuntimeError(f"wrote {written} ids into a file announced for {n_tokens}")

    def finish(
        self, vocab: Vocabulary, starts: np.ndarray, raw_tokens: int, sources, files: list[dict]
    ) -> tuple[Vocabulary, np.ndarray, np.ndarray, int]:
        """Write the sentence starts, then the JSON that marks the entry complete; return the
        entry as ``load`` would, without checksumming it again: the JSON's checksum was taken
        of these very bytes while they were written. ``files`` are the sources' stamps (taken
        before they were read) with their ``sha256``."""
        starts = np.ascontiguousarray(starts, dtype=np.int64)
        with atomic_write(self.starts, "wb") as handle:
            np.save(handle, starts)
        self._digest.update(starts)
        self._digest.update(_vocabulary_bytes(vocab.words, vocab.counts, raw_tokens))
        meta = {
            "format": FORMAT,  # first: eviction reads only the head (_CURRENT_HEAD)
            "sources": [str(source) for source in sources],
            "created": time.time(),
            "sha256": self._digest.hexdigest(),
            "files": files,
            "words": list(vocab.words),
            "counts": vocab.counts.tolist(),
            "raw_tokens": raw_tokens,
        }
        self._write_meta(meta)
        return (vocab, *self._mapped(), raw_tokens)

    def _write_meta(self, meta: dict) -> None:
        text = json.dumps(meta, ensure_ascii=False)  # one write: json.dump makes thousands
        with atomic_write(self.vocab, "w", encoding="utf-8") as handle:
            handle.write(text)


def _check_sources(records: list[dict], files) -> list[dict] | None:
    """Check the source ``files`` against the entry's ``records``: None when every stamp is
    trusted, the records restamped when some file had to be hashed and was unchanged;
    StaleEntry naming the first file whose hash differs."""
    if len(records) != len(files):
        raise ValueError(f"{len(records)} sources recorded for {len(files)} files")
    restamped, hashed = [], False
    for record, path in zip(records, files, strict=True):
        now = stamp(path)
        if _trusted(record, now):
            restamped.append(record)
            continue
        hashed = True
        if file_digest(path) != record["sha256"]:
            raise StaleEntry(str(path))
        restamped.append(now | {"sha256": record["sha256"]})
    return restamped if hashed else None


@dataclass(frozen=True)
class EntryInfo:
    """One entry as ``list_entries`` reports it.

    ``status`` is "ok", "stale" (written by an older embedlab, never read again) or
    "unfinished" (no JSON: being written now, or abandoned); ``used`` is the last use
    (seconds since the epoch), ``created`` None when unknown.
    """

    key: str
    size: int
    sources: tuple[str, ...]
    created: float | None
    used: float
    status: str


def list_entries(folder: Path | None = None) -> list[EntryInfo]:
    """The entries in the cache folder, least recently used first."""
    folder = cache_dir() if folder is None else folder
    entries = [_describe(folder, key, items) for key, items in _entry_files(folder).items()]
    return sorted(entries, key=lambda entry: entry.used)


def _entry_files(folder: Path) -> dict[str, list[os.DirEntry]]:
    """The cache's own files in ``folder``, by entry key."""
    files: dict[str, list[os.DirEntry]] = {}
    try:
        listing = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as err:
        raise EmbedlabError(
            f"cannot read the cache folder {str(folder)!r} ({err.strerror}): check its permissions"
        ) from None
    for item in listing:
        match = _ENTRY_FILE.match(item.name)
        if match and item.is_file(follow_symlinks=False):
            files.setdefault(match.group(1), []).append(item)
    return files


def _measure(key: str, items: list[os.DirEntry]) -> tuple[int, float]:
    """An entry's size and last use, from the file system alone."""
    stats = {item.name: item.stat(follow_symlinks=False) for item in items}
    size = sum(stat.st_size for stat in stats.values())
    json_stat = stats.get(f"{key}.vocab.json")  # its time is the last use
    used = (json_stat or max(stats.values(), key=lambda stat: stat.st_mtime)).st_mtime
    return size, used


def _describe(folder: Path, key: str, items: list[os.DirEntry]) -> EntryInfo:
    size, used = _measure(key, items)
    try:
        meta = json.loads((folder / f"{key}.vocab.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return EntryInfo(key, size, (), None, used, "unfinished")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        return EntryInfo(key, size, (), None, used, "stale")
    sources = tuple(str(source) for source in meta.get("sources", ()))
    return EntryInfo(key, size, sources, meta.get("created"), used, "ok")


def _remove(folder: Path, key: str) -> int:
    """Delete every file of entry ``key``, and whatever else has taken a file's name (a folder,
    a link); the bytes freed."""
    freed = 0
    for item in os.scandir(folder):
        match = _ENTRY_FILE.match(item.name)
        if match and match.group(1) == key:
            with contextlib.suppress(FileNotFoundError):
                size = item.stat(follow_symlinks=False).st_size
                if item.is_dir(follow_symlinks=False):
                    shutil.rmtree(item.path)
                else:
                    os.unlink(item.path)
                freed += size
    return freed


def clear_cache(key: str | None = None, folder: Path | None = None) -> tuple[int, int]:
    """Delete every entry, or the one whose key starts with ``key``; ``(entries, bytes)``
    removed. Only the cache's own files are touched, whatever else the folder holds."""
    folder = cache_dir() if folder is None else folder
    entries = list_entries(folder)
    if key is not None:
        entries = [entry for entry in entries if entry.key.startswith(key.lower())]
        if len(entries) != 1:
            found = "no entry" if not entries else f"{len(entries)} entries"
            raise EmbedlabError(
                f"{found} in {str(folder)!r} has a key starting with {key!r}: give a key (or "
                "its unique start) from 'embedlab cache list'"
            )
    try:
        freed = sum(_remove(folder, entry.key) for entry in entries)
    except OSError as err:
        raise EmbedlabError(
            f"cannot delete from the cache folder {str(folder)!r}: {err.strerror}"
        ) from None
    return len(entries), freed


def evict(folder: Path, cap: int, keep: str) -> int:
    """Delete stale, then least recently used entries other than ``keep`` until the folder holds
    at most ``cap`` bytes (an unfinished entry only once abandoned); the number deleted."""
    try:
        files = _entry_files(folder)
    except EmbedlabError:  # an unreadable folder evicts nothing; the entry is written already
        return 0
    measured = {key: _measure(key, items) for key, items in files.items()}
    total = sum(size for size, _ in measured.values())
    if total <= cap:
        return 0
    status = {key: _status(folder, key, files[key]) for key in files}
    # Entries an older embedlab wrote are never read again: they go first.
    order = sorted(files, key=lambda key: (status[key] == "ok", measured[key][1]))
    now = time.time()
    removed = 0
    for key in order:  # least recently used first
        if total <= cap:
            break
        if key == keep or (
            status[key] == "unfinished" and now - measured[key][1] < _ABANDONED_SECONDS
        ):
            continue
        try:
            total -= _remove(folder, key)
        except OSError:
            continue
        removed += 1
    return removed


def _status(folder: Path, key: str, items: list[os.DirEntry]) -> str:
    """``list_entries``' status of an entry, reading no more of its JSON than the head."""
    try:
        with open(folder / f"{key}.vocab.json", "rb") as handle:
            head = handle.read(len(_CURRENT_HEAD))
    except OSError:
        return "unfinished"
    return "ok" if head == _CURRENT_HEAD else _describe(folder, key, items).status
