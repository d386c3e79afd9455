"""``embedlab train`` and ``embedlab quickstart``: the front door to every training method.

``train`` passes only the options the user gave to ``embedlab.methods.train``, so each method's
own defaults apply and an option that does not fit the method is named in a one-line error.
"""

from __future__ import annotations

import functools
import inspect
import shlex
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from embedlab.cli.common import (
    console,
    err_console,
    flag_spelling,
    print_json,
    renamed,
    report_console,
    table,
)
from embedlab.cli.roles import INPUT, OUTPUT, OUTPUT_FOLDER, guarded
from embedlab.errors import EmbedlabError, Interrupted, spelling_as
from embedlab.fileio import check_folder_writable, check_output_path, note_input
from embedlab.methods import METHODS
from embedlab.progress import human_count

# train's options, grouped by what they are for (the help's panels).
_IO = "Input and output"
_MODEL = "What is learned (architecture, objective, context, weighting)"
_SCHEDULE = "Epochs, learning rate and batches"
_RUN = "How it runs (threads, seed, memory, device, checkpoints)"
_CORPUS = "Reading the corpus"
_GRAPH = "Graph walks (deepwalk, node2vec)"
_CLUSTER = "Cluster (Dask)"
#: Each declared parameter's panel; a parameter not listed goes by the methods that take it.
PURPOSES = {
    _MODEL: (
        "dim", "window", "objective", "negative", "ns_exponent", "sample", "dynamic_window",
        "shared_negatives", "cbow_mean", "combine", "weighting", "context", "cds", "shift", "eig",
        "solver", "x_max", "weight_power", "loss", "kl_weight", "subwords", "buckets",
    ),
    _SCHEDULE: (
        "epochs", "alpha", "min_alpha", "optimizer", "lr", "momentum", "square_momentum",
        "schedule", "batch_size",
    ),
    _RUN: ("threads", "seed", "memory", "backend", "device", "checkpoint_dir", "resume"),
    _GRAPH: (
        "walk_length", "walks_per_node", "architecture", "directed", "weighted", "fresh_walks",
        "graph_format", "p", "q",
    ),
    _CLUSTER: ("dask_sync", "dask_merge"),
}  # fmt: skip
#: The corpus options: parameter -> (flag, type, help). Their defaults are read from
#: ``encode_corpus``'s signature, where they are declared.
CORPUS_OPTIONS = {
    "min_count": ("--min-count", int, "Drop words seen fewer times."),
    "max_vocab": ("--max-vocab", int, "Keep at most the N most frequent words (none: all)."),
    "tokenizer": ("--tokenizer", str, "regex or whitespace."),
    "lowercase": ("--lowercase/--no-lowercase", bool, "Lowercase the text."),
    "encoding": ("--encoding", str, "The text's encoding, a Python codec name."),
    "errors": ("--errors", str, "Undecodable bytes: strict (stop, naming the byte) or replace."),
    "cache": ("--cache/--no-cache", bool, "Reuse the encoded corpus from the on-disk cache."),
}


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
    answer_foreign_flags(ctx.args, command)
    try:
        command.main(args=ctx.args, prog_name=ctx.command_path, standalone_mode=False)
    except Interrupted as err:
        if err.resume_from is None:
            raise
        resume = resume_command(ctx.args, err.resume_from)
        raise Interrupted(f"{err}; continue with: {resume}") from None


#: What ``train --help`` says of the flags other tools use (``answer_foreign_flags``).
FOREIGN_FLAGS = (
    "word2vec.c's and fastText's flags (-size, -hs, -iter, -cbow, -minCount, -epoch, -lr, ...) "
    "and gensim's names (--vector-size, --sg, --workers) are answered with embedlab's flag, "
    "not taken as aliases: the same names train with other defaults there (fastText's -lr is "
    "0.05 for every corpus where embedlab sizes the rate from it; -hs 1 keeps negative "
    "sampling on in word2vec.c), so one error line tells the whole translation instead."
)


def answer_foreign_flags(args: list[str], command) -> None:
    """Refuse, in one line, the flags word2vec.c, fastText and gensim users bring, each
    answered with embedlab's (``methods.habits``); anything else is left to the parser."""
    options = {}
    for param in command.params:
        for opt in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())):
            options[opt] = param
    answers, positional, subwords = [], [], {}
    with spelling_as(functools.partial(flag_spelling, command=command)):
        words = iter(args)
        for arg in words:
            if arg == "--":
                break
            if not arg.startswith("-") or arg == "-" or _number(arg):
                positional.append(arg)
            elif arg.partition("=")[0] not in options | {"-h": None, "--help": None}:
                answer = _answer(arg, words, options, subwords)
                if answer:
                    answers.append(answer)
        if subwords:
            low, high = subwords.get("minn", ("", "3"))[1], subwords.get("maxn", ("", "6"))[1]
            given = " ".join(f"{arg} {value}" for arg, value in subwords.values())
            answers.append(
                f"{given} (fastText) is {flag_spelling('subwords', f'{low}-{high}')} here"
            )
        mode = positional[0] if positional else None
        if answers and mode in METHODS and not Path(mode).exists():
            answers.insert(0, f"{mode} (fastText's mode) is {flag_spelling('method', mode)} here")
    if answers:
        raise EmbedlabError(
            "; ".join(answers) + " (other tools' flags are answered, not taken: see "
            "'embedlab train --help')"
        )


def _answer(arg: str, words, options: dict, subwords: dict) -> str | None:
    """The answer to one flag that is not ``train``'s, reading its value from ``words``; None
    for a flag no table knows (the parser names it)."""
    from embedlab.methods.habits import habit

    name, equals, value = arg.lstrip("-").partition("=")
    known = habit(name)
    flag = "--" + name.replace("_", "-")
    ours = options.get(flag)
    # word2vec.c and fastText write one dash: their -lr, -loss mean what the table says even
    # where a method of ours has an option of that name; --min_count is ours misspelt.
    if ours is not None and (known is None or arg.startswith("--")):
        if not equals and not getattr(ours, "is_flag", False):
            value = next(words, "")
        return f"{arg} {value}".strip() + f" is {flag} {value}".rstrip() + " here"
    if known is None:
        return None
    if not equals:
        value = next(words, "")
    if known.param in ("minn", "maxn"):  # both are answered together: --subwords MIN-MAX
        subwords[known.param] = (arg.partition("=")[0], value)
        return None
    return known.answer(f"{arg} {value}".strip(), value or None)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@functools.cache
def _train_app() -> typer.Typer:
    train_command.__signature__ = _train_signature()
    app = typer.Typer(
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.command("train", epilog=FOREIGN_FLAGS)(guarded(train_command))
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
            help="Vectors file; its extension picks the format: .bin word2vec binary (fastText's "
            "model with --subwords), .txt/.vec word2vec text, .emb native (keeps both "
            "matrices). A symlink's target is replaced; -, a pipe or a device is streamed to "
            "(give --format).",
            show_default=False,
            rich_help_panel=_IO,
        ),
        OUTPUT,
    ],
    method: Annotated[
        str, typer.Option(help=", ".join(METHODS) + ".", rich_help_panel=_IO)
    ] = "skipgram",
): ...


def _corpus_parameters() -> list[inspect.Parameter]:
    """The corpus options, each with ``encode_corpus``'s default in its help, and
    ``--corpus-format`` with ``methods.train``'s."""
    from embedlab import methods
    from embedlab.corpus import encode_corpus

    declared = inspect.signature(encode_corpus).parameters
    parameters = []
    for name, (flag, kind, text) in CORPUS_OPTIONS.items():
        default = declared[name].default
        if default is not None:
            shown = flag.split("/")[not default] if kind is bool else default
            text += f" Default: {shown}."
        info = typer.Option(flag, help=text, rich_help_panel=_CORPUS, show_default=False)
        parameters.append(_keyword(name, kind, info))
    default = methods.DEFAULT_CORPUS_FORMAT
    text = (
        "text, or items: one basket, session or playlist of item ids per line, split on "
        f"whitespace, case kept. Default: {default}."
    )
    info = typer.Option("--corpus-format", help=text, rich_help_panel=_CORPUS, show_default=False)
    return [*parameters, _keyword("corpus_format", str, info)]


def _keyword(name: str, kind: type, info, *roles) -> inspect.Parameter:
    """A keyword parameter of the train command (default None: the method's own), with its
    ``cli.roles`` markers."""
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[(kind | None, info, *roles)],
    )


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


def _subword_settings(
    subwords: Annotated[
        str | None,
        typer.Option(
            "--subwords",
            metavar="MIN-MAX",
            help="skipgram, cbow: train each word as its row plus its character n-grams of MIN "
            "to MAX characters, averaged (fastText's -minn/-maxn; its default is 3-6), so any "
            "word gets a vector. Default: off.",
            rich_help_panel=_MODEL,
        ),
    ] = None,
): ...


def subword_lengths(text: str) -> dict[str, int]:
    """``--subwords MIN-MAX`` as the estimators' ``minn`` and ``maxn``; one line if malformed."""
    low, dash, high = text.partition("-")
    if not (dash and low.isdigit() and high.isdigit()) or not 1 <= int(low) <= int(high):
        raise EmbedlabError(
            f"--subwords {shlex.quote(text)} is not MIN-MAX with 1 <= MIN <= MAX characters: "
            "give e.g. --subwords 3-6 (fastText's default)"
        )
    return {"minn": int(low), "maxn": int(high)}


def _trailing(
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Output format instead of the extension's: word2vec, word2vec-binary, fasttext, "
            "glove or native (ppmi: sparse, .npz only).",
            rich_help_panel=_IO,
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="No progress, no per-epoch lines, no summary.",
            rich_help_panel=_IO,
        ),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the result as JSON on stdout.", rich_help_panel=_IO),
    ] = False,
): ...


def train_command(**given) -> None:
    """Train embeddings on CORPUS and save them to OUTPUT."""
    corpus, output, method = given.pop("corpus"), given.pop("output"), given.pop("method")
    fmt, quiet, as_json = given.pop("format"), given.pop("quiet"), given.pop("as_json")
    subwords = given.pop("subwords")
    params = {name: value for name, value in given.items() if value is not None}
    if subwords is not None:
        params |= subword_lengths(subwords)
    if quiet:
        params["quiet"] = True
    fmt = check_destination(output, fmt, method)
    checkpoint = params.get("checkpoint_dir")
    if checkpoint is not None:
        check_folder_writable(checkpoint, "--checkpoint folder")
    report_console(output, as_json)
    from embedlab.methods import fit

    started = time.time()
    source = corpus[0] if len(corpus) == 1 else list(corpus)
    try:
        fits = _fits_on_disk(output, fmt, method)
        with renamed(minn="subwords", maxn="subwords"):  # the API's two are one option here
            emb, seconds = fit(source, method=method, before_fit=fits, **params)
    except KeyboardInterrupt:
        raise interrupted_training(checkpoint, started) from None
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
        err_console.print(summary_line(emb, seconds, output), soft_wrap=True)


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
        buckets = estimator.buckets if getattr(estimator, "uses_subwords", False) else 0
        if buckets and fmt is None and fmt_used == "word2vec-binary":
            fmt_used = "fasttext"  # what a subword model's .bin is saved as
        size = expected_bytes(output, len(corpus.vocab), dim, fmt_used, True, buckets)
        shrink = "lower --dim or --max-vocab" + (", or --buckets" if buckets else "")
        check_output_path(output, size, shrink=shrink)

    return check


def interrupted_training(checkpoint: Path | None, started: float) -> Interrupted:
    """The Ctrl-C line: nothing was saved, and the newest checkpoint of this run, if any (the
    stand-in adds the command that resumes from it)."""
    message = "training interrupted; no output was written"
    saved = []
    if checkpoint is not None and checkpoint.is_dir():
        saved = [p for p in checkpoint.glob("epoch-*.emb") if p.stat().st_mtime >= started - 1]
    if not saved:
        return Interrupted(message + "; no checkpoint was saved")
    newest = max(saved, key=lambda p: p.stat().st_mtime)
    return Interrupted(message + f"; last checkpoint: {newest}", resume_from=newest)


def resume_command(args: list[str], checkpoint: Path) -> str:
    """The command line ``args`` (after ``train``) continuing from ``checkpoint``: the same
    options with ``--resume`` set to it (``--epochs`` is the total, so it stays)."""
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--resume":
            skip = True
        elif not arg.startswith("--resume="):
            kept.append(arg)
    return shlex.join(["embedlab", "train", *kept, "--resume", str(checkpoint)])


@functools.cache
def _method_options():
    """Every estimator's command-line options, derived from their declarations."""
    from embedlab.methods import available_classes
    from embedlab.methods.params import command_line_options

    return command_line_options(available_classes())


def _purpose(option) -> str:
    """The help panel of a method option: its purpose, or, for one ``PURPOSES`` does not
    list, what the methods that take it say."""
    from embedlab.methods import GRAPH_METHODS

    for panel, names in PURPOSES.items():
        if option.name in names:
            return panel
    return _GRAPH if set(option.methods) <= set(GRAPH_METHODS) else _MODEL


def _option_parameter(option) -> inspect.Parameter:
    info = typer.Option(
        option.flag,
        help=escape(option.help),  # the docstrings' "embedlab[torch]" is text, not markup
        rich_help_panel=_purpose(option),
        show_default=False,
        parser=option.parser,
    )
    roles = (OUTPUT_FOLDER,) if option.writes else ()
    return _keyword(option.name, option.cli_type, info, *roles)


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
    rest = (
        _parameters(_subword_settings)
        + _corpus_parameters()
        + _parameters(_cluster_settings)
        + _parameters(_trailing)
    )
    return inspect.Signature([*leading, *derived, *rest])


def check_destination(output: Path, fmt: str | None, method: str) -> str | None:
    """Fail before training on an output that cannot be written; return the format to give
    ``save``: ``fmt`` as given (None leaves it to the extension, and to the model: a subword
    model's ``.bin`` is fastText's). (That it is none of the command's inputs is checked
    before, by ``cli.roles.guarded``.)"""
    check_output_path(output)
    if method == "ppmi":
        return _check_sparse_destination(output, fmt)
    from embedlab.vectors.formats import format_of

    format_of(output, fmt, reading=False)  # an unknown suffix or format fails now
    return fmt


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


def summary_line(emb, seconds: float, output) -> str:
    """One line: what the run made (``methods.summary_line``) and where it was saved."""
    from embedlab.methods import summary_line as made

    return f"embedlab: {made(emb, seconds)}; saved {output}"


#: Skip-gram on the bundled sample corpus, sized to finish on 2 cores in well under two
#: minutes including Numba's first compilation. One thread, so that every machine gets the same
#: vectors and the answers README shows (on 2 threads the analogy's answer changed between runs;
#: one thread costs about 5 s more).
QUICKSTART_PARAMS = {
    "method": "skipgram",
    "dim": 50,
    "window": 5,
    "epochs": 5,
    "min_count": 5,
    "seed": 1,
    "threads": 1,
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
        Path | None,
        typer.Option(
            help="With --graph: where to draw the map of the two factions (default: beside "
            "-o as a .png, else in a new temporary folder, named in the report).",
            show_default=False,
        ),
        OUTPUT,
    ] = None,
) -> None:
    """Train skip-gram on the bundled sample corpus; show neighbours, an analogy and scores."""
    if graph:
        from embedlab.cli.graphs import graph_quickstart

        graph_quickstart(output, picture, quiet, as_json)
        return
    from embedlab.corpus import sample_corpus_path
    from embedlab.evaluation import evaluate
    from embedlab.methods import fit

    method = QUICKSTART_PARAMS["method"]
    note_input(sample_corpus_path(), "the bundled sample corpus")  # no option names it
    fmt = None if output is None else check_destination(output, None, method)
    emb, seconds = fit(sample_corpus_path(), quiet=quiet, **QUICKSTART_PARAMS)
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
        err_console.print(summary_line(emb, seconds, output or "nothing (no -o)"), soft_wrap=True)
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
