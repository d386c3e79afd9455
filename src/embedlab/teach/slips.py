"""Where the lecture notes and the math disagree: one table for the terminal and the docs.

A lesson that reproduces one of the notes' worked examples attaches the notes' slips to its
result (``result["slips"]``, so ``--json`` carries them); ``embedlab teach`` prints them under
the numbers and ``tools/build_lectures_doc.py`` renders the same entries as boxes in
``docs/lectures.md``. Each entry sets what the slide says (typed here from ``shared/seeds``)
beside what the lesson computed (read from its result), with one line of why. Three kinds:

- ``slip``: the slide is wrong; the math wins;
- ``rounding``: the slide's number differs only by the rounding of its inputs;
- ``not a slip``: a difference that is a convention, not an error (said so, since it looks
  like one).

Every builder returns ``[]`` unless the result is the notes' own example, since a slide's
number only disagrees with the computation it shows.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from embedlab.teach import toy_data

HEADINGS = {
    "slip": "Slip in the notes",
    "rounding": "Rounding, not a slip",
    "not a slip": "Not a slip",
}
MATH = "the math gives"
MEANING = "what it means here"


@dataclass(frozen=True)
class Slip:
    """One difference between a slide and the math: rows of (quantity, slide, computed)."""

    kind: str
    notes: str
    title: str
    rows: tuple[tuple[str, str, str], ...]
    why: str
    computed: str = MATH

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "heading": HEADINGS[self.kind],
            "notes": self.notes,
            "title": self.title,
            "columns": ["quantity", "the slide says", self.computed],
            "rows": [
                {"quantity": q, "slide": slide, "computed": computed}
                for q, slide, computed in self.rows
            ],
            "why": self.why,
        }


def as_dicts(slips) -> list[dict]:
    return [s.as_dict() for s in slips]


def _vec(values, digits: int = 3) -> str:
    return "(" + ", ".join(f"{v:.{digits}f}" for v in values) + ")"


def _input_range(f, values, half: float = 0.0005) -> tuple[float, float]:
    """min and max of ``f`` over the box of inputs each within ``half`` of ``values`` (its
    corners: the expressions here are monotone in each input over so small a box)."""
    results = [
        f(*(v + half * s for v, s in zip(values, signs, strict=True)))
        for signs in itertools.product((-1, 1), repeat=len(values))
    ]
    return min(results), max(results)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# ---------------------------------------------------------------- notes 000


def step(toy: str | None, result: dict) -> list[Slip]:
    """The notes' two worked updates (``toy`` names the starting tables, None for others)."""
    if toy == "vehicles-fruits":
        return [_equations(), _first_table(result)]
    if toy == "vehicles-fruits-later":
        return [_later_rounding(result), _later_tables(result)]
    return []


def _equations() -> Slip:
    return Slip(
        "slip",
        "000",
        "the update equations as first written",
        (
            ("eq. (3)", "w*_focus = α E_s c_s", "Δw_focus = α E_s c_s (a change: w + Δw is new)"),
            ("eq. (4)", "printed twice, once as Δc", "once: Δc_s = α E_s w_focus"),
            ("α in the slide headers", "0.3, 0.1₅ (later 0.7)", "0.1, as every product uses"),
        ),
        "The first slide names the focus word's change w*, as if it were the new vector, and "
        "repeats (4); the restated (5)-(8) have Δw_focus and Δc_s, which is what the trainer "
        "computes and this table prints. Every multiplication on the slides uses α = 0.10.",
    )


def _first_table(result: dict) -> Slip:
    ctx = result["context_vectors"]
    return Slip(
        "slip",
        "000",
        "the context table after the first update",
        (
            ("c_lemon", "(0.005, 0.019)", _vec(ctx["lemon"])),
            ("c_backhoe", "(-0.002, -0.010)", _vec(ctx["backhoe"])),
            ("c_firetruck (right)", "(-0.002, -0.010)", _vec(ctx["firetruck"])),
        ),
        "Lemon got its update twice on the slide, and backhoe, which took no part, got "
        "firetruck's.",
    )


def _later_rounding(result: dict) -> Slip:
    positive, negative = result["rows"][:2]
    inputs_backhoe = (-0.830, 0.094, -0.984, -0.379)
    inputs_crane = (-0.830, 0.094, -1.258, -0.188)
    dot = lambda a, b, x, y: a * x + b * y  # noqa: E731
    crane_x = lambda a, b, x, y: x + 0.1 * (0 - _sigmoid(a * x + b * y)) * a  # noqa: E731
    span = lambda lo, hi: f"{lo:.5f} to {hi:.5f}"  # noqa: E731
    crane_after = result["context_vectors"]["crane"][0]
    return Slip(
        "rounding",
        "000",
        "the second update's z values and c_crane",
        (
            (
                "z = w_firetruck·c_backhoe",
                "0.780",
                f"{positive['z']:.6f}; {span(*_input_range(dot, inputs_backhoe))}",
            ),
            (
                "z = w_firetruck·c_crane",
                "1.025",
                f"{negative['z']:.6f}; {span(*_input_range(dot, inputs_crane))}",
            ),
            (
                "c_crane after, first entry",
                "-1.196",
                f"{crane_after:.6f}; {span(*_input_range(crane_x, inputs_crane))}",
            ),
        ),
        "The slide's tables print 3 decimals of numbers that had more; each of these values "
        "lies inside the range its rounded inputs allow, so the slide may well have computed "
        "them from the unrounded vectors.",
        "exact from its 3-decimal inputs (range when each input is anywhere within ±0.0005)",
    )


def _later_tables(result: dict) -> Slip:
    positive, negative = result["rows"][:2]
    ctx = result["context_vectors"]
    return Slip(
        "slip",
        "000",
        "the tables after the second update",
        (
            ("w_firetruck after", "(-0.833, 0.086)", _vec(result["word_vectors"]["firetruck"])),
            ("c_backhoe after", "(-1.035, -0.373)", _vec(ctx["backhoe"])),
            ("c_lemon after (not in this update)", "(1.110, -0.083)", _vec(ctx["lemon"])),
        ),
        f"E, Δw and Δc on the slides are right to 3 decimals (E = {positive['error']:.3f} and "
        f"{negative['error']:.3f}); the new w_firetruck is w + Δw_backhoe + Δw_crane = "
        f"(-0.830, 0.094) + {_vec(positive['delta_focus'])} + {_vec(negative['delta_focus'])}. "
        "Backhoe moved by about twice its Δc on the slide, and lemon was not touched.",
    )


# ---------------------------------------------------------------- notes 001


def cosine(result: dict) -> list[Slip]:
    """The personality example's three cosine similarities."""
    got = {r["name"]: r["cosine"] for r in result["similarities"]}
    return [
        Slip(
            "slip",
            "001",
            "the three cosine similarities",
            (
                ("most similar", "0.987", f"{got['C']:.3f} (C)"),
                ("second", "0.912", f"{got['A']:.3f} (A)"),
                ("third", "0.826", f"{got['B']:.3f} (B, right)"),
            ),
            "No two columns of the table have cosine 0.912; A and C are almost tied.",
        )
    ]


def pairs(text: str, mode: str, window: int) -> list[Slip]:
    """The sliding-window slides: the Shivas tables, and 'a window size (here 4)'."""
    if text == toy_data.SHIVAS and mode == "next-word" and window == 2:
        return [_heading_sentence(), _cbow_table()]
    if text == toy_data.WHITE_CAT and mode == "skipgram" and window == 2:
        return [_window_size()]
    return []


def _heading_sentence() -> Slip:
    return Slip(
        "slip",
        "001",
        "the sentence above the sliding-window tables",
        (
            (
                "the heading's sentence",
                "The dog was chased by a cat as",
                "the table's: Shivas was chased by a cat as",
            ),
            ("the first example", "(from the heading) The, dog → was", "Shivas, was → chased"),
        ),
        "The 'How do we set up a training set?' slides (and the CBOW one) write 'The dog ...' "
        "above a table that slides over 'Shivas ...'; the rows they show (was, chased → by) fit "
        "both, the first window does not.",
    )


def _cbow_table() -> Slip:
    return Slip(
        "slip",
        "001",
        "the 'CBOW' dataset table",
        (
            ("rows 1-2, the middle word", "was hit by / hit by a", "was chased by / chased by a"),
            ("the table's name", "CBOW", "next-word examples; CBOW predicts the centre"),
        ),
        "'hit' is not in the sentence. The table predicts the next word from the two before "
        "it, a language model's examples; word2vec's CBOW predicts the centre word from the "
        "words on both sides (--mode cbow).",
    )


def _window_size() -> Slip:
    return Slip(
        "not a slip",
        "001",
        "'a window size (here 4)'",
        (("window", "size 4", "2 words on each side (--window 2)"),),
        "The slide counts the four context words; word2vec's window, and --window here, counts "
        "one side. The table (by → was, chased, a, white) is two on each side.",
        MEANING,
    )


def sigmoid(scores) -> list[Slip]:
    """The negative-sampling table: its column is σ, the label-0 rows need 1 − σ."""
    if tuple(scores) != (-1.11, 0.2, 0.74):
        return []
    flipped = [1 - _sigmoid(z) for z in (-1.11, 0.74)]
    return [
        Slip(
            "slip",
            "001",
            "the negative-sampling table's probabilities",
            (
                ("Sigmoid() of -1.11, 0.2, 0.74", "0.25, 0.55, 0.68", "0.25, 0.55, 0.68 (right)"),
                (
                    "P(label 0) for bigfoot, zomato",
                    "0.25, 0.68 (σ)",
                    f"1 − σ(z) = {flipped[0]:.2f}, {flipped[1]:.2f}",
                ),
                (
                    "the scores of bigfoot, by, zomato",
                    "-1.11, 0.2, 0.74",
                    "the positives' table's, for cat, by, white",
                ),
            ),
            "The column matches its 'Sigmoid()' header; the slip is that the text above says "
            "the negatives' probabilities are sigmoids subtracted from 1 and the table shows σ "
            "for them anyway, with the previous table's scores copied onto new words.",
        )
    ]


# ---------------------------------------------------------------- notes 002


def pmi(result: dict) -> list[Slip]:
    """The I/like/dogs table: one slide's 1/2, and notes 003's 'PMI ∝ ...'."""
    if result["words"] != list(toy_data.COOCCURRENCE_WORDS) or result["contexts"] != list(
        toy_data.COOCCURRENCE_WORDS
    ):
        return []
    if not np.array_equal(result["counts"], toy_data.COOCCURRENCE_COUNTS):
        return []
    counts = np.asarray(result["counts"])
    t, c = result["words"].index("like"), result["contexts"].index("dogs")
    plain = result["pmi"][t][c]
    total = float(counts.sum())
    without_total = math.log(counts[t, c] / (counts[t].sum() * counts[:, c].sum()))
    return [
        Slip(
            "slip",
            "002",
            "the 'if independent' joint table",
            (("p(dogs, I)", "1/2", f"1/12 = {result['joint'][2][0]:.3f} (10 of 120)"),),
            "Only that one slide has 1/2; the table before and after it has 1/12.",
        ),
        Slip(
            "slip",
            "003",
            "'PMI ∝ log #(w,c)|V| / (#(w)#(c))'",
            (
                ("relation", "∝ (proportional)", "= … + a constant (an additive shift)"),
                (
                    "(like, dogs): log #/(#·#)",
                    "∝ PMI",
                    f"{without_total:.3f} = {plain:.3f} − ln {total:g}",
                ),
            ),
            "log(a·N) = log a + log N: a constant factor inside the log adds a constant to every "
            "cell, so ranks and differences survive and ratios do not; and the constant that "
            "makes it the PMI is the number of pairs |D|, not |V|.",
        ),
    ]


def params(result: dict) -> list[Slip]:
    """Notes 002's parameter counts (symbolic, so they hold for any |V|, d and K)."""
    vocab, dim, k = result["vocab"], result["dim"], result["negative"]
    softmax = result["touched_per_update"]["full_softmax"]
    sampled = result["touched_per_update"]["negative_sampling"]
    return [
        Slip(
            "slip",
            "002",
            "the parameters one full-softmax pair updates",
            (("for one pair (t, c)", f"2d|V| = {2 * dim * vocab:,}", f"(|V| + 1)d = {softmax:,}"),),
            "The loss of one pair depends on the target's u_t and on every context vector v_c' "
            "in the softmax's denominator; the other |V| − 1 target vectors get no gradient. "
            "2d|V| is the whole model.",
        ),
        Slip(
            "slip",
            "002",
            "the negative-sampling loss's sum of expectations",
            (
                (
                    "negative term",
                    "Σ_{i=1..K} E_{c_i∼V} log σ(−u_t·v_ci)",
                    "Σ_{i=1..K} log σ(−u_t·v_ci) over K drawn words, or K·E_{c∼P} log σ(−u_t·v_c)",
                ),
                (
                    "parameters in the loss",
                    f"(K + 2)d = {sampled:,}",
                    f"{sampled:,} for the drawn sum; {softmax:,} for the expectation",
                ),
            ),
            "Inside an expectation c_i is no longer a drawn word, and each of the K terms is "
            "the same number; written with E the loss depends on every context vector, so the "
            "quick poll's (K + 2)d counts the sampled loss, which is what training computes.",
        ),
        Slip(
            "slip",
            "002",
            "the vectors in one negative-sampling loss",
            (
                (
                    "vectors counted in (K + 2)d",
                    "u_t, v_t, v_c1, …, v_cK",
                    "u_t, v_c, v_c1, …, v_cK",
                ),
            ),
            f"The count (K + 2)d = {sampled:,} (K = {k}) is right; the list names the target's "
            "context vector v_t where the loss uses the observed context's v_c.",
        ),
    ]


def gradcheck() -> list[Slip]:
    """The two courses' names for the same two vectors."""
    return [
        Slip(
            "not a slip",
            "001, 002",
            "u and v in notes 001 and 002",
            (
                ("the centre (target) word's vector", "001: v_c; 002: u_t", "W, the word vectors"),
                ("the context word's vector", "001: u_o; 002: v_c", "W', the context vectors"),
            ),
            "Two courses, two conventions, each consistent: formulas copied from one into the "
            "other swap the matrices. The rows above name the SGNS gradients as 002's Q2 does "
            "and the softmax's as 001 does.",
            MEANING,
        )
    ]


# ---------------------------------------------------------------- notes 003


def backprop(result: dict) -> list[Slip]:
    """The backpropagation exercise (every weight 1, learning rate 1)."""
    if result["learning_rate"] != 1.0:
        return []
    h, y = np.round(result["H"], 2), np.round(result["Y"], 2)
    # the slide's own arithmetic with its two-decimal h and y
    rounded = 1 + 0.5 * (
        (1 - y[0, 1]) * y[0, 1] * (1 - y[0, 1]) * h[0, 0]
        + (0 - y[1, 1]) * y[1, 1] * (1 - y[1, 1]) * h[1, 0]
    )
    w1 = result["w1_22"]
    return [
        Slip(
            "rounding",
            "003",
            "the update of w⁽²⁾₁,₂",
            (("w⁽²⁾₁,₂ after", "0.965", f"{result['w2_12']['after']:.5f}; {rounded:.5f}"),),
            "The slide carries h and y to two decimals; its own arithmetic with those gives "
            "its 0.965, the unrounded values give the column 'after' above.",
            "exact; from the slide's two-decimal h and y",
        ),
        Slip(
            "slip",
            "003",
            "the update of w⁽¹⁾₂,₂",
            (("w⁽¹⁾₂,₂ after one update", "0.99987", f"{w1['after']:.5f}"),),
            "The slide writes the output deltas as (t − y)·y·(1 − h), (1 − 0.98) where the rule "
            "it derived has (1 − y) = (1 − 0.88).",
        ),
        Slip(
            "slip",
            "003",
            "the sign of the square-error loss",
            (
                ("L", "−½(1/N)ΣΣ(t − y)²", "½(1/N)ΣΣ(t − y)²"),
                (
                    "L at the start",
                    f"{result['loss_as_written']:.4f} (as written)",
                    f"{result['loss']:.4f}",
                ),
            ),
            "With the minus, L is largest where the fit is worst and the notes' update "
            "w := w + (1/N)Σδh would climb it; that update is gradient descent on the loss "
            "without the minus, which is what the autograd column differentiates.",
        ),
        Slip(
            "slip",
            "003",
            "the derivation's indices",
            (
                (
                    "2nd line of ∂L/∂w⁽²⁾₁,₂",
                    "(−1) on the first term only",
                    "(−1) on both terms, or on neither",
                ),
                (
                    "the sum over outputs in ∂L/∂w⁽¹⁾₂,₂",
                    "Σ_{l=2}^{2}",
                    f"Σ_{{l=1}}^{{2}}; l = 2 alone gives {w1['output_2_only']:.6f}, "
                    f"not {w1['gradient']:.6f}",
                ),
            ),
            "The chain rule's −1 from ∂(t − y)/∂y belongs to every term (it cancels the leading "
            "minus); both outputs depend on h₂, so both terms stay, as the slide's next line "
            "has them.",
        ),
        Slip(
            "slip",
            "003",
            "the vectorised unit",
            (
                (
                    "unit i of layer k",
                    "h_i⁽ᵏ⁾ = f(h_(k−1)ᵀ w_k)",
                    "h_i⁽ᵏ⁾ = f(h⁽ᵏ⁻¹⁾ᵀ w_i⁽ᵏ⁾); a layer: h⁽ᵏ⁾ = f(W⁽ᵏ⁾ h⁽ᵏ⁻¹⁾)",
                ),
            ),
            "w_k drops the unit's index i, as if every unit of layer k had the same weights. "
            "Here h = σ(x W⁽¹⁾), W⁽¹⁾[i, j] joining input i to unit j, as the exercise indexes it.",
        ),
    ]


def softmax_loss(result: dict, notes_example: bool) -> list[Slip]:
    """Frodo → ring: the cross-entropy sum, who gets gradient, and 'cosine similarity'."""
    if not notes_example:
        return []
    exps = dict(zip(result["words"], result["exp_logits"], strict=True))
    rows_moved = len(result["parameters_with_gradient"]["W_prime"]["rows"])
    return [
        Slip(
            "slip",
            "003",
            "the cross-entropy loss",
            (
                (
                    "terms of Σ exp(logit)",
                    "2.49 + 1.81 + 3.58 + 2.59 + 2.10 (five)",
                    " + ".join(f"{exps[w]:.2f}" for w in result["words"]) + " (six)",
                ),
                ("ln Σ exp(logit)", "2.53", f"{result['log_sum_exp']:.2f}"),
                ("loss = −0.9265 + ln Σ", "1.60", f"{result['loss']:.2f}"),
            ),
            f"The slide leaves out ring's own term exp(0.9265) = {exps['ring']:.2f}; the "
            "softmax's denominator sums over every word, the target included.",
        ),
        Slip(
            "slip",
            "003",
            "which parameters a full-softmax update changes",
            (("rows of W' with gradient", "every row but the source word's", f"all {rows_moved}"),),
            "Every context vector, the source's own included, is in the denominator, so each "
            "gets gradient (p_j − 1[j = target])·w_source.",
        ),
        Slip(
            "slip",
            "001",
            "'cosine similarity' for u_oᵀv_c",
            (
                ("what exp(u_oᵀv_c) exponentiates", '"cosine similarity"', "the dot product"),
                (
                    "Frodo → ring here",
                    "(called a cosine)",
                    f"dot {result['logits'][2]:.4f}, cosine {result['target_cosine']:.4f}",
                ),
            ),
            "The two agree only for unit vectors; word2vec's vectors are not normalised, and "
            "their lengths carry frequency information the softmax uses.",
        ),
    ]


def sgns_pmi() -> list[Slip]:
    """The factorization derivation's notation."""
    return [
        Slip(
            "slip",
            "003",
            "the derivation's notation",
            (
                ("Eq. 1-4, negative term", "log(−w_w·w_i)", "log σ(−w_w·w_i)"),
                (
                    "noise distribution",
                    '"uniform", P(c) = #(c)/|V|',
                    "unigram, P(c) = #(c)/|D| (|D|: corpus size)",
                ),
            ),
            "With #(c)/|V| the probabilities do not sum to 1; with |D| the optimum is "
            "ln(#(w,c)·|D| / (#(w)·#(c))) − ln k, the PMI shifted by ln k as the notes conclude.",
        )
    ]


# ---------------------------------------------------------------- notes 004


def optimizers(result: dict) -> list[Slip]:
    """The 'adaptivity' line, when RMSProp (its correct form) is run."""
    if not any(r["name"] == "rmsprop" for r in result["runs"]):
        return []
    beta = result["beta"]
    return [
        Slip(
            "slip",
            "004",
            "the adaptivity update",
            (
                ("s⁽ᵗ⁾", "(−β)s⁽ᵗ⁻¹⁾ + β[∇²_w L(w⁽ᵗ⁾)]", "(1 − β)s⁽ᵗ⁻¹⁾ + β(∇_w L(w⁽ᵗ⁾))²"),
                ("s for a constant gradient g", f"βg²/(1 + β) = {beta / (1 + beta):.4f}·g²", "g²"),
            ),
            "A running average needs weights that sum to 1, as the momentum line above it has; "
            "and ∇² reads as the Hessian, where RMSProp averages the gradient's square.",
        )
    ]


def vae(result: dict, toy_text: bool) -> list[Slip]:
    """The KL term's direction, and one z for two distributions."""
    rows = [
        ("regulariser", "λ KL(N(0, I), N(μ, σ))", "λ KL(N(μ, σ²) ‖ N(0, I))"),
        ("mean over the words here", f"{result['mean_notes_kl']:.3f}", f"{result['mean_kl']:.3f}"),
    ]
    if toy_text:
        drive = next(r for r in result["rows"] if r["word"] == "drive")
        rows.insert(1, ("for 'drive'", f"{drive['notes_kl']:.3f}", f"{drive['kl']:.3f}"))
    return [
        Slip(
            "slip",
            "004",
            "the direction of the VAE's KL term",
            tuple(rows),
            "KL is not symmetric. The evidence lower bound penalises KL(q(z|x) ‖ p(z)), the "
            "encoder's Gaussian against the prior, ½Σ(σ² + μ² − 1 − ln σ²); the slide's order is "
            "½Σ(1/σ² + μ²/σ² − 1 + ln σ²), a different function of μ and σ.",
        ),
        Slip(
            "slip",
            "004",
            "one z for two distributions",
            (
                (
                    "z",
                    "z ∼ N(0, I) and z_i = μ_i + σ_i ε_i",
                    "prior z ∼ N(0, I); sample z = μ + σ ⊙ ε ∼ N(μ, σ²)",
                ),
            ),
            "The slide's z is both the prior the KL term pulls towards and the encoder's sample "
            "the decoder reads; only ε is N(0, I). The table's z column is the sample.",
        ),
    ]


def contrastive(result: dict) -> list[Slip]:
    """The slide's contrastive 'loss' has no floor."""
    notes_run = next(r for r in result["runs"] if r["loss"] == "notes")
    scaled = {s["scale"]: s for s in result["scaled"]}
    rows = [("L(w)", "Σ f(x)ᵀf(x⁺) − Σ [f(x)ᵀf(x⁻)]²", "an objective to maximise; as a loss, −L")]
    at = notes_run["diverged_at"]
    if at is not None:
        before = notes_run["history"][at - 1]["mean_positive"]
        rows.append(
            (
                "minimised as written",
                "hopefully close",
                f"not finite after {at} steps; mean s⁺ {before:.3g} the step before",
            )
        )
    if 8.0 in scaled:
        s = scaled[8.0]
        rows.append(("with f scaled by 8", "—", f"{s['notes']:.3f} (InfoNCE {s['infonce']:.3f})"))
    return [
        Slip(
            "slip",
            "004",
            "the contrastive 'loss'",
            tuple(rows),
            "Minimising the slide's L pushes positive pairs apart, and it has no floor: scaling "
            "f by t gives t²s⁺ − t⁴Σ(s⁻)². Bounded losses (InfoNCE, the default, or word2vec's "
            "−log σ) are at least 0 and settle.",
        )
    ]


def pca(result: dict) -> list[Slip]:
    """The derivation never centres X."""
    raw = result["uncentred_first"]
    first, mean = np.asarray(result["eigenvectors"][0]), np.asarray(result["mean"])
    centred_cosine = float(abs(first @ mean) / (np.linalg.norm(mean) or 1.0))
    return [
        Slip(
            "slip",
            "004",
            "PCA without centring",
            (
                ("first direction", "top eigenvector of XᵀX", "the same, X minus its mean row"),
                ("on these vectors", _vec(raw["vector"]), _vec(result["eigenvectors"][0])),
                (
                    "|cosine| with the mean row",
                    f"{raw['cosine_with_mean']:.3f}",
                    f"{centred_cosine:.3f}",
                ),
            ),
            "vᵀXᵀXv measures variation around the origin. Word vectors sit far from it, so "
            "without centring the first 'component' points at the mean: where the points are, "
            "not how they differ.",
        )
    ]
