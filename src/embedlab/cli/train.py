"""``embedlab train`` and ``embedlab quickstart``: the front door to every training method.

``train`` passes only the options the user gave to ``embedlab.methods.train``, so each method's
own defaults apply and an option that does not fit the method is named in a one-line error.
"""

from __future__ import annotations

import functools
import inspect
import time
from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import console, err_console, print_json, report_console, table
from embedlab.cli.roles import INPUT, OUTPUT, OUTPUT_FOLDER, guarded
from embedlab.errors import EmbedlabError, Interrupted
from embedlab.fileio import check_folder_writable, check_output_path, note_input
from embedlab.methods import METHODS
from embedlab.progress import human_count

_CORPUS = "Corpus options"
_WORD2VEC = "word2vec options"
_COUNT = "Count-based and GloVe options"
_OUTPUT = "Output options"
_GRAPH = "Graph options (deepwalk, node2vec)"
_CLUSTER = "Cluster options (Dask)"
_NEURAL = "Neural options (autoencoder, vae, contrastive; need torch)"
#: The neural encoders (the [torch] extra).
_NEURAL_METHODS = ("autoencoder", "vae", "contrastive")


def register(app: typer.Typer) -> None:
    """Add ``train`` and ``quickstart`` to the top-level app."""
    # train's options come from every estimator's declaration, which imports Numba and SciPy
    # (about a second): the top-level app holds a stand-in that builds the real command only
    # when train runs, so the other commands start as fast as before.
    lazy = {"allow_extra_args": True, "ignore_unknown_options": True}
    app.command("train", context_settings=lazy, add_help_option=False)(_train_stand_in)
    app.command("quickstart")(quickstart_command)


def _train_stand_in(ctx: typer.Context) -> None:
    """Train embeddings on CORPUS and save them to OUTPUT."""
    command = typer.main.get_command(_train_app())
    command.main(args=ctx.args, prog_name=ctx.command_path, standalone_mode=False)


@functools.cache
def _train_app() -> typer.Typer:
    train_command.__signature__ = _train_signature()
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command("train")(guarded(train_command))
    return app


def _leading(
    corpus: Annotated[
        list[str],
        typer.Argument(
            help="Text files, folders (every file below) or - for stdin; .gz/.bz2/.xz are read "
            "as such. For deepwalk/node2vec: one graph file (.edgelist/.edg/.txt, .adjlist, "
            ".mat, .npz).",
            show_default=False,
        ),
        INPUT,
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Vectors file; its extension picks the format: .bin word2vec binary, "
            ".txt/.vec word2vec text, .emb native (keeps both matrices). A symlink's target "
            "is replaced; -, a pipe or a device is streamed to (give --format).",
            show_default=False,
        ),
        OUTPUT,
    ],
    method: Annotated[str, typer.Option(help=", ".join(METHODS) + ".")] = "skipgram",
): ...


def _corpus_settings(
    min_count: Annotated[
        int | None,
        typer.Option(
            "--min-count", help="Drop words seen fewer times (default 5).", rich_help_panel=_CORPUS
        ),
    ] = None,
    max_vocab: Annotated[
        int | None,
        typer.Option(
            "--max-vocab", help="Keep at most N most frequent words.", rich_help_panel=_CORPUS
        ),
    ] = None,
    tokenizer: Annotated[
        str | None,
        typer.Option(help="regex (default) or whitespace.", rich_help_panel=_CORPUS),
    ] = None,
    lowercase: Annotated[
        bool | None,
        typer.Option(
            "--lowercase/--no-lowercase",
            help="Lowercase the text (default: yes).",
            rich_help_panel=_CORPUS,
            show_default=False,
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding (default utf-8).", rich_help_panel=_CORPUS)
    ] = None,
    errors: Annotated[
        str | None,
        typer.Option(
            help="Undecodable bytes: strict (stop, default) or replace.", rich_help_panel=_CORPUS
        ),
    ] = None,
    cache: Annotated[
        bool | None,
        typer.Option(
            "--cache/--no-cache",
            help="Reuse the encoded corpus from the on-disk cache (default: yes).",
            rich_help_panel=_CORPUS,
            show_default=False,
        ),
    ] = None,
    corpus_format: Annotated[
        str | None,
        typer.Option(
            "--corpus-format",
            help="text (default) or items: one basket/session/playlist of item ids per line, "
            "split on whitespace, case kept.",
            rich_help_panel=_CORPUS,
        ),
    ] = None,
): ...


def _cluster_settings(
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Train on a Dask cluster: a scheduler address (tcp://host:8786) or local:N "
            "(N worker processes on this machine). Count methods, GloVe and word2vec; see "
            "docs/distributed.md.",
            rich_help_panel=_CLUSTER,
        ),
    ] = None,
    dask_storage: Annotated[
        Path | None,
        typer.Option(
            "--dask-storage",
            help="A folder every worker shares: the encoded shards are kept there instead of "
            "in the workers' memory.",
            rich_help_panel=_CLUSTER,
        ),
        OUTPUT_FOLDER,
    ] = None,
): ...


def _trailing(
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Output format instead of the extension's: word2vec, word2vec-binary, glove "
            "or native (ppmi: sparse, .npz only).",
            rich_help_panel=_OUTPUT,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON on stdout.")
    ] = False,
): ...


def train_command(**given) -> None:
    """Train embeddings on CORPUS and save them to OUTPUT."""
    corpus, output, method = given.pop("corpus"), given.pop("output"), given.pop("method")
    fmt, quiet, as_json = given.pop("format"), given.pop("quiet"), given.pop("as_json")
    params = {name: value for name, value in given.items() if value is not None}
    if quiet:
        params["quiet"] = True
    fmt = check_destination(output, fmt, method)
    checkpoint = params.get("checkpoint_dir")
    if checkpoint is not None:
        check_folder_writable(checkpoint, "--checkpoint folder")
    report_console(output, as_json)
    from embedlab.methods import train

    started = time.time()
    source = corpus[0] if len(corpus) == 1 else list(corpus)
    try:
        fits = _fits_on_disk(output, fmt, method)
        emb = train(source, method=method, spell=flag, before_fit=fits, **params)
    except KeyboardInterrupt:
        raise Interrupted(interrupted_training(checkpoint, started)) from None
    seconds = time.time() - started
    emb.save(output, format=fmt)
    history = list(emb.meta.get("history", []))
    if not quiet:
        for note in emb.meta.get("graph", {}).get("notes", ()):
            err_console.print(f"embedlab: note: {note}", soft_wrap=True)
    if as_json:
        print_json(
            {
                "output": str(output),
                "method": method,
                "vocabulary": len(emb.words),
                "dim": emb.dim,
                "seconds": seconds,
                "history": history,
            }
        )
    elif not quiet:
        err_console.print(summary_line(emb, history, seconds, output), soft_wrap=True)


def _fits_on_disk(output: Path, fmt: str | None, method: str):
    """A ``before_fit`` hook: once the vocabulary is known, check the output's free space."""

    def check(corpus, estimator) -> None:
        dim = getattr(estimator, "dim", None)
        if dim is None or output.suffix == ".npz":
            return  # sparse rows: their size is only known after counting
        from embedlab.vectors.formats import expected_bytes, format_of

        if getattr(estimator, "combine", None) == "concat":
            dim *= 2
        if method == "ppmi-svd":  # an SVD has fewer dims than words; a larger --dim is its error
            dim = min(dim, len(corpus.vocab))
        fmt_used = format_of(output, fmt, reading=False)
        size = expected_bytes(output, len(corpus.vocab), dim, fmt_used, True)
        check_output_path(output, size, shrink="lower --dim or --max-vocab")

    return check


def interrupted_training(checkpoint: Path | None, started: float) -> str:
    """The Ctrl-C line: nothing was saved, and the newest checkpoint of this run, if any."""
    message = "training interrupted; no output was written"
    saved = []
    if checkpoint is not None and checkpoint.is_dir():
        saved = [p for p in checkpoint.glob("epoch-*.emb") if p.stat().st_mtime >= started - 1]
    if not saved:
        return message + "; no checkpoint was saved"
    return message + f"; last checkpoint: {max(saved, key=lambda p: p.stat().st_mtime)}"


@functools.cache
def _method_options():
    """Every estimator's command-line options, derived from their declarations."""
    from embedlab.methods import available_classes
    from embedlab.methods.params import command_line_options

    return command_line_options(available_classes())


def _panel(methods) -> str | None:
    from embedlab.methods import GRAPH_METHODS

    if set(methods) <= set(GRAPH_METHODS):
        return _GRAPH
    if set(methods) <= set(_NEURAL_METHODS):
        return _NEURAL
    if set(methods) <= {"skipgram", "cbow", *GRAPH_METHODS}:
        return _WORD2VEC
    if set(methods) <= {"ppmi", "ppmi-svd", "glove"}:
        return _COUNT
    return None


def _option_parameter(option) -> inspect.Parameter:
    info = typer.Option(
        option.flag,
        help=option.help,
        rich_help_panel=_panel(option.methods),
        show_default=False,
        parser=option.parser,
    )
    roles = (OUTPUT_FOLDER,) if option.writes else ()
    return inspect.Parameter(
        option.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[(option.cli_type | None, info, *roles)],
    )


def _parameters(fn) -> list[inspect.Parameter]:
    return [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for p in inspect.signature(fn, eval_str=True).parameters.values()
    ]


def _train_signature() -> inspect.Signature:
    # corpus, output and method first; then what the estimators declare, the corpus settings
    # (encode_corpus's) and the output options.
    leading = inspect.signature(_leading, eval_str=True).parameters.values()
    derived = [_option_parameter(option) for option in _method_options()]
    rest = _parameters(_corpus_settings) + _parameters(_cluster_settings) + _parameters(_trailing)
    return inspect.Signature([*leading, *derived, *rest])


def flag(name: str) -> str:
    """The command-line flag that sets parameter ``name``."""
    from embedlab.methods import available_classes
    from embedlab.methods.params import declared, flag_of

    if name != "quiet":  # the command's own --quiet, which also silences the summary
        for cls in available_classes().values():
            param = declared(cls).get(name)
            if param is not None:
                return flag_of(param)
    return "--" + name.replace("_", "-")


def check_destination(output: Path, fmt: str | None, method: str) -> str | None:
    """Fail before training on an output that cannot be written; return the format to use.
    (That it is none of the command's inputs is checked before, by ``cli.roles.guarded``.)"""
    check_output_path(output)
    if method == "ppmi":
        return _check_sparse_destination(output, fmt)
    from embedlab.vectors.formats import format_of

    return format_of(output, fmt, reading=False)


def _check_sparse_destination(output: Path, fmt: str | None) -> str | None:
    # Explicit PPMI rows are |V| wide: only the sparse .npz layout holds them, and finding that
    # out after counting a large corpus would waste the whole run.
    from embedlab.vectors.sparse import SUFFIX

    if fmt not in (None, "sparse") or output.suffix != SUFFIX:
        raise EmbedlabError(
            f"--method ppmi saves sparse vectors to {SUFFIX} only: name the output "
            f"'{output.stem}{SUFFIX}', or use --method ppmi-svd for dense vectors"
        )
    return fmt


def summary_line(emb, history: list[dict], seconds: float, output: Path) -> str:
    """One line: words trained, time, words/s, final loss, what was saved where."""
    words = sum(int(entry.get("words", 0)) for entry in history)
    train_seconds = sum(float(entry.get("seconds", 0.0)) for entry in history) or seconds
    parts = [f"trained {len(emb.words):,} words x {emb.dim} dims in {seconds:.1f} s"]
    if words:
        parts.append(f"{human_count(words)} words at {human_count(words / train_seconds)} words/s")
    if history and history[-1].get("loss") is not None:
        parts.append(f"final loss {history[-1]['loss']:.4f}")
    return "embedlab: " + ", ".join(parts) + f"; saved {output}"


#: Skip-gram on the bundled sample corpus, sized to finish on 2 cores in well under two
#: minutes including Numba's first compilation.
QUICKSTART_PARAMS = {
    "method": "skipgram",
    "dim": 50,
    "window": 5,
    "epochs": 5,
    "min_count": 5,
    "seed": 1,
}
#: Words whose neighbours the sample corpus (novels, poems, plays, Wikipedia) supports well:
#: family (father), the sea (ship, water), judgement (good), countries (france).
QUICKSTART_WORDS = ("father", "ship", "water", "good", "france")
#: a : b :: c : ?  The classic man:king::woman:queen fails here ("queen" occurs 69 times, and
#: the sample's kings are Shakespeare's); family words occur hundreds of times in the novels.
#: README's analogy example is this one (a test checks that it holds on these vectors).
QUICKSTART_ANALOGY = ("brother", "sister", "father")
NEIGHBOURS = 5
#: What the scores mean; the 9 M-word numbers are BENCHMARKS.md's skip-gram NS row.
EXPECTATIONS = (
    "These scores come from a {words}-word sample, far too little text for good vectors: "
    "skip-gram on 9M words scores about 0.70 on ws353 and 29% on google (BENCHMARKS.md), "
    "and more text scores higher. Train on a real corpus with: "
    "embedlab train CORPUS.txt.gz -o vectors.bin"
)


def quickstart_command(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also save the vectors (format from the extension)."),
        OUTPUT,
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    graph: Annotated[
        bool,
        typer.Option(
            "--graph", help="node2vec on the bundled karate club instead: do the factions split?"
        ),
    ] = False,
    picture: Annotated[
        Path,
        typer.Option(help="With --graph: where to draw the map of the two factions."),
        OUTPUT,
    ] = Path("karate.png"),
) -> None:
    """Train skip-gram on the bundled sample corpus; show neighbours, an analogy and scores."""
    if graph:
        from embedlab.cli.graphs import graph_quickstart

        graph_quickstart(output, picture, quiet, as_json)
        return
    from embedlab.corpus import sample_corpus_path
    from embedlab.evaluation import evaluate
    from embedlab.methods import train

    method = QUICKSTART_PARAMS["method"]
    note_input(sample_corpus_path(), "the bundled sample corpus")  # no option names it
    fmt = None if output is None else check_destination(output, None, method)
    started = time.perf_counter()
    emb = train(sample_corpus_path(), quiet=quiet, **QUICKSTART_PARAMS)
    seconds = time.perf_counter() - started
    if output is not None:
        emb.save(output, format=fmt)
    result = {
        "corpus": str(sample_corpus_path()),
        "vocabulary": len(emb.words),
        "dim": emb.dim,
        "seconds": seconds,
        "history": list(emb.meta.get("history", [])),
        "neighbours": neighbours(emb, QUICKSTART_WORDS, NEIGHBOURS),
        "analogy": analogy(emb, *QUICKSTART_ANALOGY),
        "evaluation": evaluate(emb),
        "expectations": EXPECTATIONS.format(words=human_count(int(emb.counts.sum()))),
    }
    if as_json:
        print_json(result)
        return
    if not quiet:
        err_console.print(
            summary_line(emb, result["history"], seconds, output or "nothing (no -o)"),
            soft_wrap=True,
        )
    _print_quickstart(result)


def neighbours(emb, words, topn: int) -> dict[str, list[list]]:
    """Each word in ``emb`` -> its ``topn`` nearest words as [word, cosine] pairs."""
    return {
        word: [[other, float(score)] for other, score in emb.most_similar(word, topn=topn)]
        for word in words
        if word in emb
    }


def analogy(emb, a: str, b: str, c: str) -> dict:
    """``a : b :: c : ?`` with the three best answers (none when a word is missing)."""
    known = all(word in emb for word in (a, b, c))
    answers = emb.analogy(a, b, c, topn=3) if known else []
    return {
        "question": [a, b, c],
        "answers": [[word, float(score)] for word, score in answers],
    }


def _print_quickstart(result: dict) -> None:
    rows = [
        [word, ", ".join(f"{other} {score:.2f}" for other, score in near)]
        for word, near in result["neighbours"].items()
    ]
    console.print(table("Nearest neighbours (cosine)", ["word", "neighbours"], rows))
    a, b, c = result["analogy"]["question"]
    question = f"{a} : {b} :: {c} : ?"
    rows = [
        [question if i == 0 else "", word, f"{score:.3f}"]
        for i, (word, score) in enumerate(result["analogy"]["answers"])
    ] or [[question, "(a word is missing)", "-"]]
    console.print(table("Analogy (3CosAdd)", ["question", "answer", "cosine"], rows))
    console.print(
        table(
            "Evaluation",
            ["benchmark", "score", "measure", "coverage"],
            _score_rows(result["evaluation"]),
        )
    )
    console.print(result["expectations"], soft_wrap=True)


def _score_rows(report: dict) -> list[list]:
    rows = []
    for name, r in report.get("similarity", {}).items():
        score = "-" if r["spearman"] is None else f"{r['spearman']:.3f}"
        rows.append([name, score, "Spearman", f"{r['pairs']}/{r['pairs'] + r['oov']} pairs"])
    for name, r in report.get("analogy", {}).items():
        score = "-" if r["accuracy"] is None else f"{100 * r['accuracy']:.1f}%"
        asked = r["questions"] + r["skipped"]
        rows.append([name, score, "accuracy", f"{r['questions']}/{asked} questions"])
    return rows
