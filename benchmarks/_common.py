"""What the benchmarks share: one job per child process, its time and peak memory, the
evaluation of the vectors it saved, and the Markdown report.

Every tool runs in a fresh process so that its peak resident memory is its own and no tool warms
another's caches. The child reports its own peak (``VmHWM``, which starts afresh at exec): the
``ru_maxrss`` that ``wait4`` returns is no use on Linux, where exec carries the parent's
high-water mark over to the child.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: The benchmark corpus, beside the repository (never needed by the installed product).
ENMIX = REPO.parent / "shared" / "data" / "corpora" / "enmix.txt.gz"
#: The columns every benchmark table reports from the evaluation, in this order.
QUALITY = (
    ("google", "Google analogy"),
    ("ws353", "WS353"),
    ("simlex999", "SimLex"),
    ("men", "MEN"),
)

if importlib.util.find_spec("embedlab") is None:  # an uninstalled checkout benchmarks itself
    sys.path.insert(0, str(REPO / "src"))


@dataclass
class ChildRun:
    """One finished child process: wall time, peak RSS and the JSON report it wrote (empty, and
    ``timed_out``, when it was stopped at its time limit)."""

    wall_seconds: float
    peak_rss_bytes: int
    report: dict
    timed_out: bool = False


def run_child(argv: list[str], report_path: Path, time_limit: float | None = None) -> ChildRun:
    """Run ``argv`` to completion; the child writes its JSON report to ``report_path``.

    With ``time_limit`` (seconds) a child still running then is killed with everything it
    started (its own session, so worker processes go too) and comes back ``timed_out``, with
    its wall time and its own peak RSS read just before the kill. Raises RuntimeError (with the
    exit code) when the child fails.
    """
    report_path.unlink(missing_ok=True)
    env = dict(os.environ)
    # The repo's src/ first, so an uninstalled checkout benchmarks its own code.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, start_new_session=time_limit is not None)
    stopped: dict[str, int] = {}
    timer = threading.Timer(time_limit or 0, _stop_child, (child.pid, stopped))
    if time_limit is not None:
        timer.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)
    except KeyboardInterrupt:  # a child in its own session does not get the terminal's Ctrl-C
        if time_limit is not None:
            _stop_child(child.pid, stopped)
        raise
    finally:
        timer.cancel()
    wall = time.perf_counter() - started
    if stopped:
        return ChildRun(wall, stopped["peak"], {}, timed_out=True)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen.wait
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed with exit code {child.returncode}")
    report = json.loads(report_path.read_text())
    peak = report.pop("peak_rss_bytes", None)
    if peak is None:  # no /proc: macOS reports ru_maxrss in bytes, without the inheritance
        peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return ChildRun(wall, peak, report)


def measure_child(argv: list[str], report_path: Path, vectors: Path) -> dict:
    """Run a child that trains and saves ``vectors``; its timings, peak RSS and, measured here
    outside the timing, the vectors' quality."""
    run = run_child(argv, report_path)
    return {
        "wall": run.wall_seconds,
        "rss": run.peak_rss_bytes,
        **run.report,
        "quality": evaluate_vectors(vectors),
    }


def _stop_child(pid: int, stopped: dict) -> None:
    """Record the child's peak RSS, then kill its session (the timer's side of ``run_child``)."""
    stopped["peak"] = peak_rss(pid) or 0
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def write_report(path: str | os.PathLike, report: dict) -> None:
    """The child's side of ``run_child``: its measurements, and its own peak RSS, as JSON."""
    peak = peak_rss()
    if peak is not None:
        report = {**report, "peak_rss_bytes": peak}
    Path(path).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def peak_rss(pid: int | str = "self") -> int | None:
    """``VmHWM`` of process ``pid`` (or "self") in bytes; None without /proc."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def prepare_corpus(source: Path, target: Path, max_tokens: int | None = None) -> int:
    """Write ``source`` (plain or gzip) as plain whitespace-tokenized lines; return its tokens.

    Both tools then read the same tokens from the same uncompressed file, as gensim's
    ``corpus_file`` mode requires. ``max_tokens`` keeps only that many (for a quick run).
    """
    import gzip

    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as lines:
        return write_token_lines((line.split() for line in lines), target, max_tokens)


def write_token_lines(sentences, target: Path, max_tokens: int | None = None) -> int:
    """Write each non-empty token list of ``sentences`` as one line of ``target``, stopping after
    ``max_tokens`` tokens; return the tokens written."""
    written = 0
    with open(target, "w", encoding="utf-8") as out:
        for tokens in sentences:
            if max_tokens is not None:
                tokens = tokens[: max_tokens - written]
            if tokens:
                out.write(" ".join(tokens) + "\n")
                written += len(tokens)
            if max_tokens is not None and written >= max_tokens:
                break
    return written


def evaluate_vectors(path: Path) -> dict[str, float | None]:
    """Google analogy accuracy and Spearman on WS353, SimLex-999 and MEN, by embedlab's evaluator
    (the same protocol for every tool's vectors)."""
    from embedlab.evaluation import evaluate
    from embedlab.vectors.formats import load

    report = evaluate(load(path), datasets=[name for name, _ in QUALITY])
    scores: dict[str, float | None] = {}
    for name, _ in QUALITY:
        if name in report["analogy"]:
            scores[name] = report["analogy"][name]["accuracy"]
        else:
            scores[name] = report["similarity"][name]["spearman"]
    return scores


def machine() -> dict[str, str]:
    """Date, CPU model, cores and library versions, for the report's header."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = {"python": platform.python_version()}
    for package in ("embedlab", "numpy", "numba", "scipy", "gensim"):
        versions[package] = _version(package)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": f"{usable} usable of {os.cpu_count()}",
        "os": f"{platform.system()} {platform.release()}",
        "versions": ", ".join(f"{name} {v}" for name, v in versions.items()),
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        if package == "embedlab":
            import embedlab

            return f"{embedlab.__version__} (checkout)"
        return "not installed"


def markdown_table(columns: list[str], rows: list[list[str]]) -> str:
    """A GitHub Markdown table; columns after the first are right-aligned (numbers)."""
    lines = ["| " + " | ".join(columns) + " |"]
    lines.append("|" + "|".join([":---"] + ["---:"] * (len(columns) - 1)) + "|")
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines)


def machine_header(info: dict[str, str]) -> str:
    """The Markdown lines naming when and where a benchmark ran."""
    return "\n".join(
        [
            f"- Date: {info['date']}",
            f"- Machine: {info['cpu']}, {info['cores']} cores, {info['os']}",
            f"- Versions: {info['versions']}",
        ]
    )


def fmt_seconds(value: float) -> str:
    return f"{value:.1f}"


def fmt_mib(num_bytes: int) -> str:
    return f"{num_bytes / 2**20:,.0f}"


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def fmt_score(name: str, value: float | None) -> str:
    """Analogy accuracy in percent, Spearman with three decimals, '-' when not computable."""
    if value is None:
        return "-"
    return f"{100 * value:.1f}%" if name == "google" else f"{value:.3f}"


def fmt_ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}x" if denominator else "-"


def quality_deltas(ours: dict, theirs: dict) -> list[str]:
    """embedlab minus a peer on every QUALITY score: points for analogies, Spearman otherwise."""
    cells = []
    for name, _ in QUALITY:
        a, b = ours[name], theirs[name]
        if a is None or b is None:
            cells.append("-")
        elif name == "google":
            cells.append(f"{100 * (a - b):+.1f} pt")
        else:
            cells.append(f"{a - b:+.3f}")
    return cells


def check_outputs(*paths) -> None:
    """Fail on a bad output path before the long run, not after it."""
    from embedlab.fileio import check_output_path

    for path in filter(None, paths):
        check_output_path(path)


@contextlib.contextmanager
def prepared_corpus(args):
    """``(workdir, corpus_file, tokens)``: a temporary folder holding the corpus of ``--corpus``
    (its first ``--max-tokens``) as whitespace-tokenized lines, which every tool reads."""
    with tempfile.TemporaryDirectory(prefix="embedlab-bench-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        corpus_file = workdir / "corpus.txt"
        print(f"preparing {args.corpus} ...", file=sys.stderr)
        tokens = prepare_corpus(Path(args.corpus), corpus_file, args.max_tokens)
        yield workdir, corpus_file, tokens


def corpus_label(args, tokens: int) -> str:
    return Path(args.corpus).name + (f" (first {tokens:,} tokens)" if args.max_tokens else "")


def with_changes(args, **changes) -> argparse.Namespace:
    """A copy of the parsed ``args`` with a few attributes replaced (e.g. another ``epochs`` for
    one child's command line)."""
    return argparse.Namespace(**{**vars(args), **changes})


def publish(text: str, output) -> None:
    """Print the report, and write it to ``output`` too when one was given."""
    print(text)
    if output:
        save_markdown(output, text)


def save_markdown(path: str | os.PathLike, text: str) -> None:
    """Write the report atomically (a failed run leaves any earlier report untouched)."""
    from embedlab.fileio import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")


def parsers(doc: str, child_help: str):
    """``(parser, child)``: the user's command line and the internal ``child`` one, both with the
    options every benchmark shares; each benchmark adds its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    child = parser.add_subparsers(dest="mode").add_parser("child", help=child_help)
    _add_run_options(parser, child)
    return parser, child


def run(args, child, benchmark, name: str) -> None:
    """Run ``child(args)`` in child mode, else ``benchmark(args)``; a user error is one line."""
    from embedlab.errors import EmbedlabError

    try:
        (child if args.mode == "child" else benchmark)(args)
    except EmbedlabError as err:
        sys.exit(f"{name}: error: {err}")
    except OSError as err:  # a missing corpus or workdir
        sys.exit(f"{name}: error: {err.filename}: {err.strerror}")


def _add_run_options(parser, child) -> None:
    for name in ("--corpus-file", "--vectors", "--report"):
        child.add_argument(name, required=True)
    child.add_argument("--threads", type=int, required=True)
    parser.add_argument("--corpus", default=str(ENMIX), help="plain or .gz text")
    parser.add_argument("--max-tokens", type=int, default=None, help="use only the first N tokens")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workdir", default=None, help="where the temporary files go")
    parser.add_argument("--output", default=None, help="also write the Markdown table here")
    parser.add_argument("--no-warmup", action="store_true", help="skip the Numba warm-up runs")
