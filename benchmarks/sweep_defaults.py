"""Choose defaults by measurement: one method, a grid of settings, several corpora, every set.

Each setting is trained on every corpus (with the same seeds) and scored on every bundled
similarity and analogy set. Settings are then compared per (corpus, set) by rank, and the ranks
averaged, so that no single corpus or data set decides: a default must do well on text of
different sizes and kinds. Results are appended to a JSON-lines file as they come, so a long
sweep can be stopped and resumed, and several sweeps can share one file.

    python benchmarks/sweep_defaults.py --method skipgram --vary alpha=0.025,0.05,0.075 \\
        --vary sample=1e-3,1e-4 --results sweep.jsonl --output sweep.md

``--vary`` lists are swept one parameter at a time around ``--base`` (a coordinate sweep);
``--product`` crosses them instead. The default corpora are enmix (9 M tokens), its first 1 M
tokens, the Gutenberg selection (1.1 M) and WikiText-2 valid+test (0.4 M), from ``../shared``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

from _common import REPO, machine, machine_header, markdown_table, save_markdown, write_token_lines

SHARED = REPO.parent / "shared" / "data" / "corpora"
#: name -> (source, tokens kept or None for all): text of different sizes and kinds.
CORPORA = {
    "enmix": (SHARED / "enmix.txt.gz", None),
    "enmix-1m": (SHARED / "enmix.txt.gz", 1_000_000),
    "enmix-3m": (SHARED / "enmix.txt.gz", 3_000_000),
    "gutenberg": (SHARED / "gutenberg", None),
    "wikitext2": (SHARED / "wikitext-2", None),
}
#: Scored sets: every bundled one.
DATASETS = ("ws353", "ws353-sim", "ws353-rel", "simlex999", "men", "rg65", "mc30", "google")


def parse_value(text: str):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def parse_assignments(items: list[str]) -> dict:
    pairs = {}
    for item in items:
        name, _, value = item.partition("=")
        pairs[name.replace("-", "_")] = parse_value(value)
    return pairs


def settings_to_run(base: dict, vary: dict[str, list], product: bool) -> list[dict]:
    if product:
        names = list(vary)
        return [
            {**base, **dict(zip(names, values, strict=True))}
            for values in itertools.product(*vary.values())
        ]
    runs = [dict(base)]
    for name, values in vary.items():
        runs.extend({**base, name: value} for value in values if base.get(name) != value)
    return runs


def corpus_file(name: str, workdir: Path) -> Path:
    """The corpus as embedlab's tokenizer splits it, one line per source line, in ``workdir``."""
    from embedlab.corpus.reader import expand_sources, read_lines
    from embedlab.corpus.tokenizer import Tokenizer

    target = workdir / f"{name}.txt"
    if target.exists():
        return target
    source, limit = CORPORA[name]
    tokenizer = Tokenizer("regex")
    partial = target.with_suffix(".part")
    lines = read_lines(expand_sources(source), errors="replace")
    write_token_lines((tokenizer.tokenize(line) for line in lines), partial, limit)
    partial.rename(target)
    return target


def scores_of(emb) -> dict:
    from embedlab.evaluation import evaluate

    report = evaluate(emb, datasets=list(DATASETS))
    scores = {name: entry["spearman"] for name, entry in report["similarity"].items()}
    scores.update({name: entry["accuracy"] for name, entry in report["analogy"].items()})
    return scores


def run_one(method: str, settings: dict, path: Path, seed: int, threads: int) -> dict:
    import embedlab

    started = time.perf_counter()
    emb = embedlab.train(
        str(path),
        method=method,
        tokenizer="whitespace",
        seed=seed,
        threads=threads,
        quiet=True,
        **settings,
    )
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "scores": scores_of(emb)}


def key_of(method: str, settings: dict, corpus: str, seed: int) -> str:
    return json.dumps([method, sorted(settings.items()), corpus, seed])


def load_results(path: Path) -> dict[str, dict]:
    done = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            done[record["key"]] = record
    return done


def sweep(args) -> None:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results = Path(args.results)
    done = load_results(results)
    base = parse_assignments(args.base)
    vary = {}
    for item in args.vary:
        name, _, values = item.partition("=")
        vary[name.replace("-", "_")] = [parse_value(v) for v in values.split(",")]
    runs = settings_to_run(base, vary, args.product)
    for settings in runs:
        for corpus in args.corpora:
            path = corpus_file(corpus, workdir)
            for seed in args.seeds:
                key = key_of(args.method, settings, corpus, seed)
                if key in done:
                    continue
                record = run_one(args.method, settings, path, seed, args.threads)
                record.update(
                    key=key, method=args.method, settings=settings, corpus=corpus, seed=seed
                )
                with open(results, "a", encoding="utf-8") as out:
                    out.write(json.dumps(record) + "\n")
                done[key] = record
                print(
                    f"{args.method} {settings} {corpus} seed {seed}: "
                    f"{record['seconds']:.1f} s {_brief(record['scores'])}",
                    flush=True,
                )
    if args.output:
        records = [
            done[key_of(args.method, s, c, seed)]
            for s in runs
            for c in args.corpora
            for seed in args.seeds
        ]
        save_markdown(args.output, report(args.method, runs, records, args))


def _brief(scores: dict) -> str:
    return " ".join(f"{name} {value:.3f}" for name, value in scores.items() if value is not None)


def mean_scores(records: list[dict]) -> dict[str, float]:
    """Each set's score averaged over the records (seeds) that have it."""
    totals: dict[str, list[float]] = {}
    for record in records:
        for name, value in record["scores"].items():
            if value is not None:
                totals.setdefault(name, []).append(value)
    return {name: sum(values) / len(values) for name, values in totals.items()}


def average_ranks(table: dict[tuple, dict[str, dict[str, float]]]) -> dict[tuple, float]:
    """table[setting][corpus][set] -> score; each (corpus, set) ranks the settings (1 = best,
    ties shared), and a setting's rank is the mean over every (corpus, set)."""
    settings = list(table)
    ranks: dict[tuple, list[float]] = {setting: [] for setting in settings}
    cells = {(c, d) for s in settings for c in table[s] for d in table[s][c]}
    for corpus, dataset in sorted(cells):
        scored = [
            (table[s][corpus][dataset], s) for s in settings if dataset in table[s].get(corpus, {})
        ]
        for value, setting in scored:
            better = sum(1 for other, _ in scored if other > value)
            equal = sum(1 for other, _ in scored if other == value)
            ranks[setting].append(better + (equal + 1) / 2)
    return {s: sum(r) / len(r) for s, r in ranks.items() if r}


def report(method: str, runs: list[dict], records: list[dict], args) -> str:
    def label(settings: dict) -> tuple:
        return tuple(sorted(settings.items()))

    # Seconds are recorded but not reported: a sweep is about quality, and it may share the
    # machine; time is measured by the benchmarks that run alone.
    table: dict[tuple, dict[str, dict[str, float]]] = {label(r["settings"]): {} for r in records}
    for setting in table:
        for corpus in args.corpora:
            mine = [r for r in records if label(r["settings"]) == setting and r["corpus"] == corpus]
            table[setting][corpus] = mean_scores(mine)
    ranks = average_ranks(table)
    varied = sorted(
        {name for s in runs for name in s if any(r.get(name) != s.get(name) for r in runs)}
    )
    columns = [
        "setting",
        "mean rank",
        *[f"{c} {d}" for c in args.corpora for d in ("sim", "google")],
    ]
    rows = []
    for setting in sorted(table, key=lambda s: ranks.get(s, 1e9)):
        values = dict(setting)
        name = ", ".join(f"{n} {values[n]}" for n in varied) or "base"
        cells = []
        for corpus in args.corpora:
            scores = table[setting][corpus]
            similarity = [v for d, v in scores.items() if d != "google"]
            cells.append(f"{sum(similarity) / len(similarity):.3f}" if similarity else "-")
            cells.append(f"{100 * scores['google']:.1f}%" if "google" in scores else "-")
        rows.append([name, f"{ranks.get(setting, float('nan')):.2f}", *cells])
    header = [
        f"## Sweep: {method} (`benchmarks/sweep_defaults.py`)",
        "",
        machine_header(machine()),
        f"- Base: {', '.join(f'{k} {v}' for k, v in sorted(parse_assignments(args.base).items()))}"
        f"; seeds {', '.join(map(str, args.seeds))}; {args.threads} threads",
        f"- Corpora: {', '.join(args.corpora)}; sets: {', '.join(DATASETS)}",
        "- sim = mean Spearman over the seven similarity sets; mean rank over every"
        " (corpus, set), 1 = best",
        "",
        "",
    ]
    return "\n".join(header) + markdown_table(columns, rows) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--method", required=True)
    parser.add_argument("--base", nargs="*", default=[], help="NAME=VALUE held fixed")
    parser.add_argument("--vary", action="append", default=[], help="NAME=V1,V2,...")
    parser.add_argument("--product", action="store_true", help="cross the --vary lists")
    parser.add_argument(
        "--corpora",
        nargs="+",
        default=["enmix", "enmix-1m", "gutenberg", "wikitext2"],
        choices=list(CORPORA),
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[1])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workdir", default=str(REPO.parent / "sweep-corpora"))
    parser.add_argument("--results", required=True, help="JSON lines, appended and reused")
    parser.add_argument("--output", default=None, help="write the Markdown table here")
    args = parser.parse_args(argv)
    from embedlab.errors import EmbedlabError

    try:
        sweep(args)
    except EmbedlabError as err:
        sys.exit(f"sweep_defaults: error: {err}")


if __name__ == "__main__":
    main()
