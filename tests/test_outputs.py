"""Where outputs go: files replaced atomically, symlinks written through, streams written to,
the rest refused; failures found before long work, and at write time one line with the old file
whole. Ctrl-C and warnings are one line too."""

from __future__ import annotations

import errno
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import embedlab.methods
from embedlab import fileio
from embedlab.cli.app import main
from embedlab.errors import EmbedlabError
from embedlab.vectors import Embeddings
from embedlab.vectors.formats import format_of

WORDS = [f"w{i}" for i in range(40)]
#: The CLI in a child process, as the installed ``embedlab`` script runs it.
CLI = [sys.executable, "-c", "import sys; from embedlab.cli.app import main; sys.exit(main())"]


@pytest.fixture
def vectors(tmp_path):
    rng = np.random.default_rng(5)
    path = tmp_path / "in.txt"
    Embeddings(WORDS, rng.normal(size=(len(WORDS), 6)).astype(np.float32)).save(path)
    return path


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(" ".join(WORDS[i : i + 8]) for i in range(30)) + "\n")
    return path


def expected_bytes_of(vectors, tmp_path, name) -> bytes:
    """The bytes a plain file gets: what a stream must receive too."""
    reference = tmp_path / name
    assert main(["convert", str(vectors), str(reference)]) == 0
    return reference.read_bytes()


def run(args, capsys):
    rc = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return rc, out, err


def assert_one_line(err: str, prefix: str = "embedlab: error: ") -> None:
    assert err.startswith(prefix), err
    assert err.count("\n") == 1, err  # one line, no traceback


# ---- where the bytes go --------------------------------------------------------------------


def test_a_symlink_stays_a_link_and_its_target_is_replaced(vectors, tmp_path, capsys):
    other = tmp_path / "elsewhere"
    other.mkdir()
    target = other / "real.bin"
    target.write_bytes(b"old")
    link = tmp_path / "link.bin"
    link.symlink_to(Path("elsewhere") / "real.bin")  # relative, as ln -s makes it
    rc, _, err = run(["convert", vectors, link], capsys)
    assert rc == 0, err
    assert link.is_symlink() and os.readlink(link) == str(Path("elsewhere") / "real.bin")
    assert target.read_bytes() == expected_bytes_of(vectors, tmp_path, "plain.bin")
    assert sorted(p.name for p in other.iterdir()) == ["real.bin"]  # no temporary left


def test_a_failed_write_through_a_symlink_keeps_target_and_link(vectors, tmp_path, monkeypatch):
    target = tmp_path / "real.txt"
    target.write_bytes(b"old contents")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fail_writes_after(monkeypatch, 1, errno.ENOSPC)
    from embedlab.vectors.formats import load

    with pytest.raises(EmbedlabError, match="No space left on device"):
        load(vectors).save(link)
    assert link.is_symlink() and target.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "link.txt", "real.txt"]


def test_a_fifo_is_streamed_to_and_stays_a_fifo(vectors, tmp_path, capsys):
    fifo = tmp_path / "pipe.bin"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    rc, out, err = run(["convert", vectors, fifo, "--format", "word2vec-binary"], capsys)
    reader.join(30)
    assert rc == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received == [expected_bytes_of(vectors, tmp_path, "plain.bin")]


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_stdout_gets_the_bytes_and_the_report_goes_to_stderr(vectors, tmp_path, name):
    done = subprocess.run(
        [*CLI, "convert", str(vectors), name, "--format", "word2vec"],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected_bytes_of(vectors, tmp_path, "plain.txt")
    assert done.stderr.decode().startswith(f"wrote {name}: 40 words x 6 dims")


def test_a_character_device_is_streamed_to_and_a_block_device_refused(tmp_path, monkeypatch):
    # No real device nodes in tests: the classification reads only the file's mode.
    node = tmp_path / "node"
    node.write_bytes(b"")
    real_stat = Path.stat

    def as_device(kind):
        def fake(self, *args, **kwargs):
            result = real_stat(self, *args, **kwargs)
            if self != node:
                return result
            return os.stat_result((kind | 0o666, *tuple(result)[1:]))

        return fake

    monkeypatch.setattr(Path, "stat", as_device(stat.S_IFCHR))
    assert fileio.destination(node) == fileio.Destination(node, stream=True)
    monkeypatch.setattr(Path, "stat", as_device(stat.S_IFBLK))
    with pytest.raises(EmbedlabError, match="block device or socket"):
        fileio.check_output_path(node)


def test_a_socket_and_a_directory_are_refused(tmp_path, capsys, vectors):
    sock_path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        rc, _, err = run(["convert", vectors, sock_path, "--format", "word2vec"], capsys)
    assert rc == 2
    assert_one_line(err)
    assert "block device or socket" in err
    rc, _, err = run(["convert", vectors, tmp_path, "--format", "word2vec"], capsys)
    assert rc == 2 and "is a directory" in err


def test_json_and_output_to_stdout_are_refused_together(corpus, capsys):
    rc, _, err = run(["train", corpus, "-o", "-", "--format", "word2vec", "--json"], capsys)
    assert rc == 2
    assert_one_line(err)
    assert "--json and -o - both write to stdout" in err


# ---- checked before long work --------------------------------------------------------------


def unwritable_folders(monkeypatch, code=errno.EROFS):
    """Every new file fails as on a read-only mount (root ignores permission bits)."""

    def refuse(path):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(fileio, "_create_beside", refuse)


def no_training(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("training started before the output was checked")

    monkeypatch.setattr(embedlab.methods, "fit", refuse)
    from embedlab.methods.word2vec.model import SkipGram

    monkeypatch.setattr(SkipGram, "fit", refuse)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_an_unwritable_output_folder_fails_before_training(
    corpus, tmp_path, monkeypatch, capsys, code
):
    unwritable_folders(monkeypatch, code)
    no_training(monkeypatch)
    rc, _, err = run(["train", corpus, "-o", tmp_path / "v.bin"], capsys)
    assert rc == 2
    assert_one_line(err)
    assert f"output folder {str(tmp_path)!r} is not writable ({os.strerror(code)})" in err


def test_an_unwritable_checkpoint_folder_fails_before_training(
    corpus, tmp_path, monkeypatch, capsys
):
    real_create = fileio._create_beside
    readonly = tmp_path / "ro"
    readonly.mkdir()

    def create(path):
        if Path(path).parent == readonly:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_create(path)

    monkeypatch.setattr(fileio, "_create_beside", create)
    no_training(monkeypatch)
    rc, _, err = run(
        ["train", corpus, "-o", tmp_path / "v.bin", "--checkpoint", readonly / "ck"], capsys
    )
    assert rc == 2
    assert_one_line(err)
    assert f"--checkpoint folder {str(readonly / 'ck')!r} is not writable" in err


def small_disk(monkeypatch, free: int):
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(fileio.shutil, "disk_usage", lambda path: usage(free * 2, free, free))


def test_a_disk_too_small_for_the_vectors_fails_before_training(
    corpus, tmp_path, monkeypatch, capsys
):
    from embedlab.methods.word2vec.model import SkipGram

    def refuse(*args, **kwargs):
        raise AssertionError("training started before the free space was checked")

    monkeypatch.setattr(SkipGram, "fit", refuse)
    # 37 distinct words (w0..w36) x (3000 dims x 4 bytes + 2) = 444 kB of binary vectors.
    assert len(set(corpus.read_text().split())) == 37
    small_disk(monkeypatch, 200_000)
    rc, _, err = run(
        ["train", corpus, "-o", tmp_path / "v.bin", "--dim", "3000", "--min-count", "1"], capsys
    )
    assert rc == 2
    assert_one_line(err)
    # 444,074 bytes / 1024 = 433.7 KiB; 200,000 / 1024 = 195.3 KiB
    assert (
        "needs about 433.7 KiB plus a 1.0 MiB margin (file system blocks and metadata) but " in err
    )
    assert "its folder has 195.3 KiB free: free some space, write it " in err
    assert err.endswith("or lower --dim or --max-vocab\n")


def test_the_space_refusal_states_the_margin_it_requires(vectors, tmp_path, monkeypatch):
    """Free space above the file's size but within the margin: the line must say why."""
    from embedlab.vectors.formats import load

    emb = load(vectors)  # 40 x (6 x 4 + 2) = 1,040 bytes as word2vec binary
    small_disk(monkeypatch, 1_040 + 1_000)
    with pytest.raises(EmbedlabError) as caught:
        emb.save(tmp_path / "out.bin")
    assert "needs about 1.0 KiB plus a 1.0 MiB margin" in str(caught.value)
    assert "its folder has 2.0 KiB free" in str(caught.value)
    small_disk(monkeypatch, 1_040 + (1 << 20))
    emb.save(tmp_path / "out.bin")  # exactly the size and the margin: written


def test_free_space_is_checked_again_at_write_time(vectors, tmp_path, monkeypatch):
    from embedlab.vectors.formats import load

    emb = load(vectors)
    out = tmp_path / "out.bin"
    out.write_bytes(b"old")
    small_disk(monkeypatch, 100)
    with pytest.raises(EmbedlabError, match="needs about 1.0 KiB"):  # 40 x (6 x 4 + 2) = 1,040 B
        emb.save(out)
    assert out.read_bytes() == b"old"


@pytest.mark.parametrize("name", ["out.bin", "out.txt", "out.emb", "out.txt.gz"])
def test_saving_vectors_tries_the_folder_once(vectors, tmp_path, monkeypatch, name):
    from embedlab.vectors.formats import load

    emb = load(vectors)
    created = []
    real_create = fileio._create_beside
    monkeypatch.setattr(
        fileio, "_create_beside", lambda path: created.append(path) or real_create(path)
    )
    emb.save(tmp_path / name)
    # one try of the folder, then the temporary file renamed over the output
    assert created == [tmp_path / "probe", tmp_path / name]
    assert load(tmp_path / name).words == emb.words


def test_an_output_error_is_one_line_and_still_an_oserror(tmp_path, monkeypatch):
    # The corpus cache falls back to no cache on an OSError; the CLI prints an EmbedlabError.
    unwritable_folders(monkeypatch)
    with pytest.raises(OSError) as caught:
        with fileio.atomic_write(tmp_path / "x.bin"):
            pass
    assert isinstance(caught.value, EmbedlabError) and caught.value.errno == errno.EROFS
    assert str(caught.value).startswith(f"output folder {str(tmp_path)!r} is not writable")


def test_the_expected_sizes_follow_the_formats():
    assert format_of("v.bin", reading=False) == "word2vec-binary"
    from embedlab.vectors.formats import expected_bytes

    assert expected_bytes("v.bin", 1000, 100, "word2vec-binary") == 1000 * (400 + 2)
    assert expected_bytes("v.emb", 1000, 100, "native", context=True) == 1000 * (800 + 8)
    assert expected_bytes("v.txt.gz", 1000, 100, "word2vec") is None


# ---- failures at write time: one line, the old file whole -----------------------------------


def fault_after(monkeypatch, good_writes: int, fault: BaseException):
    """Handles from os.fdopen raise ``fault`` after ``good_writes`` writes (an injected fault)."""
    real_fdopen = os.fdopen

    class Faulty:
        def __init__(self, handle):
            self._handle, self._writes = handle, 0

        def write(self, data):
            self._writes += 1
            if self._writes > good_writes:
                raise fault
            return self._handle.write(data)

        def __getattr__(self, name):
            return getattr(self._handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._handle.close()

    monkeypatch.setattr(fileio.os, "fdopen", lambda *a, **k: Faulty(real_fdopen(*a, **k)))


def fail_writes_after(monkeypatch, good_writes: int, code: int):
    fault_after(monkeypatch, good_writes, OSError(code, os.strerror(code)))


@pytest.mark.parametrize(
    ("code", "fix"),
    [
        (errno.ENOSPC, "free some space or write it elsewhere"),
        (errno.EROFS, "the file system is read-only"),
        (errno.EACCES, "check the folder's permissions"),
    ],
)
@pytest.mark.parametrize("name", ["out.bin", "out.txt", "out.emb"])
def test_a_failed_write_is_one_line_and_the_old_file_survives(
    vectors, tmp_path, monkeypatch, capsys, code, fix, name
):
    out = tmp_path / name
    out.write_bytes(b"the old vectors")
    fail_writes_after(monkeypatch, 1, code)
    rc, _, err = run(["convert", vectors, out], capsys)
    assert rc == 2
    assert_one_line(err)
    assert f"({os.strerror(code)}); nothing was replaced: {fix}" in err
    assert out.read_bytes() == b"the old vectors"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.txt", name])


def test_an_interrupted_write_leaves_the_old_file_whole(vectors, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out.bin"
    out.write_bytes(b"the old vectors")
    fault_after(monkeypatch, 0, KeyboardInterrupt())
    rc, _, err = run(["convert", vectors, out], capsys)
    assert rc == 130
    assert err == "embedlab: convert interrupted; no output was written\n"
    assert out.read_bytes() == b"the old vectors"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.bin"]


def test_a_full_device_stream_is_one_line(vectors, tmp_path, monkeypatch, capsys):
    fifo = tmp_path / "full"
    os.mkfifo(fifo)
    reader = threading.Thread(target=fifo.read_bytes)
    reader.start()
    real_open = open

    def full_open(path, *args, **kwargs):
        handle = real_open(path, *args, **kwargs)
        if Path(path) == fifo:
            handle.write = lambda data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full"))
        return handle

    monkeypatch.setattr("builtins.open", full_open)
    rc, _, err = run(["convert", vectors, fifo, "--format", "word2vec"], capsys)
    reader.join(30)
    assert rc == 2
    assert_one_line(err)
    assert "what was written so far is partial" in err


# ---- Ctrl-C and warnings ---------------------------------------------------------------------


def test_ctrl_c_during_training_names_the_last_checkpoint(tmp_path):
    checkpoints = tmp_path / "ck"
    out = tmp_path / "never.bin"
    # 200 epochs of 200k tokens: the first checkpoint comes soon, the run's end does not
    corpus = tmp_path / "corpus.txt"
    rng = np.random.default_rng(0)
    lines = rng.integers(0, 500, size=(20_000, 10))
    corpus.write_text("".join(" ".join(f"w{i}" for i in line) + "\n" for line in lines))
    env = dict(os.environ, EMBEDLAB_CACHE=str(tmp_path / "cache"))
    child = subprocess.Popen(
        [
            *CLI,
            "train",
            str(corpus),
            "-o",
            str(out),
            "--epochs",
            "200",
            "--dim",
            "10",
            "--threads",
            "1",
            "--checkpoint",
            str(checkpoints),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 240
        while not list(checkpoints.glob("epoch-*.emb")) and time.monotonic() < deadline:
            assert child.poll() is None, child.communicate()
            time.sleep(0.2)
        assert list(checkpoints.glob("epoch-*.emb")), "no checkpoint within 240 s"
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130
    lines = err.decode().splitlines()
    # a pipe: the epochs done are one line each, then the interruption's one line
    assert all(line.startswith("embedlab: skipgram epoch ") for line in lines[:-1]), lines
    newest = max(checkpoints.glob("epoch-*.emb"), key=lambda p: p.stat().st_mtime)
    # the command to continue is the same command, resuming from the newest checkpoint
    args = ["train", str(corpus), "-o", str(out), "--epochs", "200", "--dim", "10"]
    args += ["--threads", "1", "--checkpoint", str(checkpoints), "--resume", str(newest)]
    assert lines[-1] == (
        f"embedlab: training interrupted; no output was written; last checkpoint: {newest}; "
        f"continue with: embedlab {' '.join(args)}"
    )
    assert not out.exists() and not list(tmp_path.glob(".never.bin.*"))


def test_ctrl_c_without_checkpoints_says_none_was_saved(corpus, tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(embedlab.methods, "fit", interrupted)
    rc, out, err = run(["train", corpus, "-o", tmp_path / "v.bin"], capsys)
    assert rc == 130
    assert err == "embedlab: training interrupted; no output was written; no checkpoint was saved\n"
    assert not (tmp_path / "v.bin").exists()


def test_ctrl_c_in_a_teach_subcommand_is_one_line(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("embedlab.teach.softmax.softmax_loss", interrupted)
    rc, _, err = run(["teach", "softmax-loss"], capsys)
    assert rc == 130
    assert err == "embedlab: teach softmax-loss interrupted; no output was written\n"


def test_a_repeated_word_is_one_warning_line_naming_word_and_line(tmp_path, capsys):
    source = tmp_path / "dup.txt"
    source.write_text("4 2\na 1 2\nb 3 4\na 5 6\nb 7 8\n")
    rc, _, err = run(["convert", source, tmp_path / "out.bin"], capsys)
    assert rc == 0
    assert err == (
        f"embedlab: warning: {source}: line 4 repeats the word 'a' of line 2; the first vector "
        f"is kept (1 more repeats ignored too)\n"
    )


def test_a_library_warning_is_one_line_too(vectors, tmp_path, monkeypatch, capsys):
    import warnings

    def noisy(*args, **kwargs):
        warnings.warn("numbers\nbelow zero", RuntimeWarning, stacklevel=1)
        raise EmbedlabError("stop here")

    monkeypatch.setattr("embedlab.vectors.formats.load", noisy)
    rc, _, err = run(["convert", vectors, tmp_path / "out.bin"], capsys)
    assert rc == 2
    assert (
        err == "embedlab: warning: RuntimeWarning: numbers below zero\nembedlab: error: stop here\n"
    )
