"""The encoded corpus: every sentence as int32 word ids in one flat, memory-mappable array.

``encode_corpus`` builds one from text files, reading them once to tokenize (see ``collect``)
and caching the result on disk (see ``cache``); ``EncodedCorpus.from_sentences`` builds one from
token lists already in memory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embedlab.corpus.cache import (
    CacheEntry,
    DamagedEntry,
    StaleEntry,
    cache_cap,
    cache_dir,
    cache_key,
    evict,
    stamp,
)
from embedlab.corpus.collect import IdCollector, SpoolError
from embedlab.corpus.reader import STDIN, check_decoding, display_name, expand_sources, read_pieces
from embedlab.corpus.tokenizer import Tokenizer
from embedlab.corpus.vocabulary import Vocabulary, check_vocabulary_settings
from embedlab.errors import EmbedlabError, setting, warn
from embedlab.memory import release_free_memory


@dataclass(frozen=True, eq=False)
class EncodedCorpus:
    """A corpus encoded once, shared by every training method.

    Attributes:
        vocab: the vocabulary the ids refer to.
        tokens: int32 ids of the in-vocabulary tokens, sentence after sentence (often a
            read-only ``np.memmap``). Out-of-vocabulary tokens are dropped, as word2vec does.
        sentence_starts: int64 offsets into ``tokens``, one per sentence plus a final one equal
            to ``len(tokens)``; sentence ``s`` is ``tokens[starts[s]:starts[s + 1]]``.
        raw_tokens: tokens read before the vocabulary filter (for reporting).
    """

    vocab: Vocabulary
    tokens: np.ndarray
    sentence_starts: np.ndarray
    raw_tokens: int

    def __post_init__(self):
        # The kernels index matrices with these ids and offsets unchecked: one bad value is
        # a segfault or silently wrong vectors, so nothing reaches them unchecked.
        problem = array_problem(len(self.vocab), self.tokens, self.sentence_starts)
        if problem is not None:
            raise EmbedlabError(
                f"invalid encoded corpus: {problem}: build tokens as int32 ids into the "
                "vocabulary and sentence_starts as 0, ..., len(tokens), never decreasing"
            )

    @property
    def n_tokens(self) -> int:
        return int(self.tokens.shape[0])

    @property
    def n_sentences(self) -> int:
        return int(self.sentence_starts.shape[0] - 1)

    def sentences(self) -> Iterator[np.ndarray]:
        """Each sentence as an int32 array view (no copy)."""
        starts = self.sentence_starts
        for s in range(self.n_sentences):
            yield self.tokens[starts[s] : starts[s + 1]]

    @classmethod
    def from_sentences(
        cls, sentences: Iterable[Iterable[str]], min_count: int = 1, max_vocab: int | None = None
    ) -> EncodedCorpus:
        """Encode token lists held in memory (sentences, playlists, random walks), in memory.

        Tokens are used as given (no tokenizer) and must be strings. ``min_count`` (default 1)
        and ``max_vocab`` (default None: all) filter the vocabulary as in ``encode_corpus``.
        """
        check_vocabulary_settings(min_count, max_vocab)
        with IdCollector() as collector:
            for number, sentence in enumerate(sentences):
                _add_sentence(collector, number, sentence)
            if collector.raw_tokens == 0:
                raise EmbedlabError("the sentences hold no tokens: give non-empty lists of tokens")
            vocab, remap = collector.vocabulary(min_count, max_vocab)
            odd = next((word for word in vocab.words if not isinstance(word, str)), None)
            if odd is not None:
                raise EmbedlabError(
                    f"token {odd!r} is a {type(odd).__name__}, not a string: "
                    f"convert the items first, e.g. [str(item) for item in sentence]"
                )
            tokens, starts = _in_memory(collector, vocab, remap)
            return cls(vocab, tokens, starts, collector.raw_tokens)


def array_problem(n_words: int, tokens, starts) -> str | None:
    """What is wrong with ``tokens`` / ``starts`` as an encoded corpus of ``n_words`` words, or
    None: ids must be int32 in ``0..n_words-1``, starts int64, from 0 to ``len(tokens)``,
    never decreasing."""
    if not isinstance(tokens, np.ndarray) or tokens.dtype != np.int32 or tokens.ndim != 1:
        return "tokens is not a one-dimensional int32 array"
    if not isinstance(starts, np.ndarray) or starts.dtype != np.int64 or starts.ndim != 1:
        return "sentence_starts is not a one-dimensional int64 array"
    if starts.size == 0 or starts[0] != 0 or starts[-1] != tokens.size:
        return f"sentence_starts must run from 0 to {tokens.size} (the number of tokens)"
    if starts.size > 1 and np.any(starts[1:] < starts[:-1]):
        return "sentence_starts decrease somewhere (sentences out of order)"
    if tokens.size and (int(tokens.min()) < 0 or int(tokens.max()) >= n_words):
        low, high = int(tokens.min()), int(tokens.max())
        return f"token ids run from {low} to {high}, outside 0..{n_words - 1} (the vocabulary)"
    return None


def _add_sentence(collector: IdCollector, number: int, sentence) -> None:
    if isinstance(sentence, (str, bytes)):
        raise EmbedlabError(
            f"sentence {number} is a string, not a list of tokens: "
            f"split it first, e.g. line.split()"
        )
    try:
        collector.add(sentence)
    except TypeError:
        raise EmbedlabError(
            f"sentence {number} is not a list of string tokens: give each sentence as a list of str"
        ) from None


def _in_memory(collector: IdCollector, vocab: Vocabulary, remap: np.ndarray):
    """The final token stream as an in-memory array, and the sentence starts."""
    tokens = np.empty(vocab.total, dtype=np.int32)
    filled = 0

    def write(ids: np.ndarray) -> None:
        nonlocal filled
        tokens[filled : filled + ids.size] = ids
        filled += ids.size

    starts = collector.write_tokens(remap, write)
    return tokens, starts


def encode_corpus(
    sources: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    min_count: int = 5,
    max_vocab: int | None = None,
    tokenizer: str = "regex",
    lowercase: bool = True,
    encoding: str = "utf-8",
    errors: str = "strict",
    cache: bool = True,
) -> EncodedCorpus:
    """Read, tokenize and encode text files into an ``EncodedCorpus``.

    Parameters:
        sources: a file, a directory, ``-`` (stdin) or a list of them; plain, .gz, .bz2 or .xz.
        min_count: drop words seen fewer times than this (default 5).
        max_vocab: keep only this many most frequent words (default None: all).
        tokenizer: ``"regex"`` (default, Unicode words) or ``"whitespace"``; see ``Tokenizer``.
        lowercase: lowercase the text first (default True).
        encoding: the text encoding (default ``"utf-8"``).
        errors: ``"strict"`` (default: an undecodable byte is an error naming the file and byte
            offset) or ``"replace"``.
        cache: keep the encoded arrays in ``$EMBEDLAB_CACHE`` (default ``~/.cache/embedlab``)
            and memory-map them; a later call on unchanged files with the same settings reads
            them back instead of tokenizing. Standard input is never cached.

    A line is a sentence; sentences left empty by the vocabulary filter are dropped. Memory
    holds the distinct words, never the text: a line longer than
    ``reader.LINE_PIECE_CHARS`` (about 1 M characters) is tokenized piece by piece into the
    same one sentence.
    """
    check_vocabulary_settings(min_count, max_vocab)
    splitter = Tokenizer(tokenizer, lowercase)
    check_decoding(encoding, errors)
    if not isinstance(cache, bool):
        raise EmbedlabError(f"cache must be True or False, got {cache!r}")
    files = expand_sources(sources)
    reading = (files, splitter, encoding, errors)
    if not cache or STDIN in files:
        return _encode(reading, min_count, max_vocab, entry=None)
    settings = {
        "min_count": min_count,
        "max_vocab": max_vocab,
        "tokenizer": splitter.settings(),
        "encoding": encoding,
        "errors": errors,
    }
    return _encode_cached(files, reading, settings, min_count, max_vocab)


def _encode_cached(files, reading, settings, min_count, max_vocab):
    """The cached corpus, rebuilt when damaged; encoded without the cache when the cache
    folder cannot be created or written, with a one-line notice."""
    folder, cap = cache_dir(), cache_cap()
    entry = CacheEntry(folder, cache_key(files, settings))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        corpus = _load(entry, files)
        if corpus is not None:
            return corpus
        corpus = _encode(reading, min_count, max_vocab, entry=entry)
    except (OSError, SpoolError) as err:
        warn(
            f"cannot write the corpus cache in {str(folder)!r} ({err.strerror or err}): encoding "
            "without it; free space there, set EMBEDLAB_CACHE to a writable folder or pass "
            + setting("cache", False)
        )
        return _encode(reading, min_count, max_vocab, entry=None)
    evict(folder, cap, keep=entry.key)
    return corpus


def _load(entry: CacheEntry, files) -> EncodedCorpus | None:
    try:
        parts = entry.load(files)
        return None if parts is None else EncodedCorpus(*parts)
    except StaleEntry as err:
        warn(
            f"{err} has other contents than when it was cached, though its size and "
            "modification time are the same (restored by touch -r, rsync -t or an archive?): "
            "encoding it again"
        )
    except (DamagedEntry, EmbedlabError) as err:
        warn(f"corpus cache entry {entry.key} is damaged ({err}): rebuilding it")
    entry.remove()
    return None


def _encode(reading, min_count: int, max_vocab: int | None, entry: CacheEntry | None):
    try:
        return _collect_and_encode(reading, min_count, max_vocab, entry)
    except SpoolError as err:
        if entry is not None:
            raise
        raise EmbedlabError(
            f"cannot write the temporary spool file in {tempfile.gettempdir()!r} "
            f"({err.strerror}): free space there or set TMPDIR to a folder with room"
        ) from None
    finally:
        # The distinct words (a dict of every token type, most dropped by min_count) are gone
        # now; hand their memory back so that training does not start from encoding's peak.
        # A small text's words take a few MB, less than the full garbage collection costs
        # (tens of milliseconds in a large process, on every call).
        if _worth_releasing(reading[0]):
            release_free_memory()


#: Text below this size leaves too little freed memory to be worth handing back.
RELEASE_BYTES = 16 << 20


def _worth_releasing(files) -> bool:
    try:
        return STDIN in files or sum(os.path.getsize(f) for f in files) >= RELEASE_BYTES
    except OSError:
        return True


def _collect_and_encode(reading, min_count, max_vocab, entry):
    files, splitter, encoding, errors = reading
    stamps = [] if entry is None else [stamp(path) for path in files]  # before reading them
    digests = None if entry is None else {}
    with IdCollector(entry.tokens.parent if entry else None) as collector:
        tokenize = splitter.tokenize
        add = collector.add
        for piece, ends in read_pieces(files, encoding, errors, digests):
            add(tokenize(piece), ends)
        if collector.raw_tokens == 0:
            raise EmbedlabError(
                f"corpus {_names(files)} has no tokens: give a file with text in it"
            )
        vocab, remap = collector.vocabulary(min_count, max_vocab)
        if entry is None:
            tokens, starts = _in_memory(collector, vocab, remap)
            return EncodedCorpus(vocab, tokens, starts, collector.raw_tokens)
        with entry.tokens_writer(vocab.total) as write:
            starts = collector.write_tokens(remap, write)
        sources = [display_name(f) for f in files]
        hashed = [s | {"sha256": digests[str(f)]} for s, f in zip(stamps, files, strict=True)]
        written = entry.finish(vocab, starts, collector.raw_tokens, sources, hashed)
    return EncodedCorpus(*written)


def _names(files: list[Path | str]) -> str:
    shown = ", ".join(display_name(f) for f in files[:3])
    return shown + (f" (and {len(files) - 3} more)" if len(files) > 3 else "")
