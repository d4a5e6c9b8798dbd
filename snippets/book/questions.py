r"""Check yourself: questions a reader answers by hand, checked in the page as they type.

Each question's answer, and the answers that a common slip gives (forgetting the ½, the factor
x, the error's sign, summing instead of averaging), are computed here, at build time, by the
lesson's own code with the slip applied. The page carries them as data; ``docs/assets/
questions.js`` reads what the reader typed (a decimal comma is fine) and says "Right" or "Not
quite", naming the slip it matches, with a worked solution one click or key press away.

An answer is right when it is within half a unit of its last digit (as the question asks for
it) of the exact value, or of the value worked from the numbers the page prints: a reader who
computes from printed, rounded numbers is right too.

>>> q = Question(r"What is $2 \cdot 0.5$?", 1.0, 1, r"$2 \cdot 0.5 = 1.0$")
>>> q.accepted()
[[0.95, 1.05]]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from snippets.book.numbers import out, tex
from snippets.book.views import display, times
from snippets.lesson import LR, START, X, Y
from snippets.network import backward, forward, gradients, loss, sigmoid


@dataclass(frozen=True)
class Question:
    """One value to compute by hand.

    ``ask`` and ``solution`` are Markdown (maths in ``$…$``); ``digits`` is how many decimals
    the answer is asked for; ``from_printed`` is the same value worked from the numbers as the
    page prints them; ``slips`` pairs a common mistake's description with the value it gives.
    """

    ask: str
    value: float
    digits: int
    solution: str
    from_printed: float | None = None
    slips: Sequence[tuple[str, float]] = field(default_factory=tuple)

    def window(self, v: float) -> list[float]:
        half = float(f"5e-{self.digits + 1}")  # half a unit of the last digit asked for
        return [round(v - half, self.digits + 3), round(v + half, self.digits + 3)]

    def accepted(self) -> list[list[float]]:
        values = [self.value] if self.from_printed is None else [self.value, self.from_printed]
        return [self.window(v) for v in values]

    def data(self) -> str:
        """What the page's script needs: the accepted windows and the slips' windows."""
        slips = [[*self.window(float(v)), says] for says, v in self.slips if not self.is_right(v)]
        return json.dumps({"accept": self.accepted(), "slips": slips}, ensure_ascii=False)

    def is_right(self, v: float) -> bool:
        return any(lo <= v <= hi for lo, hi in self.accepted())


def check_yourself(page: str, questions: Sequence[Question]) -> str:
    """The questions as Markdown with HTML: a region named "Check yourself"."""
    parts = ['<section class="check-yourself" aria-label="Check yourself" markdown="1">\n']
    for k, q in enumerate(questions, start=1):
        qid = f"q-{page}-{k}"
        parts.append(
            f'<div class="question" data-question=\'{escape(q.data())}\' markdown="1">\n\n'
            f'<p class="question-ask" id="{qid}" markdown="span">**{k}.** {q.ask} '
            f"(To {q.digits} decimals.)</p>\n\n"
            f'<p class="question-answer"><input type="text" inputmode="decimal" '
            f'autocomplete="off" spellcheck="false" aria-labelledby="{qid}" '
            f'aria-describedby="{qid}-status"> <button type="button">Check</button> '
            f'<span class="question-status" id="{qid}-status" role="status"></span></p>\n\n'
            f'<details markdown="1">\n<summary>Worked solution</summary>\n\n{q.solution}\n\n'
            "</details>\n</div>\n"
        )
    parts.append("</section>")
    return "\n".join(parts)


def printed(v: float, digits: int = 4) -> float:
    """A value as the page prints it, read back as a number."""
    return float(f"{float(v):.{digits}f}")


# ---------------------------------------------------------------------------- the questions


def forward_questions() -> list[Question]:
    """02-forward.md: the forward pass at x = 2, by hand."""
    z1, a1, y_hat = forward(START, X)
    w1, b1, w2, b2 = float(START.w1[0]), float(START.b1[0]), float(START.w2[0]), START.b2
    x = float(X[1])
    a_shown = printed(a1[1, 0])
    return [
        Question(
            f"With the starting weights, what is $a_1$ for $x = {x:g}$?",
            float(a1[1, 0]),
            4,
            display(
                rf"z_1 &= w_1 x + b_1 = {w1:g} \cdot {x:g} + ({b1:g}) = {out(z1[1, 0])}",
                rf"a_1 &= \sigma(z_1) = \frac{{1}}{{1 + e^{{-{out(z1[1, 0])}}}}} = {out(a1[1, 0])}",
            ),
            from_printed=float(sigmoid(printed(z1[1, 0]))),
            slips=[("You gave z₁: the sigmoid still has to bend it.", float(z1[1, 0]))],
        ),
        Question(
            f"And $\\hat y$ for $x = {x:g}$?",
            float(y_hat[1]),
            4,
            display(
                rf"\hat y = w_2 a_1 + b_2 = {w2:g} \cdot {out(a1[1, 0])} + {b2:g}"
                rf" = {out(y_hat[1])}"
            ),
            from_printed=w2 * a_shown + b2,
            slips=[
                ("You used z₁ where a₁ belongs: the output weighs the bend.", w2 * z1[1, 0] + b2),
                ("You left out the bias b₂.", w2 * a1[1, 0]),
            ],
        ),
    ]


def loss_questions() -> list[Question]:
    """03-loss.md: one point's loss and the cost, by hand."""
    y_hat = forward(START, X)[2]
    losses = loss(y_hat, Y)
    k = 2  # x = 3
    e = printed(y_hat[k]) - Y[k]
    shown = [printed(v) for v in losses]
    return [
        Question(
            f"From the table: what is the loss $L$ for $x = {X[k]:g}$?",
            float(losses[k]),
            4,
            display(
                rf"L = \tfrac12 (\hat y - y)^2 = \tfrac12 ({out(y_hat[k])} - {Y[k]:g})^2"
                rf" = {out(losses[k])}"
            ),
            from_printed=0.5 * e * e,
            slips=[
                ("You forgot the ½.", float(2 * losses[k])),
                ("You gave ŷ − y: square it, then halve it.", float(y_hat[k] - Y[k])),
            ],
        ),
        Question(
            "From the four losses: what is the cost $C$?",
            float(losses.mean()),
            4,
            display(
                rf"C = \frac{{{' + '.join(out(v) for v in losses)}}}{{{len(X)}}}"
                rf" = {out(losses.mean())}"
            ),
            from_printed=sum(shown) / len(shown),
            slips=[
                ("That is the sum of the losses: the cost is their average.", float(losses.sum()))
            ],
        ),
    ]


def backprop_questions() -> list[Question]:
    """04-backprop.md: the chain rule at x = 4 and x = 2, by hand."""
    z1, a1, y_hat = forward(START, X)
    b = backward(START, X, Y, z1, a1, y_hat)
    i = 3  # x = 4
    err, a = printed(y_hat[i]) - Y[i], printed(a1[i, 0])
    j = 1  # x = 2
    dz = b.dL_dz1[j, 0]
    return [
        Question(
            f"At $x = {X[i]:g}$ the forward pass gives $\\hat y = {out(y_hat[i])}$ and "
            f"$a_1 = {out(a1[i, 0])}$ (section [§](02-forward.md)'s table; the target is "
            f"$y = {Y[i]:g}$). What is $\\partial L / \\partial w_2$?",
            float(b.grads.dL_dw2[i, 0]),
            4,
            display(
                r"\frac{\partial L}{\partial w_2} = (\hat y - y) \cdot a_1 = "
                + times(tex(y_hat[i] - Y[i]), out(a1[i, 0]), result=b.grads.dL_dw2[i, 0])
            ),
            from_printed=err * a,
            slips=[
                (
                    "The error's sign is the wrong way round: it is ŷ − y.",
                    -float(b.grads.dL_dw2[i, 0]),
                ),
                (
                    "You left out a₁: w₂ multiplies a₁, so a₁ is the local derivative.",
                    float(y_hat[i] - Y[i]),
                ),
            ],
        ),
        Question(
            f"At $x = {X[j]:g}$ the chain gives $\\partial L / \\partial z_1 = {out(dz, 5)}$. "
            f"What is $\\partial L / \\partial w_1$?",
            float(b.grads.dL_dw1[j, 0]),
            5,
            display(
                r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial z_1} \cdot x = "
                + times(out(dz, 5), f"{X[j]:g}", result=b.grads.dL_dw1[j, 0], digits=5)
            ),
            from_printed=printed(dz, 5) * X[j],
            slips=[
                ("You forgot the factor x: z₁ = w₁x + b₁ grows by x when w₁ grows by 1.", float(dz))
            ],
        ),
    ]


def step_questions() -> list[Question]:
    """05-gradient-descent.md: one step of gradient descent, by hand."""
    g = gradients(START, X, Y)
    z1, a1, y_hat = forward(START, X)
    per_point = backward(START, X, Y, z1, a1, y_hat).grads
    w1, b2 = float(START.w1[0]), START.b2
    g_w1, g_b2 = float(g.dL_dw1[0]), float(g.dL_db2)
    return [
        Question(
            f"With $\\eta = {LR:g}$ and the average gradient $\\partial C/\\partial w_1 = "
            f"{out(g_w1)}$ from the table, what is $w_1$ after one step?",
            w1 - LR * g_w1,
            4,
            display(
                rf"w_1 \leftarrow w_1 - \eta \, \frac{{\partial C}}{{\partial w_1}} = {w1:g} - "
                rf"{LR:g} \cdot {tex(g_w1)} = {out(w1 - LR * g_w1)}"
            ),
            from_printed=w1 - LR * printed(g_w1),
            slips=[
                ("You stepped uphill: subtract η times the gradient.", w1 + LR * g_w1),
                (
                    "You used the sum of the points' gradients: the step uses their average.",
                    w1 - LR * float(per_point.dL_dw1[:, 0].sum()),
                ),
                ("You forgot η.", w1 - g_w1),
            ],
        ),
        Question(
            f"And $b_2$, whose average gradient is $\\partial C/\\partial b_2 = {out(g_b2)}$?",
            b2 - LR * g_b2,
            4,
            display(
                rf"b_2 \leftarrow b_2 - \eta \, \frac{{\partial C}}{{\partial b_2}} = {b2:g} - "
                rf"{LR:g} \cdot {tex(g_b2)} = {out(b2 - LR * g_b2)}"
            ),
            from_printed=b2 - LR * printed(g_b2),
            slips=[
                ("You stepped uphill: subtract η times the gradient.", b2 + LR * g_b2),
                ("You forgot η.", b2 - g_b2),
            ],
        ),
    ]


QUESTIONS = {
    "02": forward_questions,
    "03": loss_questions,
    "04": backprop_questions,
    "05": step_questions,
}


def for_page(page: str) -> str:
    """A page's "Check yourself" section."""
    return check_yourself(page, QUESTIONS[page]())
