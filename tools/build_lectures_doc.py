"""Regenerate docs/lectures.md by running the ``embedlab teach`` commands for real.

Usage (from the repository root)::

    PYTHONPATH=src python tools/build_lectures_doc.py

Every output block in the document is what the command printed in this run. Where a slide and
the math disagree the command prints a note under its numbers; here the block is cut where the
notes start and each note follows as a box, rendered from the same entries the command's
``--json`` carries (``slips``, written once in ``embedlab.teach.slips``). Nothing in a box is
typed here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from embedlab.fileio import atomic_write  # noqa: E402
from embedlab.teach import slips, toy_data  # noqa: E402  (the notes' inputs, for the commands)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "lectures.md"
PICTURES = ROOT / "docs" / "lectures"
#: Where a command's notes start in its terminal output.
NOTES_START = re.compile(r"^(?:" + "|".join(map(re.escape, slips.HEADINGS.values())) + r") \(")


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


def block(*args: str, head: int | None = None, notes: list[dict] | None = None, after="") -> str:
    """The command and its real output, as Markdown; ``after`` (a picture, a paragraph), then
    its notes on the slides as boxes.

    ``notes`` are the command's ``slips`` (from its ``--json``); the console block stops where
    the command starts printing them."""
    lines = run(*args).rstrip("\n").splitlines()
    cut = next((i for i, line in enumerate(lines) if NOTES_START.match(line)), len(lines))
    lines = lines[:cut]
    while lines and not lines[-1].strip():
        lines.pop()
    if head is not None and len(lines) > head:
        lines = lines[:head] + ["…"]
    out = "\n".join(lines)
    text = f"```console\n$ {shell(args)}\n{out}\n```\n" + (f"\n{after}" if after else "")
    return text + "".join("\n" + box(note) for note in notes or [])


def box(note: dict) -> str:
    """A slip entry as a quoted Markdown box: heading, the three-column table, why."""
    cell = lambda text: text.replace("|", "\\|")  # noqa: E731  (|V| inside a table cell)
    mark = "**" if note["kind"] == "slip" else ""
    table = "\n".join(
        f"> | {cell(r['quantity'])} | {cell(r['slide'])} | {mark}{cell(r['computed'])}{mark} |"
        for r in note["rows"]
    )
    header = "| " + " | ".join(note["columns"]) + " |"
    return (
        f"> **{note['heading']} ({note['notes']}): {note['title']}.**\n>\n> {header}\n"
        f"> |---|---|---|\n{table}\n>\n> {note['why']}\n"
    )


def lesson(*args: str, head: int | None = None, after: str = "") -> tuple[str, dict]:
    """``block`` of a command with its notes, and its ``--json`` result."""
    result = run_json(*args)
    notes = result.get("slips", []) if isinstance(result, dict) else []
    return block(*args, head=head, notes=notes, after=after), result


def picture(name: str) -> str:
    PICTURES.mkdir(parents=True, exist_ok=True)
    return str((PICTURES / f"{name}.png").relative_to(ROOT))


# ---------------------------------------------------------------- notes 000


def note_000() -> str:
    first, _ = lesson("teach", "step")
    later, _ = lesson("teach", "step", "--toy", "vehicles-fruits-later")
    return (
        "## Notes 000: the vehicles/fruits updates (Boyd-Graber)\n\n"
        "### One negative-sampling update, by hand and by the trainer\n\n"
        "`teach step` calls the trainer's own `negative_sampling_update` with its trace switched "
        "on. Semantics are word2vec's: each context row changes at once, the focus word's change "
        "is summed over the positive and the negatives and applied after them. The notes' first "
        "update: focus *banana*, positive *lemon*, negative *firetruck*, α = 0.1, context "
        "vectors all zero (each option left out takes these values). Every per-sample number on "
        "the slides is right (z = 0, σ(0) = 0.5, Δc_lemon = 0.1·0.5·(0.046, 0.195) = (0.002, "
        "0.010)); the table after the update is not:\n\n"
        + first
        + '\nThe notes\' second update starts from their "much later" tables (`--toy '
        "vehicles-fruits-later`): focus *firetruck*, positive *backhoe*, negative *crane*:\n\n"
        + later
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
    args = ("teach", "train-toy", "--epochs", "200", "--plot", picture("train_toy"))
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
    cosine, _ = lesson("teach", "cosine")
    analogy = block("teach", "analogy")
    white_cat, _ = lesson("teach", "pairs", toy_data.WHITE_CAT, "--window", "2", head=30)
    shivas, _ = lesson("teach", "pairs", "--mode", "next-word")
    return (
        "\n## Notes 001: one-hot, cosine, windows, the softmax, negative sampling (CS109B)\n\n"
        "### One-hot vectors, and one-hot × E\n\n"
        "Both of the notes' examples: notes 001's *cat* and *dog* as one-hot vectors of length "
        '8, which share no position and so have cosine 0 whatever the words mean ("similarities '
        "between words cannot be established\"), and notes 003's one-hot vector times the "
        "embedding matrix, which is the matrix's row (why training code indexes the row):\n\n"
        + block("teach", "onehot")
        + "\n### Cosine similarity: the personality example\n\n"
        "The Big-5 table's first column is Pavlos, then options A, B and C. Any vectors work "
        "too: `embedlab teach cosine --vector me=1,2,3 --vector you=2,2,2`.\n\n"
        + cosine
        + "\n### An analogy on toy vectors\n\n"
        'The notes state "king − man + woman ∼ queen" without vectors; on a three-dimensional '
        "toy (royalty, maleness, person) the query code answers it (3CosAdd, the query words "
        "left out; `--vector NAME=...` for your own). 3CosAdd scales each word to length 1 "
        "before adding, so it ranks by the cosine with unit(king) − unit(man) + unit(woman), "
        "not with the raw sum the notes write; the command prints both vectors and each "
        "answer's cosine with each. The raw sum is queen exactly (cosine 1.000); the vector "
        "3CosAdd ranks by is not, so queen scores 0.989 there and still comes first:\n\n"
        + analogy
        + "\n### Sliding windows: the training examples (also notes 003)\n\n"
        "With no sentence, `teach pairs` takes the notes' own: for skip-gram notes 003's "
        f'"{fox}", whose table (windows 1 to 4, then the part the slide elides) it '
        "reproduces:\n\n"
        + block("teach", "pairs", head=22)
        + "\nNotes 001's skip-gram slide, around *by* and *a*:\n\n"
        + white_cat
        + "\nTwo inputs, one output: notes 001's sliding-window table (the default sentence for "
        "`--mode next-word` and `--mode cbow`):\n\n"
        + shivas
        + "\nword2vec's CBOW, for comparison:\n\n"
        + block("teach", "pairs", "--mode", "cbow", "--window", "1")
        + "\nword2vec samples a smaller window for each position (`--dynamic`, the same "
        "generator the trainer uses, so a seed reproduces it):\n\n"
        + block("teach", "pairs", "--window", "2", "--dynamic", "--seed", "1", head=16)
        + negatives_section()
        + "\n### What to keep after training (also notes 003)\n\n"
        "Notes 001 keep the embedding matrix and discard the context matrix; notes 003 list "
        "W alone, the concatenation W ⊕ W', or the sum or average. On the notes' 'much later' "
        "toy tables, by `Embeddings.combined`:\n\n"
        + block("teach", "keep")
        + "\nAll four separate the kinds on this toy, the sum most; which is best on real data "
        "is an empirical question (`embedlab train --combine` offers each).\n"
        + huffman_section()
        + exercise_section()
    )


def negatives_section() -> str:
    sigmoid, _ = lesson("teach", "sigmoid")
    runs = run_json("teach", "negatives")["positives_only"]["runs"]
    cross = {name: history[-1]["sigma_unrelated"] for name, history in runs.items()}
    return (
        "\n### Negative sampling: the training set, the noise, and why negatives are needed\n\n"
        "σ of the notes' dot products, by the trainer's `sigmoid`:\n\n"
        + sigmoid
        + "\n`teach negatives` builds the notes' training set with the trainer's window "
        "generator and its `draw_negatives` (a negative equal to the observed word is dropped, "
        "as word2vec does), shows the count^0.75 noise table beside the raw unigram one, and "
        "trains the toy with and without negatives by the trainer's update:\n\n"
        + block("teach", "negatives", "--plot", picture("negatives"))
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


def exercise_section() -> str:
    text = block("teach", "analogy-exercise")
    return (
        "\n### The exercise: awesome − eagle + person\n\n"
        'The notes end with "use the embeddings to answer: awesome − eagle + person = ?" and '
        "give no embeddings. `teach analogy-exercise` trains skip-gram (one thread, seeded, "
        "five epochs) on the sample corpus embedlab ships, about 1.5 M words of Gutenberg books "
        "and WikiText-2, and asks the query code:\n\n"
        + text
        + "\nThe corpus can answer for *eagle* and *person*, and cannot for *awesome*: its "
        "books were written between 1599 and 1914 and its Wikipedia articles are formal, so the "
        "word is nearly absent, and a word seen fewer than `--min-count` times gets no vector "
        "(its few contexts cannot place one). `--min-count` lowered to its count gives it a "
        "vector from those few contexts, which says little; the honest answer is that this "
        "corpus does not know the word. Any other three words work "
        "(`embedlab teach analogy-exercise man king woman`), and `--corpus FILE` trains on "
        "your own text.\n"
    )


# ---------------------------------------------------------------- notes 002


def note_002() -> str:
    pmi, _ = lesson("teach", "pmi")
    params, _ = lesson("teach", "params", "--vocab", "101425", "--dim", "300", "--negative", "5")
    gradcheck, _ = lesson("teach", "gradcheck", "--seed", "0")
    return (
        "\n## Notes 002: co-occurrence, PMI, PPMI, SVD, word2vec's gradients (COS 484)\n\n"
        "### Co-occurrence, PMI and PPMI\n\n"
        "The I/like/dogs table (rows: targets, columns: contexts). PMI uses the natural log, "
        "as the notes' 0.18 and 0.65 do: ln(6/5) = 0.18 and ln(48/25) = 0.65, so the notes' "
        "PMI and PPMI tables are right:\n\n"
        + pmi
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
        + params
        + "\n### The gradients of SGNS and of the softmax (also notes 001)\n\n"
        "Three numbers for each gradient: the trainer's update run with α = 1 (so it is exactly "
        "minus the gradient), the notes' closed forms — (σ(u·v_c) − 1)v_c + Σσ(u·v_ci)v_ci, "
        "(σ(u·v_c) − 1)u and σ(u·v_cj)u; for the softmax −(u_o − Σ_j P(j|c)u_j) — and central "
        "finite differences of the loss. The notes' formulas are right:\n\n"
        + gradcheck
        + "\n### Matrix calculus\n\n"
        "The notes list five rules and leave them unchecked. `teach matrix-calculus` evaluates "
        "each on random x and W and sets it beside central differences of the function itself; "
        "for the two rules about a scalar L it uses the softmax cross-entropy −log softmax(z)₀, "
        "word2vec's full-softmax loss. All five hold, with the notes' layout: ∂z/∂x has one row "
        "per output, so z = xW gives Wᵀ, and ∂L/∂z is a row:\n\n"
        + block("teach", "matrix-calculus")
    )


# ---------------------------------------------------------------- notes 003


def note_003() -> str:
    backprop, _ = lesson("teach", "backprop")
    softmax, _ = lesson("teach", "softmax-loss")
    return (
        "\n## Notes 003: backpropagation, the softmax loss, SGNS as factorization (Mannheim)\n\n"
        "### σ′(x) = σ(x)(1 − σ(x))\n\n"
        "The notes derive it in five lines from e^−x/(1 + e^−x)². `teach sigmoid-derivative` "
        "evaluates the first line and the last beside a central difference, at the points "
        "where the backpropagation exercise below needs σ′ (its units' inputs 1 and 4, and its "
        "outputs' inputs 2·0.7311 and 2·0.9820):\n\n"
        + block("teach", "sigmoid-derivative")
        + "\n### The backpropagation exercise\n\n"
        "Three inputs, two sigmoid hidden units, two sigmoid outputs, every weight 1, learning "
        "rate 1, two examples. `teach backprop` computes the gradients with embedlab's own small "
        "reverse-mode autograd (`embedlab.teach.autograd`, the backward loop of notes 004) and "
        "checks them against finite differences and the notes' closed forms; the deltas are the "
        "numbers the slide's arithmetic uses. The forward pass matches the slides (h = 0.73 and "
        "0.98, y = 0.81 and 0.88):\n\n"
        + backprop
        + "\n### The full-softmax loss for Frodo → ring\n\n"
        "The probabilities and the loss come from the trainer's `full_softmax_update`; the last "
        "line is the gradient that reaches the source row w_Frodo. The logits match the notes "
        "to all four decimals; the sum does not:\n\n" + softmax + sgns_pmi_section()
    )


def sgns_pmi_section() -> str:
    args = (
        "teach",
        "sgns-pmi",
        "--dim",
        "100",
        "--epochs",
        "30",
        "--negative",
        "5",
        "--plot",
        picture("sgns_pmi"),
    )
    # its notes are about the derivation, the same for any run: read from the one source
    after = (
        "![w·c against PMI − ln k](lectures/sgns_pmi.png)\n\n"
        "The correlation measures the claim; a slope a of 1 and an intercept b of 0 would be "
        "the derivation's optimum exactly. It treats each w·c as a free parameter, while a "
        "d-dimensional model shares vectors between pairs and training stops after a few "
        "epochs, so some gap remains.\n"
    )
    text = block(*args, notes=slips.as_dicts(slips.sgns_pmi()), after=after)
    return (
        "\n### Does SGNS factorize the shifted PMI matrix?\n\n"
        "The notes derive that at the optimum w·c = PMI(w, c) − ln k. `teach sgns-pmi` trains "
        "the real skip-gram in the derivation's setting (no subsampling, a fixed window, "
        "negatives drawn in proportion to counts: `--ns-exponent 1`) and compares, over the "
        "pairs seen at least 5 times. With no corpus named it trains on *Hamlet* (Project "
        "Gutenberg, public domain, about 30,000 words), which embedlab ships:\n\n" + text
    )


# ---------------------------------------------------------------- notes 004


def note_004() -> str:
    optimizers, _ = lesson(
        "teach",
        "optimizers",
        "--plot",
        picture("optimizers"),
        after="![optimizer paths on the toy loss](lectures/optimizers.png)\n",
    )
    pca, _ = lesson(
        "teach",
        "pca",
        "--plot",
        picture("pca"),
        after="![the six vectors on their first two principal components](lectures/pca.png)\n",
    )
    return (
        "\n## Notes 004: optimizers, backprop, autoencoders, KL, contrastive learning, PCA\n\n"
        "### Optimizers\n\n"
        "The notes give the update rules but no loss to run them on. Gradient descent, "
        "momentum, AdaGrad, RMSProp (the notes' 'adaptivity') and Adam run here on a "
        "stretched bowl L(w) = ½(w₁² + 20·w₂²) from (−4, 1.5), each with its own learning "
        "rate. The running averages use the notes' convention, β weighting the newest term:\n\n"
        + optimizers
        + "\nWith its rate at 0.09, just under the 2/20 where it would diverge along w₂, "
        "gradient descent zig-zags across the steep direction (each step multiplies w₂ by "
        "1 − 0.09·20 = −0.8) and crawls along the shallow one (×0.91). Momentum builds speed "
        "along the valley but, carrying its speed, overshoots and swings around the minimum "
        "before it settles; AdaGrad, RMSProp and Adam divide each coordinate's step by the size "
        "of its recent gradients, so the steep and the shallow direction move at a similar "
        "pace. On a quadratic a well-tuned plain gradient descent is hard to beat; the shapes "
        "of the paths are the point.\n\n"
        "### Backpropagation\n\n"
        "The notes' forward loop (compute each v_i from its parents) and backward loop "
        "(∂L/∂v_i = Σ over children ∂L/∂v_j·∂v_j/∂v_i) are `embedlab.teach.autograd`, "
        "under a hundred lines; `teach backprop` (notes 003 above) runs it on the exercise's "
        "network.\n\n" + encoders_section() + "\n### PCA\n\n"
        "The derivation worked on the notes' six three-dimensional word vectors, by "
        "`embedlab.pictures.projection.pca`, the projection the maps use. The slide's sanity "
        "check holds to rounding error: each kept v⁽ʲ⁾ satisfies XᵀXv⁽ʲ⁾ = λⱼv⁽ʲ⁾. The notes "
        "never centre X:\n\n" + pca
    )


def encoders_section() -> str:
    vae, _ = lesson(
        "teach",
        "vae",
        "--plot",
        picture("vae"),
        after="![the toy words' means μ](lectures/vae.png)\n",
    )
    gaussian = run_json("teach", "kl")["gaussian"]["directions"]
    contrastive, _ = lesson(
        "teach",
        "contrastive",
        "--plot",
        picture("contrastive"),
        after="![mean loss and largest norm per step, for each loss](lectures/contrastive.png)\n",
    )
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
        + block("teach", "autoencoder", "--plot", picture("autoencoder"))
        + "\n![the toy words' two-dimensional codes](lectures/autoencoder.png)\n\n"
        "### Variational autoencoders\n\n"
        "The encoder gives μ and log σ² per word; the decoder rebuilds the row from one draw "
        "z = μ + σε. The table shows that draw (the one the method's next step would take) and the "
        "loss term by term; the line under it checks the mean against the VAE's own loss of the "
        "same draw.\n\n" + vae + "\n### KL(p‖q) = H(p, q) − H(p)\n\n"
        "The notes state the identity behind the VAE's regulariser without checking it. "
        "`teach kl` sums the cross-entropy, the entropy and the KL divergence each on its own, "
        "both ways round, for notes 001's words (their unigram distribution against word2vec's "
        "count^0.75 noise) and for the notes' Gaussians, the prior N(0, I) against an encoder's "
        "N(μ, σ²) (the notes give no μ or σ; `--mu`, `--sigma`), whose integrals are sums on a "
        "fine grid beside the closed form:\n\n"
        + block("teach", "kl")
        + "\nThe identity holds to rounding in every case. On the sentence, word2vec's noise is "
        "close to the unigram distribution (one word repeats), so both divergences are small; "
        f"for the Gaussians the two directions give {gaussian[0]['kl']:.3f} and "
        f"{gaussian[1]['kl']:.3f}, which is why the VAE's direction matters.\n\n"
        "### Contrastive learning\n\n"
        "One table f scores both words of a pair, as in the notes. The positives are every (word, "
        "next word) of the toy, each with two noise words drawn from the count^0.75 "
        "distribution; the same start is trained with the method's default InfoNCE, with the "
        "logistic loss of negative sampling, and with the slide's L:\n\n" + contrastive
    )


HEADER = """# The lecture notes, computed

This walk through the five lecture notes embedlab comes from (`shared/seeds`, 000 to 004) runs
every worked example with `embedlab teach`, in the notes' order; `embedlab teach` alone lists
the lessons the same way, one line each. Every output below is real: the file is regenerated
by `PYTHONPATH=src python tools/build_lectures_doc.py`, which runs each command. The same
functions are in `embedlab.teach` for notebooks.

Where a slide disagrees with the math, the command prints a note under its numbers, and this
page shows the same note as a **Slip in the notes** box after the command's output (both come
from `embedlab.teach.slips`, and `--json` carries them as `slips`); the math wins. A
**Rounding, not a slip** box marks a slide number that differs only by the rounding of its
inputs, and a **Not a slip** box a difference that is a convention rather than an error.

Numbers are printed to the notes' precision (3 decimals, 4 for the softmax logits); add
`--digits N` for more, `--json` for every digit, `--plot FILE.png` for a picture where one
helps. On a narrow terminal words wrap and a table too wide for it is printed in parts; a
number or a vector is never cut.
"""


def main() -> None:
    sections = [note_000, note_001, note_002, note_003, note_004]
    text = HEADER + "\n" + "".join(s() for s in sections)
    with atomic_write(DOC, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
