"""Regenerate docs/lectures.md by running the ``embedlab teach`` commands for real.

Usage (from the repository root)::

    PYTHONPATH=src python tools/build_lectures_doc.py

Every output block in the document is what the command printed in this run; every "the math
gives" number in a slip section is read from the command's ``--json`` output. Only the "the
slide says" numbers are typed here, copied from the notes (``shared/seeds``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from embedlab.fileio import atomic_write  # noqa: E402
from embedlab.teach import toy_data  # noqa: E402  (the notes' inputs, for the commands)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "lectures.md"
PICTURES = ROOT / "docs" / "lectures"
_HAMLET = Path("shared", "data", "corpora", "gutenberg", "shakespeare-hamlet.txt")
# shared/ sits beside the main checkout, or one level further up from a worktree
CORPUS = next(
    (base / _HAMLET for base in (ROOT.parent, ROOT.parent.parent) if (base / _HAMLET).exists()),
    ROOT.parent / _HAMLET,
)


def run(*args: str) -> str:
    """Run ``embedlab ARGS`` in a fresh process; return stdout (fails loudly on an error)."""
    env = dict(os.environ, COLUMNS="110", PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-m", "embedlab", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"embedlab {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def run_json(*args: str):
    return json.loads(run(*args, "--json"))


def shell(args: tuple[str, ...]) -> str:
    return "embedlab " + " ".join(f'"{a}"' if " " in a else a for a in args)


def block(*args: str, head: int | None = None) -> str:
    """The command and its real output, as Markdown."""
    out = run(*args).rstrip("\n")
    if head is not None:
        lines = out.splitlines()
        if len(lines) > head:
            out = "\n".join(lines[:head] + ["…"])
    return f"```console\n$ {shell(args)}\n{out}\n```\n"


def _box(heading: str, columns: str, rows: list[tuple[str, str, str]], why: str, bold: bool):
    """A quoted Markdown box: a heading, a three-column table (the last bold if asked), why."""
    cell = lambda text: text.replace("|", "\\|")  # noqa: E731  (|V| inside a table cell)
    mark = "**" if bold else ""
    table = "\n".join(
        f"| {cell(what)} | {cell(slide)} | {mark}{cell(last)}{mark} |" for what, slide, last in rows
    )
    return (
        f"> **{heading}.**\n>\n> {columns}\n> |---|---|---|\n"
        + "\n".join(f"> {line}" for line in table.splitlines())
        + f"\n>\n> {why}\n"
    )


def slip(title: str, rows: list[tuple[str, str, str]], why: str) -> str:
    """A clearly marked slip: what the slide says against what the math gives."""
    columns = "| quantity | the slide says | the math gives |"
    return _box(f"Slip in the notes: {title}", columns, rows, why, bold=True)


def vec(values, digits: int = 3) -> str:
    return "(" + ", ".join(f"{v:.{digits}f}" for v in values) + ")"


def rounding(title: str, rows: list[tuple[str, str, str]], why: str) -> str:
    """A slide number that differs from the exact one only by the rounding of its inputs."""
    columns = (
        "| quantity | the slide says | exact from its 3-decimal inputs (range when each input "
        "is anywhere within ±0.0005) |"
    )
    return _box(f"Rounding, not a slip: {title}", columns, rows, why, bold=False)


def input_box(f, values):
    """min and max of ``f`` over the box of inputs each within ±0.0005 of ``values`` (corners:
    the expressions here are monotone in each input over such a small box)."""
    import itertools

    results = [
        f(*(v + 0.0005 * s for v, s in zip(values, signs, strict=True)))
        for signs in itertools.product((-1, 1), repeat=len(values))
    ]
    return min(results), max(results)


# ---------------------------------------------------------------- notes 000


def note_000() -> str:
    first = run_json("teach", "step")
    ctx = first["context_vectors"]
    later = run_json("teach", "step", "--toy", "vehicles-fruits-later")
    pos, neg = later["rows"]
    w = later["word_vectors"]["firetruck"]
    c = later["context_vectors"]
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z_backhoe = input_box(lambda a, b, x, y: a * x + b * y, (-0.830, 0.094, -0.984, -0.379))
    z_crane = input_box(lambda a, b, x, y: a * x + b * y, (-0.830, 0.094, -1.258, -0.188))
    crane_x = input_box(
        lambda a, b, x, y: x + 0.1 * (0 - sig(a * x + b * y)) * a, (-0.830, 0.094, -1.258, -0.188)
    )
    span = lambda lo, hi: f"{lo:.5f} to {hi:.5f}"  # noqa: E731
    return (
        "## Notes 000: the vehicles/fruits updates (Boyd-Graber)\n\n"
        "### One negative-sampling update, by hand and by the trainer\n\n"
        "`teach step` calls the trainer's own `negative_sampling_update` with its trace switched "
        "on. Semantics are word2vec's: each context row changes at once, the focus word's change "
        "is summed over the positive and the negatives and applied after them. The notes' first "
        "update: focus *banana*, positive *lemon*, negative *firetruck*, α = 0.1, context "
        "vectors all zero (each option left out takes these values):\n\n"
        + block("teach", "step")
        + "\nEvery per-sample number on the slides is right (z = 0, σ(0) = 0.5, Δc_lemon = "
        "0.1·0.5·(0.046, 0.195) = (0.002, 0.010)). The table after the update is not:\n\n"
        + slip(
            "the context table after the first update",
            [
                ("lemon", "(0.005, 0.019)", vec(ctx["lemon"])),
                ("backhoe", "(-0.002, -0.010)", vec(ctx["backhoe"])),
                ("firetruck (right)", "(-0.002, -0.010)", vec(ctx["firetruck"])),
            ],
            "Lemon got its update twice on the slide, and backhoe, which took no part, got "
            "firetruck's. The slides also show stray 'α = 0.3', 'α = 0.7' and 'α = 0.15' "
            "headers; every computation on them uses α = 0.1.",
        )
        + '\nThe notes\' second update starts from their "much later" tables (`--toy '
        "vehicles-fruits-later`): focus *firetruck*, positive *backhoe*, negative *crane*:\n\n"
        + block("teach", "step", "--toy", "vehicles-fruits-later")
        + "\n"
        + rounding(
            "the second update's z values and c_crane",
            [
                (
                    "z = w_firetruck·c_backhoe",
                    "0.780",
                    f"{pos['z']:.6f}; {span(*z_backhoe)}",
                ),
                ("z = w_firetruck·c_crane", "1.025", f"{neg['z']:.6f}; {span(*z_crane)}"),
                ("c_crane after, first entry", "-1.196", f"{c['crane'][0]:.6f}; {span(*crane_x)}"),
            ],
            "The slide's tables print 3 decimals of numbers that had more; each of these three "
            "values lies inside the range its rounded inputs allow, so the slide may well have "
            "computed them from the unrounded vectors. They are not slips.",
        )
        + "\n"
        + slip(
            "the tables after the second update",
            [
                ("w_firetruck after", "(-0.833, 0.086)", vec(w)),
                ("c_backhoe after", "(-1.035, -0.373)", vec(c["backhoe"])),
                ("c_lemon after (not in this update)", "(1.110, -0.083)", vec(c["lemon"])),
            ],
            f"E, Δw and Δc on the slides are right to 3 decimals (E = {pos['error']:.3f} and "
            f"{neg['error']:.3f}). The new firetruck is w + Δw_backhoe + Δw_crane = (-0.830, "
            "0.094) + (-0.031, -0.012) + (0.093, 0.014); backhoe moved by about twice its Δc on "
            "the slide; lemon was not touched. These are far outside any rounding.",
        )
        + "\nA student can chain updates: `-o STEM` writes the tables after the update as "
        "word2vec text files, and `--word-vectors` (or `--context-vectors`) reads them back; "
        "either half of the pair names both. A positive-only update (`--positive-only`) is "
        "allowed too:\n\n"
        "```console\n$ embedlab teach step -o after1\n$ embedlab teach step --word-vectors "
        "after1.words.txt      # the second update, from the first one's tables\n"
        "$ embedlab teach step --positive-only  # label 1 only: E = 1 − σ(z)\n```\n"
        + train_toy_section()
    )


def train_toy_section() -> str:
    PICTURES.mkdir(parents=True, exist_ok=True)
    picture = PICTURES / "train_toy.png"
    args = ("teach", "train-toy", "--epochs", "200", "--plot", str(picture.relative_to(ROOT)))
    history = run_json(*args[:-2])["history"]
    text = block(*args)
    late = history[50:]
    decayed = run_json(*args[:-2], "--min-alpha", "0.0001")["history"][50:]
    expected = [h["expected_loss"] for h in late]
    decayed_expected = [h["expected_loss"] for h in decayed]
    return (
        '\n### "Much later": training the toy\n\n'
        'The notes do not show the corpus behind "much later". `teach train-toy` trains the '
        "real `SkipGram` estimator (one thread, seeded) from the notes' starting tables on a "
        "corpus in which vehicles only appear with vehicles and fruits with fruits "
        "(`embedlab.teach.toy_data.toy_sentences`), window 2, two negatives, constant α = 0.1. "
        "As on the slides, the vehicles end on one side and the fruits on the other, in both "
        "tables (`-o STEM` writes them for `teach step`):\n\n"
        + text
        + "\n![word and context vectors taking shape](lectures/train_toy.png)\n\n"
        "The exact numbers differ from the slides' (their corpus, sampling and number of steps "
        "are unknown); the shape is the point.\n\n"
        "**Why the loss goes up.** The loss column is one epoch's draws: the toy's pairs, "
        "each with fresh negatives and a fresh reduced window. Three of the seven words a pair "
        "can draw as a negative are of its own kind, true neighbours elsewhere, and score about "
        "as high as the positive, so an epoch that happens to draw more of them reports more "
        "loss. The expected loss column is the same objective averaged exactly over the noise "
        "distribution and the windows (`ExpectedLoss`), at the vectors the epoch ended with. "
        f"After epoch 50 the epoch losses range from {min(h['loss'] for h in late):.3f} to "
        f"{max(h['loss'] for h in late):.3f}, the expected loss only from {min(expected):.3f} "
        f"to {max(expected):.3f}: much of each rise is the draws. The rest is the vectors "
        "wandering: with α constant at 0.1, a noisy step moves them as far late in training as "
        "early. With α decaying as word2vec does (`--min-alpha 0.0001`) the expected loss over "
        f"the same epochs stays between {min(decayed_expected):.3f} and "
        f"{max(decayed_expected):.3f} and ends at {decayed_expected[-1]:.3f}. Its floor stays "
        "high because same-kind negatives cannot be told apart from positives.\n"
    )


# ---------------------------------------------------------------- notes 001


def note_001() -> str:
    fox = toy_data.QUICK_FOX
    cosine = run_json("teach", "cosine")
    got = {r["name"]: r["cosine"] for r in cosine["similarities"]}
    sig = {round(r["score"], 2): r for r in run_json("teach", "sigmoid")}
    frodo = toy_data.SOFTMAX_W[1]
    ring = toy_data.SOFTMAX_W_PRIME[2]
    dot_vs_cos = run_json(
        "teach",
        "cosine",
        "--vector",
        "w_Frodo=" + ",".join(f"{x:g}" for x in frodo),
        "--vector",
        "w'_ring=" + ",".join(f"{x:g}" for x in ring),
    )["similarities"][0]["cosine"]
    logits = run_json("teach", "softmax-loss")["logits"]
    return (
        "\n## Notes 001: one-hot, cosine, windows, the softmax, negative sampling (CS109B)\n\n"
        "### One-hot × E is a row lookup\n\n"
        "The notes multiply a one-hot vector by the embedding matrix; the product is the row, "
        "which is why training code indexes the row instead (here the six-word matrix of notes "
        "003):\n\n"
        + block("teach", "onehot")
        + "\n### Cosine similarity: the personality example\n\n"
        "The Big-5 table's first column is Pavlos, then options A, B and C:\n\n"
        + block("teach", "cosine")
        + "\n"
        + slip(
            "the three cosine similarities",
            [
                ("most similar", "0.987", f"{got['C']:.3f} (C)"),
                ("second", "0.912", f"{got['A']:.3f} (A)"),
                ("third", "0.826", f"{got['B']:.3f} (B, right)"),
            ],
            "No pair of columns in the table has cosine 0.912; A and C are almost tied. Any "
            "vectors work: `embedlab teach cosine --vector me=1,2,3 --vector you=2,2,2`.",
        )
        + "\n### An analogy on toy vectors\n\n"
        'The notes state "king − man + woman ∼ queen" without vectors; on a three-dimensional '
        "toy (royalty, maleness, person) the query code answers it (3CosAdd, the query words "
        "left out; `--vector NAME=...` for your own):\n\n"
        + block("teach", "analogy")
        + "\n### Sliding windows: the training examples (also notes 003)\n\n"
        "Skip-gram with a window of 2 on the Mannheim sentence reproduces their table (windows "
        "1 to 4, then the part the slide elides):\n\n"
        + block("teach", "pairs", fox, "--window", "2", head=22)
        + '\nThe CS109B slides use "a window size (here 4)": two words on each side, which is '
        "`--window 2` here (words per side, as in word2vec). Around *by* and *a*:\n\n"
        + block("teach", "pairs", toy_data.WHITE_CAT, "--window", "2", head=30)
        + "\nTwo inputs, one output (the slides' table):\n\n"
        + block("teach", "pairs", toy_data.SHIVAS, "--mode", "next-word", "--window", "2")
        + "\n"
        + slip(
            "the 'CBOW' dataset table",
            [
                (
                    "second column of rows 1-2",
                    "was **hit** by / **hit** by a",
                    "was **chased** by / **chased** by a",
                )
            ],
            "The slide's sentence is 'Shivas was chased by a cat as'; 'hit' is not in it. The "
            "slide also calls this previous-two-words-predict-the-next table CBOW; word2vec's "
            "CBOW predicts the centre word from the words on *both* sides, which is this:",
        )
        + "\n"
        + block("teach", "pairs", toy_data.SHIVAS, "--mode", "cbow", "--window", "1")
        + "\nword2vec samples a smaller window for each position (`--dynamic`, the same "
        "generator the trainer uses, so a seed reproduces it):\n\n"
        + block("teach", "pairs", fox, "--window", "2", "--dynamic", "--seed", "1", head=16)
        + "\n### The softmax's dot product\n\n"
        + slip(
            "'cosine similarity' for u_oᵀv_c",
            [
                (
                    "what exp(u_oᵀv_c) exponentiates",
                    '"cosine similarity"',
                    "the plain dot product (no division by the norms)",
                ),
                (
                    "Frodo → ring in the notes' 003 vectors",
                    "(called a cosine)",
                    f"dot product {logits[2]:.4f}, cosine {dot_vs_cos:.4f}",
                ),
            ],
            "The two agree only for unit vectors; word2vec's vectors are not normalised, and "
            "their lengths carry frequency information the softmax uses.",
        )
        + "\n"
        + slip(
            "the names u and v",
            [
                (
                    "centre word's vector",
                    "001: v_c; 002: u_t",
                    "one name per role (embedlab: W, the word vectors)",
                ),
                (
                    "context word's vector",
                    "001: u_o; 002: v_c",
                    "one name per role (embedlab: W', the context vectors)",
                ),
            ],
            "Notes 001 (P(w_o | w_c) = exp(u_oᵀv_c)/…) and notes 002 (P[c | t] = exp(u_t·v_c)/…) "
            "use u and v for opposite roles; formulas copied between them silently swap the two "
            "matrices. The commands here say word vectors (W, input) and context vectors (W', "
            "output) throughout.",
        )
        + negatives_section(sig)
        + "\n### What to keep after training (also notes 003)\n\n"
        "Notes 001 keep the embedding matrix and discard the context matrix; notes 003 list "
        "W alone, the concatenation W ⊕ W', or the sum or average. On the notes' 'much later' "
        "toy tables, by `Embeddings.combined`:\n\n"
        + block("teach", "keep")
        + "\nAll four separate the kinds on this toy, the sum most; which is best on real data "
        "is an empirical question (`embedlab train --combine` offers each).\n" + huffman_section()
    )


def negatives_section(sig: dict) -> str:
    picture = PICTURES / "negatives.png"
    runs = run_json("teach", "negatives")["positives_only"]["runs"]
    cross = {name: history[-1]["sigma_unrelated"] for name, history in runs.items()}
    return (
        "\n### Negative sampling: the training set, the noise, and why negatives are needed\n\n"
        "σ of the notes' dot products, by the trainer's `sigmoid`:\n\n"
        + block("teach", "sigmoid")
        + "\n"
        + slip(
            "the negative rows' probabilities",
            [
                (
                    "chased → bigfoot (target 0, z = -1.11)",
                    "Sigmoid() 0.25",
                    f"P(label 0) = 1 − σ(z) = {sig[-1.11]['one_minus']:.2f}",
                ),
                (
                    "chased → zomato (target 0, z = 0.74)",
                    "Sigmoid() 0.68",
                    f"P(label 0) = 1 − σ(z) = {sig[0.74]['one_minus']:.2f}",
                ),
            ],
            "The slide's text says the negatives' probabilities are sigmoids subtracted from 1, "
            "but its table shows σ itself, copied from the positives' table. The likelihood "
            "multiplies σ(z) for label 1 and 1 − σ(z) = σ(−z) for label 0.",
        )
        + "\n`teach negatives` builds the notes' training set with the trainer's window "
        "generator and its `draw_negatives` (a negative equal to the observed word is dropped, "
        "as word2vec does), shows the count^0.75 noise table beside the raw unigram one, and "
        "trains the toy with and without negatives by the trainer's update:\n\n"
        + block("teach", "negatives", "--plot", str(picture.relative_to(ROOT)), head=None)
        + "\n![scores and norms, with and without negatives](lectures/negatives.png)\n\n"
        "The notes' point holds: with every label 1 the loss goes to 0, the scores of the pairs "
        "trained on go to 1 (a trivial classifier) and the norms keep growing. Whether unrelated "
        "pairs also reach 1 depends on the start; here vehicles and fruits began on different "
        f"sides, so their cross score falls, but only to {cross['positives only']:.2f}, where "
        f"the negatives push it to {cross['with negatives']:.2f}.\n"
    )


def huffman_section() -> str:
    result = run_json("teach", "huffman")
    return (
        "\n### Hierarchical softmax: the Huffman tree\n\n"
        "The notes (in a margin note) reduce an N-way softmax to about log N binary decisions "
        "along a Huffman code. `teach huffman` builds the tree with the trainer's "
        "`HuffmanTree`, and for one random hidden vector h scores each word's path with the "
        "trainer's `hierarchical_softmax_update` (the 'trainer' column) and by the formula:\n\n"
        + block("teach", "huffman")
        + f"\nThe probabilities sum to 1 for any h: at every inner node σ(z) + σ(−z) = 1 splits "
        f"the mass between the two subtrees. A prediction costs "
        f"{result['expected_code_length']:.3f} dot products on average here instead of "
        f"{len(result['words'])}; frequent words get the short codes.\n"
    )


# ---------------------------------------------------------------- notes 002


def note_002() -> str:
    return (
        "\n## Notes 002: co-occurrence, PMI, PPMI, SVD, word2vec's gradients (COS 484)\n\n"
        "### Co-occurrence, PMI and PPMI\n\n"
        "The I/like/dogs table (rows: targets, columns: contexts). PMI uses the natural log, "
        "as the notes' 0.18 and 0.65 do:\n\n"
        + block("teach", "pmi")
        + "\nln(6/5) = 0.18 and ln(48/25) = 0.65: the notes' PMI and PPMI tables are right.\n\n"
        + slip(
            "the 'if independent' joint table",
            [("p(dogs, I)", "1/2", "1/12 = 0.083 (10 of 120)")],
            "Only that one slide has 1/2; the table before and after it has 1/12.",
        )
        + "\nCounting a text with a window of 2 gives the increments the notes list for "
        '"I like cats and dogs"; `--k` adds the shifted PMI of notes 003:\n\n'
        + block("teach", "pmi", toy_data.LIKE_CATS, "--window", "2", "--k", "2")
        + "\n### Attempt 4: PPMI = U Σ Vᵀ\n\n"
        "`teach svd` factors that PPMI table with the count method's own `truncated_svd` "
        "(exact ARPACK) and `weighted_factors`; `--eig 0` gives the notes' U[t, :], "
        "the count method's default weighting is `--eig 0.5`:\n\n"
        + block("teach", "svd", "--k", "2")
        + "\nU and V agree up to the sign of each column's entries where the PPMI table is "
        "symmetric, as here (counting a window is symmetric); Σ orders the dimensions by how "
        "much of the table they explain.\n\n"
        "### How many parameters (also notes 003)\n\n"
        "Two d-vectors per word, 2·d·|V|; the Mannheim exercise has |V| = 101,425 and "
        "d = 300. One negative-sampling update touches (K + 2)·d numbers (notes 002's quick "
        "poll); one full-softmax update touches (|V| + 1)·d:\n\n"
        + block("teach", "params", "--vocab", "101425", "--dim", "300", "--negative", "5")
        + "\n"
        + slip(
            "the vectors in one negative-sampling loss",
            [
                (
                    "vectors counted in (K + 2)·d",
                    "u_t, v_t, v_c1, …, v_cK",
                    "u_t, v_c, v_c1, …, v_cK",
                )
            ],
            "The count (K + 2)·d is right; the list names the target's context vector v_t where "
            "the loss uses the observed context's v_c.",
        )
        + "\n### The gradients of SGNS and of the softmax (also notes 001)\n\n"
        "Three numbers for each gradient: the trainer's update run with α = 1 (so it is exactly "
        "minus the gradient), the notes' closed forms — (σ(u·v_c) − 1)v_c + Σσ(u·v_ci)v_ci, "
        "(σ(u·v_c) − 1)u and σ(u·v_cj)u; for the softmax −(u_o − Σ_j P(j|c)u_j) — and central "
        "finite differences of the loss. The notes' formulas are right:\n\n"
        + block("teach", "gradcheck", "--seed", "0")
    )


# ---------------------------------------------------------------- notes 003


def note_003() -> str:
    bp = run_json("teach", "backprop")
    soft = run_json("teach", "softmax-loss")
    exps = dict(zip(soft["words"], soft["exp_logits"], strict=True))
    pmi = run_json("teach", "pmi")
    counts = np.array(pmi["counts"])
    rows, cols = counts.sum(axis=1), counts.sum(axis=0)
    t, c = pmi["words"].index("like"), pmi["contexts"].index("dogs")
    plain = pmi["pmi"][t][c]
    without_total = float(np.log(counts[t, c] / (rows[t] * cols[c])))
    return (
        "\n## Notes 003: backpropagation, the softmax loss, SGNS as factorization (Mannheim)\n\n"
        "### The backpropagation exercise\n\n"
        "Three inputs, two sigmoid hidden units, two sigmoid outputs, every weight 1, learning "
        "rate 1, two examples. `teach backprop` computes the gradients with embedlab's own small "
        "reverse-mode autograd (`embedlab.teach.autograd`, the backward loop of notes 004) and "
        "checks them against finite differences and the notes' closed forms:\n\n"
        + block("teach", "backprop")
        + "\nThe forward pass matches the slides (h = 0.73 and 0.98, y = 0.81 and 0.88). The "
        "update of w⁽²⁾₁,₂ is right up to rounding: the slide's 0.965 comes from its "
        f"two-decimal intermediates, unrounded it is {bp['w2_12']['after']:.4f}.\n\n"
        + slip(
            "the update of w⁽¹⁾₂,₂",
            [("w⁽¹⁾₂,₂ after one update", "0.99987", f"{bp['w1_22']['after']:.5f}")],
            "The slide writes the output deltas as (t − y)·y·(1 − **h**) — (1 − 0.98) where "
            "the rule it derived has (1 − y) = (1 − 0.88).",
        )
        + "\n"
        + slip(
            "the sign of the square-error loss",
            [
                ("L", "−½(1/N)ΣΣ(t − y)²", "½(1/N)ΣΣ(t − y)²"),
                (
                    "L at the start",
                    f"{bp['loss_as_written']:.4f} (as written)",
                    f"{bp['loss']:.4f}",
                ),
            ],
            "With the leading minus, L is largest where the fit is worst, and the notes' update "
            "w := w + (1/N)Σδh would climb it; that update (and every gradient the slides "
            "derive, whose first step silently drops the minus) is gradient descent on the loss "
            "without it, which is what the autograd column differentiates.",
        )
        + "\n### The full-softmax loss for Frodo → ring\n\n"
        "The probabilities and the loss come from the trainer's `full_softmax_update`; the last "
        "line is the gradient that reaches the source row w_Frodo:\n\n"
        + block("teach", "softmax-loss")
        + "\nThe logits match the notes to all four decimals. The sum does not:\n\n"
        + slip(
            "the cross-entropy loss",
            [
                (
                    "terms of Σ exp(logit)",
                    "2.49 + 1.81 + 3.58 + 2.59 + 2.10 (five)",
                    " + ".join(f"{exps[w]:.2f}" for w in soft["words"]) + " (six)",
                ),
                ("ln Σ exp(logit)", "2.53", f"{soft['log_sum_exp']:.2f}"),
                ("loss = −0.9265 + ln Σ", "1.60", f"{soft['loss']:.2f}"),
            ],
            f"The slide leaves out ring's own term exp(0.9265) = {exps['ring']:.2f}; the "
            "softmax denominator sums over every word, the target included.",
        )
        + "\n"
        + slip(
            "which parameters a full-softmax update changes",
            [
                (
                    "rows of W' with gradient",
                    "every row but the source word's",
                    f"all {len(soft['parameters_with_gradient']['W_prime']['rows'])} rows",
                )
            ],
            "Every context vector, the source's own included, is in the denominator, so each "
            "gets gradient (p_j − 1[j = target])·w_source; the source's row of W gets the rest.",
        )
        + sgns_pmi_section(plain, without_total, float(counts.sum()))
    )


def sgns_pmi_section(plain: float, without_total: float, total: float) -> str:
    picture = PICTURES / "sgns_pmi.png"
    with tempfile.TemporaryDirectory() as tmp:
        # a copy outside shared/, so the command line in the document is short
        corpus = Path(tmp) / "hamlet.txt"
        corpus.write_bytes(CORPUS.read_bytes())
        args = (
            "teach",
            "sgns-pmi",
            str(corpus),
            "--dim",
            "100",
            "--epochs",
            "30",
            "--negative",
            "5",
            "--plot",
            str(picture.relative_to(ROOT)),
        )
        text = block(*args).replace(str(corpus), "shakespeare-hamlet.txt")
    return (
        "\n### Does SGNS factorize the shifted PMI matrix?\n\n"
        "The notes derive that at the optimum w·c = PMI(w, c) − ln k. `teach sgns-pmi` trains "
        "the real skip-gram in the derivation's setting (no subsampling, a fixed window, "
        "negatives drawn in proportion to counts: `--ns-exponent 1`) and compares, over the "
        "pairs seen at least 5 times. Here on *Hamlet* (Gutenberg, ~30k words):\n\n"
        + text
        + "\n![w·c against PMI − ln k](lectures/sgns_pmi.png)\n\n"
        "The correlation measures the claim; a slope a of 1 and an intercept b of 0 would be "
        "the derivation's optimum exactly. It treats each w·c as a free parameter, while a "
        "d-dimensional model shares vectors between pairs and training stops after a few "
        "epochs, so some gap remains.\n\n"
        + slip(
            "the derivation's notation",
            [
                ("Eq. 1, negative term", "log(−w_w·w_i)", "log σ(−w_w·w_i)"),
                (
                    "noise distribution",
                    '"uniform", P(c) = #(c)/|V|',
                    "unigram, P(c) = #(c)/|D| (|D| = corpus size)",
                ),
            ],
            "With #(c)/|V| the probabilities do not sum to 1; with |D| the optimum is "
            "ln(#(w,c)·|D| / (#(w)·#(c))) − ln k, the PMI shifted by ln k as the notes "
            "conclude.",
        )
        + "\n"
        + slip(
            "'PMI ∝ log #(w,c)|V| / (#(w)#(c))'",
            [
                ("relation", "∝ (proportional)", "= … + a constant (an additive shift)"),
                (
                    "I/like/dogs, (like, dogs)",
                    "log(#/(#·#)) ∝ PMI",
                    f"{without_total:.3f} = {plain:.3f} − ln {total:g} "
                    f"({plain:.3f} − {np.log(total):.3f})",
                ),
            ],
            "log(a·N) = log a + log N: multiplying inside the log by a constant adds a constant "
            "to every cell. Ranks and differences survive, ratios do not, so '∝' is wrong; and "
            "the constant that makes it the PMI is the number of pairs |D|, not |V|.",
        )
    )


# ---------------------------------------------------------------- notes 004


def note_004() -> str:
    pca = run_json("teach", "pca")
    picture = PICTURES / "optimizers.png"
    pca_picture = PICTURES / "pca.png"
    return (
        "\n## Notes 004: optimizers, backprop, autoencoders, contrastive learning, PCA\n\n"
        "### Optimizers\n\n"
        "Gradient descent, momentum, AdaGrad, RMSProp (the notes' 'adaptivity') and Adam on a "
        "stretched bowl L(w) = ½(w₁² + 20·w₂²), each with its own learning rate. The running "
        "averages use the notes' convention, β weighting the newest term:\n\n"
        + block("teach", "optimizers", "--plot", str(picture.relative_to(ROOT)))
        + "\n![optimizer paths on the toy loss](lectures/optimizers.png)\n\n"
        "With its rate at 0.09, just under the 2/20 where it would diverge along w₂, gradient "
        "descent zig-zags across the steep direction (each step multiplies w₂ by 1 − 0.09·20 "
        "= −0.8) and crawls along the shallow one (×0.91). Momentum builds speed along the "
        "valley but, carrying its speed, overshoots and swings around the minimum before it "
        "settles; AdaGrad, RMSProp and Adam divide each coordinate's step by the size of its "
        "recent gradients, so the steep and the shallow direction move at a similar pace. On a "
        "quadratic a well-tuned plain gradient descent is hard to beat; the shapes of the paths "
        "are the point.\n\n"
        + slip(
            "the adaptivity update",
            [
                (
                    "s⁽ᵗ⁾",
                    "(−β)s⁽ᵗ⁻¹⁾ + β[∇²_w L(w⁽ᵗ⁾)]",
                    "(1 − β)s⁽ᵗ⁻¹⁾ + β(∇_w L(w⁽ᵗ⁾))²",
                ),
            ],
            "A running average needs weights that sum to 1, as the momentum line above it has: "
            "with (−β), a constant gradient g gives s = βg²/(1 + β) instead of g². And ∇² "
            "reads as the Hessian; RMSProp averages the elementwise square of the gradient.",
        )
        + "\n### Backpropagation\n\n"
        "The notes' forward loop (compute each v_i from its parents) and backward loop "
        "(∂L/∂v_i = Σ over children ∂L/∂v_j·∂v_j/∂v_i) are `embedlab.teach.autograd`, "
        "under a hundred lines; `teach backprop` (notes 003 above) runs it on the exercise's "
        "network.\n\n" + encoders_section() + "\n### PCA\n\n"
        "The derivation worked on the notes' six three-dimensional word vectors, by "
        "`embedlab.pictures.projection.pca`, the projection the maps use:\n\n"
        + block("teach", "pca", "--plot", str(pca_picture.relative_to(ROOT)))
        + "\n![the six vectors on their first two principal components](lectures/pca.png)\n\n"
        "The slide's sanity check holds to rounding error: each kept v⁽ʲ⁾ satisfies "
        "XᵀXv⁽ʲ⁾ = λⱼv⁽ʲ⁾.\n\n"
        + slip(
            "PCA without centring",
            [
                (
                    "first direction",
                    "top eigenvector of XᵀX",
                    "top eigenvector of XᵀX for the centred X (rows minus their mean)",
                ),
                (
                    "on these six vectors",
                    "uncentred: " + vec(pca["uncentred_first"]["vector"]),
                    f"{vec(pca['eigenvectors'][0])}; the uncentred one has cosine "
                    f"{pca['uncentred_first']['cosine_with_mean']:.3f} with the mean",
                ),
            ],
            "vᵀXᵀXv measures variation only around the origin. Word vectors sit far from it, so "
            "without centring the first 'component' points at the mean and says where the "
            "points are, not how they differ.",
        )
    )


def encoders_section() -> str:
    vae = run_json("teach", "vae")
    contrastive = run_json("teach", "contrastive")
    drive = next(r for r in vae["rows"] if r["word"] == "drive")
    notes_run = next(r for r in contrastive["runs"] if r["loss"] == "notes")
    scaled = {s["scale"]: s for s in contrastive["scaled"]}
    pictures = {name: PICTURES / f"{name}.png" for name in ("autoencoder", "vae", "contrastive")}
    return (
        "### Autoencoders\n\n"
        "Notes 004 gives the encoders no worked example, so these three lessons share a toy text "
        "of our own: sixteen sentences that put note 000's vehicles and fruits each among words of "
        "its kind (`embedlab.teach.toy_data.ENCODER_TEXT`; any text can be given instead). Each "
        "lesson builds the method of `embedlab.methods.neural` and drives its own pieces: the "
        "unit PPMI rows it trains on, its initial weights, its epoch loop (one full batch per "
        "step) with the notes' optimizers, its encoder, decoder and losses.\n\n"
        "The activity's two questions. *What loss?* The notes' ‖f(x) − x‖², split into the terms "
        "the method adds (‖f(x)‖² − 2f(x)·x + ‖x‖², the row being unit length); `--loss "
        "multinomial`, the method's default for training, reads the row as a distribution over "
        "contexts instead. *How to make similar words close?* Feed each word its row of context "
        "associations: words used alike have alike rows, and a two-number code that must rebuild "
        "the row gives them alike codes.\n\n"
        + block("teach", "autoencoder", "--plot", str(pictures["autoencoder"].relative_to(ROOT)))
        + "\n![the toy words' two-dimensional codes](lectures/autoencoder.png)\n\n"
        "### Variational autoencoders\n\n"
        "The encoder gives μ and log σ² per word; the decoder rebuilds the row from one draw "
        "z = μ + σε. The table shows that draw (the one the method's next step would take) and the "
        "loss term by term; the line under it checks the mean against the VAE's own loss of the "
        "same draw.\n\n"
        + block("teach", "vae", "--plot", str(pictures["vae"].relative_to(ROOT)))
        + "\n![the toy words' means μ](lectures/vae.png)\n\n"
        + slip(
            "the direction of the VAE's KL term",
            [
                (
                    "regulariser",
                    "λ KL(N(0, I), N(μ, σ))",
                    "λ KL(N(μ, σ²) ‖ N(0, I)) = λ·½Σ(σ² + μ² − 1 − ln σ²)",
                ),
                (
                    "for 'drive' above",
                    f"{drive['notes_kl']:.3f}",
                    f"{drive['kl']:.3f}",
                ),
                (
                    "mean over the toy's words",
                    f"{vae['mean_notes_kl']:.3f}",
                    f"{vae['mean_kl']:.3f}",
                ),
            ],
            "KL is not symmetric. The evidence lower bound penalises KL(q(z|x) ‖ p(z)), the "
            "encoder's distribution against the prior; the slide's order is the other one, "
            "½Σ(1/σ² + μ²/σ² − 1 + ln σ²), a different function of μ and σ, which `teach vae` "
            "prints beside the method's.",
        )
        + "\n### Contrastive learning\n\n"
        "One table f scores both words of a pair, as in the notes. The positives are every (word, "
        "next word) of the toy, each with two noise words drawn from the count^0.75 "
        "distribution; the same start is trained with the method's default InfoNCE, with the "
        "logistic loss of negative sampling, and with the slide's L:\n\n"
        + block("teach", "contrastive", "--plot", str(pictures["contrastive"].relative_to(ROOT)))
        + "\n![mean loss and largest norm per step, for each loss](lectures/contrastive.png)\n\n"
        + slip(
            "the contrastive 'loss'",
            [
                (
                    "L(w)",
                    "Σ f(x)ᵀf(x⁺) − Σ [f(x)ᵀf(x⁻)]²",
                    "an objective to maximise; as a loss, its negative",
                ),
                (
                    "minimised as written, from the toy's start",
                    "hopefully close",
                    f"not finite after {notes_run['diverged_at']} steps; mean s⁺ "
                    f"{notes_run['history'][notes_run['diverged_at'] - 1]['mean_positive']:.3g} "
                    "the step before",
                ),
                (
                    "with f scaled by 8",
                    "—",
                    f"{scaled[8.0]['notes']:.3f} (InfoNCE {scaled[8.0]['infonce']:.3f}, "
                    f"logistic {scaled[8.0]['logistic']:.3f}, both ≥ 0)",
                ),
            ],
            "Minimising the slide's L pushes positive pairs apart, the opposite of 'hopefully "
            "close', and it has no floor: scaling f by t gives t²s⁺ − t⁴Σ(s⁻)², so descent "
            "grows the vectors without limit. Even with the sign fixed it is unbounded as soon as "
            "some f makes every s⁻ zero with Σs⁺ > 0: scaling that f grows the objective as t². "
            "Bounded contrastive losses (InfoNCE, the method's default, or −log σ of the scores "
            "as in word2vec's negative sampling) are at least 0 and settle.",
        )
    )


HEADER = """# The lecture notes, computed

This walk through the five lecture notes embedlab comes from (`shared/seeds`, 000 to 004) runs
every worked example with `embedlab teach`. Every output below is real: the file is regenerated
by `PYTHONPATH=src python tools/build_lectures_doc.py`, which runs each command. The same
functions are in `embedlab.teach` for notebooks. Where a slide disagrees with the math, a
**Slip in the notes** box shows both; the math wins. Where a slide's number differs only by the
rounding of its 3-decimal inputs, a **Rounding, not a slip** box says so.

Numbers are printed to the notes' precision (3 decimals, 4 for the softmax logits); add
`--digits N` for more, `--json` for every digit, `--plot FILE.png` for a picture where one
helps. On a narrow terminal the tables stack vectors one number per line rather than cut them.
"""


def main() -> None:
    sections = [note_000, note_001, note_002, note_003, note_004]
    text = HEADER + "\n" + "".join(s() for s in sections)
    with atomic_write(DOC, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
