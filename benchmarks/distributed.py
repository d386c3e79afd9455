"""word2vec and PPMI-SVD on a Dask cluster against one machine: quality by worker count and
merge rule, bytes and seconds per sync round, cost by corpus size.

Quality: skip-gram NS (dim 100, window 5, negative 5, sample 1e-4, min_count 5) trained on the
corpus once on one machine (embedlab, ``--threads`` threads) and on a LocalCluster of each
``--workers`` count of worker processes (one thread each, one replica each), for each
``--syncs`` period and ``--merges`` rule (any of ``distributed.merges.MERGES``); the vectors are
scored by embedlab's evaluator (WS353, SimLex, Google, MEN), with the seconds of training and
the KiB sent up and down per sync round.

PPMI-SVD: at its defaults on one machine and on each ``--svd-workers`` count, with the SVD on
one worker (the single-machine solver, as a matrix that fits one gets) and across the workers
(the cluster's randomized solver, forced).

Cost: one epoch on ``--cost-workers`` worker processes at each ``--scales`` (the corpus
concatenated that many times), the shards in ``--storage`` when given (``--dask-storage``):
seconds per million tokens, the largest peak RSS of a worker and the client's, and the bytes
each sync round moved. Every run is its own process, its workers their own; the numbers are to
be read within one table.

    python benchmarks/distributed.py --max-tokens 3000000 --epochs 3 \
        --merges bmuf scaled mean delta --syncs 25000 100000 --storage /tmp --output dist.md
    python benchmarks/distributed.py --epochs 3 --merges bmuf scaled --output dist-full.md
    python benchmarks/distributed.py --max-tokens 60000 --epochs 1 --workers 2 --scales \
        --svd-workers 2                                                      # a quick check
"""

from __future__ import annotations

import itertools
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import _common  # noqa: E402  (the benchmarks folder is not a package)

# This file's name is the Dask package's: with its folder on the path, `import distributed`
# would import this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

METHOD = "skipgram"
PARAMS = {"dim": 100, "window": 5, "negative": 5, "sample": 1e-4, "min_count": 5, "seed": 1}
#: PPMI-SVD at its defaults (dim 300, window 5), as the issue tried it.
SVD_PARAMS = {"seed": 1}
#: A sync period longer than any epoch: one merge per epoch.
EPOCH = 10**12
WARMUP_TOKENS = 20_000


def child(args) -> None:
    """Train once (``--workers 0``: on one machine), save the vectors, report the timings."""
    from embedlab.methods import train

    if args.method == METHOD:
        params = dict(PARAMS, epochs=args.epochs, min_count=args.min_count, quiet=True)
    else:
        params = dict(SVD_PARAMS, min_count=args.min_count, quiet=True)
    if args.workers == 0:
        started = time.perf_counter()
        emb = train(args.corpus_file, method=args.method, threads=args.threads, **params)
        seconds, workers = time.perf_counter() - started, []
    else:
        emb, seconds, workers = _on_cluster(args, params)
    emb.save(args.vectors)
    history = emb.meta["history"] or [{"words": 0, "seconds": 0.0}]  # PPMI-SVD has none
    _common.write_report(
        args.report,
        {
            "train_seconds": seconds,
            "epoch_seconds": sum(entry["seconds"] for entry in history),
            "tokens": sum(entry["words"] for entry in history) // len(history),
            "vocabulary": len(emb),
            "worker_peak_rss": workers,
            "replicas": emb.meta.get("cluster", {}).get("replicas", 0),
            "syncs": sum(entry.get("syncs", 0) for entry in history),
            "bytes_up": sum(entry.get("sync_bytes_up", 0) for entry in history),
            "bytes_down": sum(entry.get("sync_bytes_down", 0) for entry in history),
        },
    )


def _on_cluster(args, params):
    from distributed import Client, LocalCluster

    from embedlab.distributed import count
    from embedlab.methods import fit

    def with_merge(corpus, estimator):
        # Every rule of merges.MERGES, whichever the estimator's option offers yet.
        estimator.dask_merge = args.merge

    if args.svd_across:  # as when the PPMI matrix fits no worker
        count.roomiest_worker = lambda client, need: None

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:  # fmt: skip
        started = time.perf_counter()
        settings = (
            {"dask_sync": args.sync, "before_fit": with_merge} if args.method == METHOD else {}
        )
        emb, _ = fit(args.corpus_file, method=args.method, dask=cluster.scheduler_address,
                     dask_storage=args.storage, **settings, **params)  # fmt: skip
        seconds = time.perf_counter() - started
        with Client(cluster) as client:
            workers = sorted(client.run(_common.peak_rss).values())
    return emb, seconds, workers


def measure(name: str, corpus_file: Path, workdir: Path, args, workers: int, sync: int,
            epochs: int, scale: int = 1, merge: str = "bmuf", cost: bool = False,
            method: str = METHOD, svd_across: bool = False) -> dict:  # fmt: skip
    """One child's run; its vectors scored unless ``scale`` > 1 (a repeated corpus, for its
    cost only: ``min_count`` grows with it, so the vocabulary stays the first scale's). A
    ``cost`` run keeps its shards in ``--storage``, when given."""
    vectors, report = workdir / f"{name}.bin", workdir / f"{name}.json"
    argv = [sys.executable, __file__, "child", "--corpus-file", str(corpus_file)]
    argv += ["--vectors", str(vectors), "--report", str(report), "--threads", str(args.threads)]
    argv += ["--workers", str(workers), "--sync", str(sync), "--epochs", str(epochs)]
    argv += ["--merge", merge, "--method", method] + (["--svd-across"] if svd_across else [])
    if cost and args.storage:
        argv += ["--storage", args.storage]
    argv += ["--min-count", str(PARAMS["min_count"] * scale)]
    if scale == 1:
        return _common.measure_child(argv, report, vectors)
    run = _common.run_child(argv, report)
    return {"wall": run.wall_seconds, "rss": run.peak_rss_bytes, **run.report}


def warm_up(corpus_file: Path, workdir: Path) -> None:
    """Fill the Numba cache, which the workers share with this process, before any timing."""
    from embedlab.methods import train

    small = workdir / "warmup.txt"
    _common.prepare_corpus(corpus_file, small, WARMUP_TOKENS)
    train(str(small), method=METHOD, dim=10, epochs=1, min_count=1, quiet=True)


def concatenated(corpus_file: Path, times: int) -> Path:
    """The corpus ``times`` times over (identical copies are fine for timing)."""
    if times == 1:
        return corpus_file
    target = corpus_file.with_name(f"corpus-x{times}.txt")
    text = corpus_file.read_bytes()
    with open(target, "wb") as out:
        for _ in range(times):
            out.write(text)
    return target


def quality_table(results: list[tuple[str, dict]]) -> str:
    columns = ["run", "replicas", "words", "train s", "s per round", "KiB up per round",
               "KiB down per round", "down / whole state",
               *[label for _, label in _common.QUALITY]]  # fmt: skip
    columns += [f"{label} vs one machine" for _, label in _common.QUALITY]
    base = results[0][1]["quality"]
    rows = []
    for label, result in results:
        row = [label, str(result["replicas"] or "-"), f"{result['vocabulary']:,}",
               _common.fmt_seconds(result["train_seconds"])]  # fmt: skip
        row += _per_round(result)
        row += [_common.fmt_score(name, result["quality"][name]) for name, _ in _common.QUALITY]
        row += _common.quality_deltas(result["quality"], base)
        rows.append(row)
    return _common.markdown_table(columns, rows)


def _per_round(result: dict) -> list[str]:
    """Seconds of training (encoding left out), bytes up and down per sync round, and the
    bytes down against sending W and C whole to each replica's worker, as before the
    summaries."""
    rounds = result.get("syncs", 0)
    if not rounds:
        return ["-", "-", "-", "-"]
    up, down = result["bytes_up"] / rounds, result["bytes_down"] / rounds
    whole = result["replicas"] * 2 * result["vocabulary"] * PARAMS["dim"] * 4
    return [f"{result['epoch_seconds'] / rounds:.2f}", f"{up / 2**10:,.0f}",
            f"{down / 2**10:,.0f}", f"{down / whole:.2f}"]  # fmt: skip


def cost_table(results: list[tuple[int, dict]]) -> str:
    columns = ["scale", "tokens", "train s", "s per M tokens", "vs 1st scale",
               "worker peak RSS MiB", "client peak RSS MiB", "KiB up per sync",
               "MiB down per sync"]  # fmt: skip
    first = results[0][1]["train_seconds"] / max(1, results[0][1]["tokens"])
    rows = []
    for scale, r in results:
        per_token = r["train_seconds"] / max(1, r["tokens"])
        syncs = max(1, r["syncs"])
        rows.append([f"{scale}x", f"{r['tokens']:,}", _common.fmt_seconds(r["train_seconds"]),
                     f"{per_token * 1e6:.2f}", _common.fmt_ratio(per_token, first),
                     _common.fmt_mib(max(r["worker_peak_rss"])), _common.fmt_mib(r["rss"]),
                     f"{r['bytes_up'] / syncs / 2**10:,.0f}",
                     f"{r['bytes_down'] / syncs / 2**20:,.1f}"])  # fmt: skip
    return _common.markdown_table(columns, rows)


def run_benchmark(args) -> None:
    _common.check_outputs(args.output)
    with tempfile.TemporaryDirectory(prefix="embedlab-dist-", dir=args.workdir) as tmp:
        workdir = Path(tmp)
        corpus_file = workdir / "corpus.txt"
        print(f"preparing {args.corpus} ...", file=sys.stderr)
        tokens = _common.prepare_corpus(Path(args.corpus), corpus_file, args.max_tokens)
        if not args.no_warmup:
            warm_up(corpus_file, workdir)
        quality = [("one machine", measure("single", corpus_file, workdir, args, 0, 0,
                                           args.epochs))]  # fmt: skip
        failed = []
        for workers, sync, merge in itertools.product(args.workers, args.syncs, args.merges):
            label = f"{workers} workers, {merge}, sync " + ("once an epoch" if sync == EPOCH
                                                             else f"{sync:,} words")  # fmt: skip
            print(f"{label} ...", file=sys.stderr)
            name = f"w{workers}-s{sync}-{merge}"
            try:
                quality.append((label, measure(name, corpus_file, workdir, args, workers, sync,
                                               args.epochs, merge=merge)))  # fmt: skip
            except RuntimeError:  # a rule that diverges is a result, not the end of the run
                failed.append(label)
        cost = []
        for scale in args.scales:
            print(f"cost at {scale}x ...", file=sys.stderr)
            scaled = concatenated(corpus_file, scale)
            cost.append((scale, measure(f"x{scale}", scaled, workdir, args, args.cost_workers,
                                        args.syncs[0], 1, scale, args.merges[0],
                                        cost=True)))  # fmt: skip
            if scaled != corpus_file:
                scaled.unlink()
        svd = svd_runs(corpus_file, workdir, args)
    _common.publish(render(quality, failed, cost, svd, tokens, args), args.output)


def svd_runs(corpus_file: Path, workdir: Path, args) -> list[tuple[str, dict]]:
    """PPMI-SVD on one machine, then on each ``--svd-workers`` count of workers with the SVD on
    the roomiest worker (what a matrix that fits one gets) and across the workers."""
    if not args.svd_workers:
        return []
    runs = [("one machine", measure("svd-single", corpus_file, workdir, args, 0, 0, 1,
                                     method="ppmi-svd"))]  # fmt: skip
    for workers, across in itertools.product(args.svd_workers, (False, True)):
        label = f"{workers} workers, SVD " + ("across the workers" if across else "on one worker")
        print(f"ppmi-svd, {label} ...", file=sys.stderr)
        name = f"svd-w{workers}-{'across' if across else 'one'}"
        runs.append((label, measure(name, corpus_file, workdir, args, workers, 0, 1,
                                    method="ppmi-svd", svd_across=across)))  # fmt: skip
    return runs


def render(quality, failed, cost, svd, tokens: int, args) -> str:
    settings = ", ".join(f"{k} {v}" for k, v in PARAMS.items())
    lines = [
        "## word2vec on a Dask cluster (LocalCluster, one thread per worker process)",
        "",
        _common.machine_header(_common.machine()),
        f"- Corpus: {_common.corpus_label(args, tokens)}; {METHOD} {settings}",
        f"- Quality: {args.epochs} epochs; one machine with {args.threads} threads; train s "
        "is `embedlab.train`'s wall time, encoding included (on the workers on a cluster); "
        "s per round is the epochs' training time over the sync rounds",
        "",
        quality_table(quality),
    ]
    if failed:
        lines += ["", f"- Failed (the child exited non-zero; diverged): {'; '.join(failed)}"]
    if svd:
        lines += ["", f"- PPMI-SVD ({SVD_PARAMS}, min_count {PARAMS['min_count']}): one machine "
                  "against the cluster, the SVD on one worker (the single-machine solver) or "
                  "across the workers (the randomized solver over the row blocks)", "",
                  quality_table(svd)]  # fmt: skip
    if cost:
        storage = "shards in --dask-storage" if args.storage else "shards in the workers' memory"
        lines += [
            "",
            f"- Cost: 1 epoch on {args.cost_workers} workers, {args.merges[0]} merge, sync "
            f"{args.syncs[0]:,} words, {storage}; "
            "the corpus repeated, min_count times the scale (the same vocabulary); RSS is each "
            "process's peak (VmHWM)",
            "",
            cost_table(cost),
        ]
    return "\n".join(lines)


def parse(argv=None):
    from embedlab.distributed.merges import MERGES
    from embedlab.methods.word2vec.model import SkipGram

    default_sync = SkipGram().dask_sync
    parser, one = _common.parsers(__doc__, "internal: one run in this process")
    parser.add_argument("--epochs", type=int, default=5)
    one.add_argument("--epochs", type=int, required=True)
    one.add_argument("--workers", type=int, required=True, help="0: one machine")
    one.add_argument("--sync", type=int, required=True)
    one.add_argument("--merge", choices=MERGES, required=True)
    one.add_argument("--storage", default=None)
    one.add_argument("--method", choices=(METHOD, "ppmi-svd"), default=METHOD)
    one.add_argument("--svd-across", action="store_true")
    one.add_argument("--min-count", type=int, required=True)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4, 8])
    parser.add_argument("--syncs", type=int, nargs="+", default=[default_sync],
                        help=f"sync periods in words (default {default_sync:,}, the "
                        f"option's default; {EPOCH} is once an epoch)")  # fmt: skip
    parser.add_argument(
        "--merges",
        nargs="+",
        choices=MERGES,
        default=[MERGES[0]],
        help=f"merge rules (default {MERGES[0]}, the cluster's default)",
    )
    parser.add_argument(
        "--scales",
        type=int,
        nargs="*",
        default=[1, 4, 16],
        help="corpus repeats for the cost table (none: no cost table)",
    )
    parser.add_argument("--storage", default=None,
                        help="a folder for the cost runs' shards (--dask-storage), so a "
                        "worker's RSS holds no shard")  # fmt: skip
    parser.add_argument("--cost-workers", type=int, default=2)
    parser.add_argument("--svd-workers", type=int, nargs="*", default=[2, 4],
                        help="worker counts for PPMI-SVD (none: skip it)")  # fmt: skip
    return parser.parse_args(argv)


def main(argv=None) -> None:
    _common.run(parse(argv), child, run_benchmark, "distributed")


if __name__ == "__main__":
    main()
