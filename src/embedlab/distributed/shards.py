"""The corpus on a Dask cluster: byte ranges read on the workers, one vocabulary, encoded shards.

The input files are cut into byte ranges that start and end on line boundaries (a compressed
file, or one in an encoding where a LF byte may sit inside a character, is one range). Each
worker reads its ranges with the single-machine reader and tokenizer into provisional ids
(``corpus.collect.IdCollector``, one tokenizing pass); the per-range word counts, each in
first-occurrence order, are merged pairwise in a tree that keeps the earlier range's words
first, so the merged order is the corpus's first-occurrence order and
``vocabulary.frequent_rows`` builds the vocabulary exactly as ``encode_corpus`` does (same
order, same ties). That vocabulary goes to every worker, which renumbers its ranges into
``Shard`` s, dropping the tokens and then the sentences the vocabulary filter empties, as the
single-machine encoding does: the shards, in order, are ``encode_corpus``'s arrays cut at range
boundaries. The client sees the vocabulary and the shard sizes, never the text or the tokens.
"""

from __future__ import annotations

import codecs
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embedlab.corpus.collect import IdCollector
from embedlab.corpus.reader import (
    STDIN,
    check_decoding,
    compression_of,
    expand_sources,
    read_pieces,
    read_range,
    text_encoding,
)
from embedlab.corpus.tokenizer import Tokenizer
from embedlab.corpus.vocabulary import Vocabulary, check_vocabulary_settings, frequent_rows
from embedlab.distributed.tasks import on_shard, task_key, tree, wait_all
from embedlab.errors import EmbedlabError, setting

#: The largest byte range one task reads: big enough that a task's overhead (milliseconds)
#: is nothing next to tokenizing it (about 5 s per 64 MiB on one core), small enough that a
#: lost worker costs little to redo and the provisional ids stay a small part of its memory.
SHARD_BYTES = 64 << 20
#: Ranges per worker a corpus is cut into when it is smaller than workers x SHARD_BYTES, so
#: that a slow worker does not hold up the others, down to ranges of MIN_SHARD_BYTES.
RANGES_PER_WORKER = 4
MIN_SHARD_BYTES = 1 << 20
#: Bytes read at a time while looking for the next line break after a cut.
_SCAN_BYTES = 1 << 16
#: Codecs whose state carries across a LF (escape sequences, shifted runs): never cut.
_STATEFUL = ("iso2022", "utf_7", "hz")


@dataclass(frozen=True, eq=False)
class Shard:
    """One byte range of the corpus, encoded against the cluster's vocabulary.

    Attributes:
        index: the range's place in the corpus (shards in index order are the corpus).
        tokens: int32 vocabulary ids of the range's in-vocabulary tokens.
        sentence_starts: int64 offsets into ``tokens``, one per sentence plus a final one equal
            to ``len(tokens)`` (as ``EncodedCorpus``); sentences the vocabulary empties are
            dropped.
        raw_tokens: tokens read in the range before the vocabulary filter.
    """

    index: int
    tokens: np.ndarray
    sentence_starts: np.ndarray
    raw_tokens: int


@dataclass(frozen=True)
class ByteRange:
    """Bytes ``[start, end)`` of ``path``; ``end`` None reads the whole (compressed) file."""

    index: int
    path: str
    start: int
    end: int | None

    @property
    def size(self) -> int:
        return (os.path.getsize(self.path) if self.end is None else self.end) - self.start

    def label(self) -> str:
        """How error messages name the shard."""
        where = "" if self.end is None else f" bytes {self.start}-{self.end}"
        return f"{self.index} ({self.path}{where})"


@dataclass(frozen=True, eq=False)
class ShardedCorpus:
    """An encoded corpus held by the workers: what the cluster's methods train on.

    Attributes:
        client: the ``distributed.Client`` the shards live under.
        vocab: the vocabulary (on the client; the workers have their copy).
        shards: one future per byte range, in corpus order, each resolving to a ``Shard``.
        sizes: per shard, ``(in-vocabulary tokens, tokens read)``.
        vocab_future: the vocabulary on the workers, for tasks that need it. It is a task's
            result, which the scheduler recomputes when the worker holding it dies; data put
            there with ``client.scatter`` would be lost with that worker instead.
    """

    client: object
    vocab: Vocabulary
    shards: list
    sizes: list
    vocab_future: object

    @property
    def n_tokens(self) -> int:
        return sum(n for n, _ in self.sizes)

    @property
    def raw_tokens(self) -> int:
        return sum(raw for _, raw in self.sizes)


@dataclass(frozen=True, eq=False)
class _RangeIds:
    """A range tokenized once: its distinct words in first-occurrence order with their counts,
    and every token as the position of its word there, with the sentence starts."""

    index: int
    words: list
    counts: np.ndarray
    ids: np.ndarray
    starts: np.ndarray
    raw_tokens: int


def split_ranges(
    files: Iterable[Path | str], encoding: str, shard_bytes: int = SHARD_BYTES
) -> list[ByteRange]:
    """The byte ranges of ``files``, in order, each at most about ``shard_bytes`` long (a range
    ends at the first line break after its cut, so a long line makes it longer)."""
    ranges: list[ByteRange] = []
    for path in files:
        path = str(path)
        if not _splittable(path, encoding):
            ranges.append(ByteRange(len(ranges), path, 0, None))
            continue
        for start, end in _line_cuts(path, shard_bytes):
            ranges.append(ByteRange(len(ranges), path, start, end))
    return ranges


def _splittable(path: str, encoding: str) -> bool:
    if compression_of(path) is not None:
        return False
    encoding = text_encoding(path, encoding)  # a byte-order mark's: UTF-16 cannot be cut at LF
    name = codecs.lookup(encoding).name.replace("-", "_")
    lf_is_a_byte = "\n".encode(encoding) == b"\n"
    return lf_is_a_byte and not name.startswith(_STATEFUL)


def _line_cuts(path: str, shard_bytes: int) -> list[tuple[int, int]]:
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as raw:
        while size - cuts[-1] > shard_bytes:
            after = _next_line_start(raw, cuts[-1] + shard_bytes, size)
            if after >= size:
                break
            cuts.append(after)
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts[:-1], cuts[1:], strict=True) if b > a or size == 0]


def _next_line_start(raw, position: int, size: int) -> int:
    """The offset just after the first LF at or after ``position - 1`` (``size`` if none), so a
    cut that already falls at a line start stays there."""
    raw.seek(position - 1)
    while True:
        block = raw.read(_SCAN_BYTES)
        if not block:
            return size
        found = block.find(b"\n")
        if found >= 0:
            return raw.tell() - len(block) + found + 1


def encode_shards(client, sources, **settings) -> tuple[Vocabulary, list]:
    """Encode ``sources`` on the cluster of ``client``: ``(vocabulary, shard futures)``.

    ``settings`` are ``encode_on_cluster``'s. Each future resolves, on some worker, to a
    ``Shard``; in index order they are the corpus.
    """
    vocab, _, shards = encode_on_cluster(client, sources, **settings)
    return vocab, shards


def encode_on_cluster(
    client,
    sources,
    *,
    min_count: int = 5,
    max_vocab: int | None = None,
    tokenizer: str = "regex",
    lowercase: bool = True,
    encoding: str = "utf-8",
    errors: str = "strict",
    storage: str | os.PathLike | None = None,
    shard_bytes: int | None = None,
    progress=None,
):
    """Encode ``sources`` on the cluster of ``client``, keeping the vocabulary on the workers:
    ``(vocabulary, vocabulary future, shard futures)``.

    Parameters:
        client: a connected ``distributed.Client``.
        sources: files or folders, as ``encode_corpus`` takes them (standard input cannot be
            cut into ranges: refused).
        min_count, max_vocab, tokenizer, lowercase, encoding, errors: as ``encode_corpus``;
            the vocabulary, the tokens and the sentences are the same.
        storage: a folder every worker can write and read (shared storage): each shard's
            arrays are written there as ``shard-NNNNN.tokens.npy`` / ``.starts.npy`` and the
            shards memory-map them; None (default) keeps them in the workers' memory. The
            caller removes the folder's files.
        shard_bytes: the longest byte range (None: ``SHARD_BYTES``, or less so that each worker
            gets ``RANGES_PER_WORKER`` ranges, down to ``MIN_SHARD_BYTES``).
        progress: an object with ``update(done)``, told the input bytes read so far.

    Each shard future resolves, on some worker, to a ``Shard``; in index order they are the
    corpus.
    """
    check_vocabulary_settings(min_count, max_vocab)
    Tokenizer(tokenizer, lowercase)  # checks both before any worker reads a byte
    check_decoding(encoding, errors)
    files = expand_sources(sources)
    if STDIN in files:
        raise EmbedlabError(
            "standard input cannot be shared out to a cluster's workers: give files, or "
            f"leave out {setting('dask')}"
        )
    if shard_bytes is None:
        shard_bytes = _shard_bytes(files, len(client.scheduler_info()["workers"]))
    ranges = split_ranges(files, encoding, shard_bytes)
    run = uuid.uuid4().hex[:8]
    reading = (tokenizer, lowercase, encoding, errors)
    collected = [
        client.submit(on_shard, r.label(), _collect, r, reading, key=task_key("read", r.index, run))
        for r in ranges
    ]
    sizes = {f.key: r.size for f, r in zip(collected, ranges, strict=True)}
    wait_all(collected, lambda done: sizes[done.key], progress)
    counted = [
        client.submit(_first_seen, f, key=task_key("words", i, run))
        for i, f in enumerate(collected)
    ]
    merged = tree(client, _merge, counted, "merge-words", run)
    names = _names(files)
    vocab_future = client.submit(
        _vocabulary, merged, min_count, max_vocab, names, key=task_key("vocabulary", 0, run)
    )
    vocab = vocab_future.result()
    folder = None if storage is None else str(storage)
    shards = [
        client.submit(
            on_shard, r.label(), _encode, f, vocab_future, folder, key=task_key("shard", i, run)
        )
        for i, (r, f) in enumerate(zip(ranges, collected, strict=True))
    ]
    wait_all(shards)
    del collected, counted, merged  # the provisional ids: the workers free them now
    return vocab, vocab_future, shards


def shard_sizes(client, shards: list) -> list[tuple[int, int]]:
    """Per shard, ``(in-vocabulary tokens, tokens read)``, computed where each shard lives."""
    return client.gather(client.map(_sizes, shards, key=[f"sizes-{f.key}" for f in shards]))


def _shard_bytes(files, workers: int) -> int:
    total = sum(compression_of(f) is None and os.path.getsize(f) or 0 for f in files)
    spread = total // max(1, workers * RANGES_PER_WORKER)
    return max(MIN_SHARD_BYTES, min(SHARD_BYTES, spread))


def _names(files) -> str:
    shown = ", ".join(str(f) for f in files[:3])
    return shown + (f" (and {len(files) - 3} more)" if len(files) > 3 else "")


def _pieces(r: ByteRange, encoding: str, errors: str):
    if r.end is None:
        return read_pieces([r.path], encoding, errors)
    return read_range(r.path, r.start, r.end, encoding, errors)


def _collect(r: ByteRange, reading) -> _RangeIds:
    kind, lowercase, encoding, errors = reading
    tokenize = Tokenizer(kind, lowercase).tokenize
    with IdCollector() as collector:
        for piece, ends in _pieces(r, encoding, errors):
            collector.add(tokenize(piece), ends)
        words, counts = collector.first_seen_counts()
        ids = np.empty(collector.raw_tokens, dtype=np.int32)
        filled = 0

        def write(block):
            nonlocal filled
            ids[filled : filled + block.size] = block
            filled += block.size

        # Every provisional id kept as itself: the range's tokens and sentences, unfiltered.
        starts = collector.write_tokens(np.arange(len(words), dtype=np.int32), write)
        return _RangeIds(r.index, words, counts, ids, starts, collector.raw_tokens)


def _first_seen(r: _RangeIds) -> tuple[list, np.ndarray]:
    return r.words, r.counts


def _merge(left: tuple, right: tuple) -> tuple[list, np.ndarray]:
    """Two ranges' counts as one, ``left``'s words first, then ``right``'s new ones in order."""
    words, counts_left = left
    right_words, counts_right = right
    index = dict(zip(words, range(len(words)), strict=True))
    words = list(words)
    slots = np.empty(len(right_words), dtype=np.int64)
    for k, word in enumerate(right_words):
        slot = index.get(word)
        if slot is None:
            slot = index[word] = len(words)
            words.append(word)
        slots[k] = slot
    counts = np.zeros(len(words), dtype=np.int64)
    counts[: counts_left.size] = counts_left
    counts[slots] += counts_right  # slots are distinct: a word occurs once per range's list
    return words, counts


def _vocabulary(merged: tuple, min_count: int, max_vocab: int | None, names: str) -> Vocabulary:
    words, counts = merged
    if not words:
        raise EmbedlabError(f"corpus {names} has no tokens: give a file with text in it")
    keep = frequent_rows(counts, min_count, max_vocab)
    return Vocabulary([words[i] for i in keep], counts[keep])


def _encode(r: _RangeIds, vocab: Vocabulary, folder: str | None) -> Shard:
    """The range renumbered by ``vocab``: out-of-vocabulary tokens dropped, then the sentences
    left empty (the same rule as ``IdCollector.write_tokens``)."""
    lookup = vocab.index.get
    remap = np.fromiter((lookup(w, -1) for w in r.words), dtype=np.int32, count=len(r.words))
    ids = remap[r.ids]
    keep = ids >= 0
    kept_before = np.zeros(ids.size + 1, dtype=np.int64)
    np.cumsum(keep, out=kept_before[1:])
    tokens = ids[keep]
    starts = np.unique(kept_before[r.starts])
    if folder is not None:
        tokens, starts = _stored(Path(folder), r.index, tokens, starts)
    return Shard(r.index, tokens, starts, r.raw_tokens)


def _stored(folder: Path, index: int, tokens: np.ndarray, starts: np.ndarray):
    """The arrays written to ``folder`` (atomically: a task run twice, after a lost worker,
    replaces them whole) and memory-mapped back."""
    from embedlab.fileio import atomic_write

    mapped = []
    for name, array in (("tokens", tokens), ("starts", starts)):
        path = folder / f"shard-{index:05d}.{name}.npy"
        with atomic_write(path) as handle:
            np.save(handle, array)
        mapped.append(np.load(path, mmap_mode="r"))
    return mapped


def _sizes(shard: Shard) -> tuple[int, int]:
    return int(shard.tokens.size), shard.raw_tokens
