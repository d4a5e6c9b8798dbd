"""What 10-measured.md says about the study: every sentence checked over all it covers.

Each statement is made of :class:`Rule` s. A rule names its **domain** (which initialisations,
widths and optimisers its words cover), says what must hold in every setting of it, and is
checked in each; the sentence's words about where it holds are written from the same domain
(:meth:`Domain.words`), so a sentence cannot claim more than was checked. A rule also knows how
to break one setting (``breaks``): the tests break exactly one setting of each domain and see
the build fail.

Words with a number behind them were fixed before looking at the results: "often" is more
than one run in ten, "most" more than half, "few" fewer than one in ten. A share is said to be
above (below) such a number, or higher than another share, only if its whole interval is. The
page compares many intervals; to keep the chance of even one false "confirmed" among all of
them under 5 %, every interval a rule uses is a Wilson interval at the confidence
``1 − 0.05 / COMPARISONS`` (Bonferroni), and the build checks that no more than
``COMPARISONS`` are made. (The tables show ordinary 95 % intervals.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from snippets.book.claims import check, monotone_best
from snippets.book.numbers import num, percent, sci, tex_sci
from snippets.lesson import WIDTHS, X, Y
from snippets.optimisers import OPTIMISERS
from snippets.study.experiment import INITIALISATIONS, SAME_UNIT, Setting, Share, Study
from snippets.study.longer import WAY_DOWN, Followed
from snippets.study.measured import results, slow_descent, stuck_longer
from snippets.study.stats import wilson

OFTEN = 0.1  # "often": more than one run in ten
MOST = 0.5  # "most": more than half; "a minority": fewer than half
FEW = 0.1  # "few", "rare": fewer than one in ten
PRECISE = 30  # a share of fewer networks than this is too loose to state: left out
HUNDREDS = 100  # "where hundreds are stuck": settings with at least this many stuck runs
STEEP = 0.2  # "σ′ near its maximum 0.25": above 80 % of it
COMPARISONS = 400  # at most this many intervals are compared on the page
Z_FAMILY = 3.836106931176034  # the normal quantile at 1 − 0.05 / (2·COMPARISONS)


# ---------------------------------------------------------------------------- words and checks


def bounds(share: Share) -> tuple[float, float]:
    """The share's interval at the family-wide confidence (Bonferroni), counted."""
    COUNTED[0] += 1
    return wilson(share.count, share.n, Z_FAMILY)


COUNTED = [0]  # intervals compared since the count was last reset


def above(share: Share, bound: float) -> bool:
    """The share is above ``bound`` beyond doubt: its whole interval is."""
    return bounds(share)[0] > bound


def below(share: Share, bound: float) -> bool:
    """The share is below ``bound`` beyond doubt: its whole interval is."""
    return bounds(share)[1] < bound


def clearly_more(a: Share, b: Share) -> bool:
    """Share ``a`` exceeds share ``b`` beyond doubt: their intervals do not overlap."""
    return bounds(a)[0] > bounds(b)[1]


def of(count: int, n: int) -> Share:
    return Share.of(max(0, min(count, n)), n)


def listed(items: Sequence[str]) -> str:
    """["a"] → "a"; ["a", "b", "c"] → "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class Domain:
    """The settings a sentence speaks of: initialisations × widths × optimisers.

    >>> Domain(("small",), (1, 2, 3), ("gd", "momentum")).words()
    'from small starts, with 1 to 3 hidden neurons, with gradient descent and momentum'
    >>> Domain(widths=(1,)).words()
    'with one hidden neuron, from every start, with every optimiser'
    """

    inits: tuple[str, ...] = tuple(INITIALISATIONS)
    widths: tuple[int, ...] = WIDTHS
    optimisers: tuple[str, ...] = tuple(OPTIMISERS)
    min_stuck: int = 0  # only settings with at least this many stuck runs

    def settings(self, study: Study) -> list[Setting]:
        found = [
            s
            for s in study.settings
            if (s.init, s.width, s.optimiser) in self.keys() and s.stuck.count >= self.min_stuck
        ]
        check(bool(found), f"no setting of the study is {self.words()}")
        return found

    def keys(self) -> set[tuple[str, int, str]]:
        return {(i, w, o) for i in self.inits for w in self.widths for o in self.optimisers}

    def starts_words(self) -> str:
        if set(self.inits) == set(INITIALISATIONS):
            return "from every start"
        return f"from {listed([INITIALISATIONS[i].label for i in self.inits])} starts"

    def widths_words(self) -> str:
        if set(self.widths) == set(WIDTHS):
            return "at every width"
        if self.widths == (1,):
            return "with one hidden neuron"
        w = list(self.widths)
        if len(w) > 2 and w == list(range(w[0], w[-1] + 1)):  # 1, 2, 3: no width left out
            return f"with {w[0]} to {w[-1]} hidden neurons"
        return f"with {listed([str(w) for w in self.widths])} hidden neurons"

    def optimisers_words(self) -> str:
        if set(self.optimisers) == set(OPTIMISERS):
            return "with every optimiser"
        return f"with {listed([OPTIMISERS[o].label for o in self.optimisers])}"

    def stuck_words(self) -> str:
        return f"in every setting with at least {self.min_stuck} stuck runs"

    def words(self) -> str:
        """Where a sentence holds, in words, from the domain itself."""
        parts = [self.starts_words(), self.optimisers_words()]
        parts.insert(0 if self.widths == (1,) else 1, self.widths_words())
        if self.min_stuck:
            parts.append(self.stuck_words())
        return ", ".join(parts)


@dataclass(frozen=True)
class Rest(Domain):
    """Every setting of the study outside some domains: "everywhere else".

    >>> len(Rest(but=(Domain(widths=(1,)),)).keys())
    36
    """

    but: tuple[Domain, ...] = ()

    def keys(self) -> set[tuple[str, int, str]]:
        return super().keys().difference(*(d.keys() for d in self.but))

    def words(self) -> str:
        return "in every other setting"


Holds = Callable[[Study, Setting], bool]
Breaks = Callable[[Study, Setting], dict]


@dataclass(frozen=True)
class Rule:
    """What must hold in every setting of a domain, and how to break it in one (for tests)."""

    says: str  # the claim in a few words: what a failure is called
    domain: Domain
    holds: Holds
    breaks: Breaks

    def check(self, study: Study) -> list[Setting]:
        """Check every setting of the domain; the settings, for the numbers a sentence quotes."""
        settings = self.domain.settings(study)
        for s in settings:
            where = f"{INITIALISATIONS[s.init].label}, {s.width}, {OPTIMISERS[s.optimiser].label}"
            check(self.holds(study, s), f"{self.says} ({where})")
        return settings


def twin(study: Study, s: Setting, **other) -> Setting:
    """The setting like ``s`` but for what ``other`` changes (init, width or optimiser)."""
    key = {"init": s.init, "width": s.width, "optimiser": s.optimiser, **other}
    return study.setting(key["init"], key["width"], key["optimiser"])


def previous_width(study: Study, s: Setting) -> Setting:
    return twin(study, s, width=WIDTHS[WIDTHS.index(s.width) - 1])


def broken(study: Study, s: Setting, **fields) -> Study:
    """``study`` with one setting's fields replaced: how the tests make a sentence false."""
    return replace(
        study, settings=tuple(replace(x, **fields) if x is s else x for x in study.settings)
    )


def diagnosed(s: Setting, **fields) -> dict:
    return {"diagnosis": replace(s.diagnosis, **fields)}


SMALL, SCALED = ("small",), ("xavier", "he")
WIDER = WIDTHS[1:]
# Where runs often end stuck, by rule name: the list must be complete ("nowhere else often").
OFTEN_STUCK = {
    "one neuron often stuck": ("one neuron: often stuck", Domain(widths=(1,))),
    "small starts often stuck": (
        "small starts, gradient descent: often stuck",
        Domain(SMALL, (1, 2, 3), ("gd",)),
    ),
    "momentum often stuck": (
        "small starts, momentum: often stuck",
        Domain(SMALL, (1, 2, 3, 4), ("momentum",)),
    ),
}


def often_stuck(says: str, domain: Domain) -> Rule:
    """Often stuck in every setting of ``domain`` (one in twenty stuck breaks it)."""
    return Rule(
        says,
        domain,
        lambda st, s: above(s.stuck, OFTEN),
        lambda st, s: {"stuck": of(s.starts // 20, s.starts)},
    )


RULES: dict[str, Rule] = {
    # capacity and fitting
    "one neuron never fits": Rule(
        "no one-neuron network fits",
        Domain(widths=(1,)),
        lambda st, s: s.fits.count == 0,
        lambda st, s: {"fits": of(1, s.starts)},
    ),
    "gradient descent fits none": Rule(
        "plain gradient descent fits none within the budget",
        Domain(optimisers=("gd",)),
        lambda st, s: s.fits.count == 0,
        lambda st, s: {"fits": of(1, s.starts)},
    ),
    "two neurons fit": Rule(
        "momentum and Adam fit some two-neuron runs",
        Domain(widths=(2,), optimisers=("momentum", "adam")),
        lambda st, s: s.fits.count > 0,
        lambda st, s: {"fits": of(0, s.starts)},
    ),
    "Adam fits most": Rule(
        "Adam fits most two-neuron runs from small and Xavier starts",
        Domain(("small", "xavier"), (2,), ("adam",)),
        lambda st, s: above(s.fits, MOST),
        lambda st, s: {"fits": of(s.starts // 2, s.starts)},
    ),
    # getting stuck
    **{name: often_stuck(says, where) for name, (says, where) in OFTEN_STUCK.items()},
    "nowhere else often": Rule(
        "nowhere else clearly often stuck",
        Rest(but=tuple(where for _, where in OFTEN_STUCK.values())),
        lambda st, s: not above(s.stuck, OFTEN),
        lambda st, s: {"stuck": of(s.starts // 2, s.starts)},
    ),
    "scaled starts rarely stuck": Rule(
        "Xavier and He starts: few stuck",
        Domain(SCALED, WIDER),
        lambda st, s: below(s.stuck, FEW),
        lambda st, s: {"stuck": of(s.starts // 4, s.starts)},
    ),
    # width
    "two neurons beat one": Rule(
        "two neurons: stuck less often than one",
        Domain(widths=(2,)),
        lambda st, s: clearly_more(previous_width(st, s).stuck, s.stuck),
        lambda st, s: {"stuck": previous_width(st, s).stuck},
    ),
    "no neuron hurts": Rule(
        "an added neuron: never clearly more often stuck",
        Domain(widths=WIDER),
        lambda st, s: not clearly_more(s.stuck, previous_width(st, s).stuck),
        lambda st, s: {"stuck": of(previous_width(st, s).stuck.count + 300, s.starts)},
    ),
    # initialisation
    "scaled starts help": Rule(
        "Xavier and He starts: stuck less often than small ones",
        Domain(SCALED, (1, 2, 3, 4), ("gd", "momentum")),
        lambda st, s: clearly_more(twin(st, s, init="small").stuck, s.stuck),
        lambda st, s: {"stuck": twin(st, s, init="small").stuck},
    ),
    "scaled starts hurt Adam": Rule(
        "with Adam and one neuron, Xavier and He: stuck more often than small",
        Domain(SCALED, (1,), ("adam",)),
        lambda st, s: clearly_more(s.stuck, twin(st, s, init="small").stuck),
        lambda st, s: {"stuck": twin(st, s, init="small").stuck},
    ),
    "scaled starts fit momentum": Rule(
        "with momentum, Xavier and He starts fit more often than small ones",
        Domain(SCALED, WIDER, ("momentum",)),
        lambda st, s: clearly_more(s.fits, twin(st, s, init="small").fits),
        lambda st, s: {"fits": twin(st, s, init="small").fits},
    ),
    "small starts fit Adam": Rule(
        "with Adam and two to four neurons, small starts fit more often",
        Domain(SCALED, (2, 3, 4), ("adam",)),
        lambda st, s: clearly_more(twin(st, s, init="small").fits, s.fits),
        lambda st, s: {"fits": twin(st, s, init="small").fits},
    ),
    # momentum
    "momentum stuck more": Rule(
        "momentum: stuck MORE often than gradient descent",
        Domain(SMALL, (1, 2, 3), ("momentum",)),
        lambda st, s: clearly_more(s.stuck, twin(st, s, optimiser="gd").stuck),
        lambda st, s: {"stuck": twin(st, s, optimiser="gd").stuck},
    ),
    "momentum no worse": Rule(
        "momentum: never clearly more often stuck than gradient descent",
        Domain(SCALED, WIDTHS, ("momentum",)),
        lambda st, s: not clearly_more(s.stuck, twin(st, s, optimiser="gd").stuck),
        lambda st, s: {"stuck": of(twin(st, s, optimiser="gd").stuck.count + 300, s.starts)},
    ),
    "momentum fits some": Rule(
        "momentum fits some runs where gradient descent fits none",
        Domain(SMALL, WIDER, ("momentum",)),
        lambda st, s: s.fits.count > 0 and twin(st, s, optimiser="gd").fits.count == 0,
        lambda st, s: {"fits": of(0, s.starts)},
    ),
    # what stuck networks look like
    "small starts: no flat tails": Rule(
        "small starts: no hidden unit in a flat tail",
        Domain(SMALL, min_stuck=1),
        lambda st, s: s.diagnosis.in_a_tail == 0,
        lambda st, s: diagnosed(s, in_a_tail=1),
    ),
    "small starts: steep": Rule(
        "small starts: σ′ near its maximum 0.25",
        Domain(SMALL, min_stuck=PRECISE),
        lambda st, s: s.diagnosis.sigma_prime_mean > STEEP,
        lambda st, s: diagnosed(s, sigma_prime_mean=STEEP - 0.01),
    ),
    "never all in tails": Rule(
        "no stuck network of two or more neurons has all its units in flat tails",
        Domain(widths=WIDER, min_stuck=1),
        lambda st, s: s.diagnosis.all_in_tails == 0,
        lambda st, s: diagnosed(s, all_in_tails=1),
    ),
    "saturation a minority": Rule(
        "saturated units: only a minority, where hundreds are stuck",
        Domain(min_stuck=HUNDREDS),
        lambda st, s: below(of(s.diagnosis.in_a_tail, s.diagnosis.networks), MOST),
        lambda st, s: diagnosed(s, in_a_tail=s.diagnosis.networks),
    ),
    "merged never most": Rule(
        "in no setting have most units merged",
        Domain(widths=WIDER, min_stuck=PRECISE),
        lambda st, s: below(of(s.diagnosis.merged, s.diagnosis.networks), MOST),
        lambda st, s: diagnosed(s, merged=s.diagnosis.networks),
    ),
    "merged few": Rule(
        "where hundreds are stuck, few have merged",
        Domain(widths=WIDER, min_stuck=2 * HUNDREDS),
        lambda st, s: below(of(s.diagnosis.merged, s.diagnosis.networks), FEW),
        lambda st, s: diagnosed(s, merged=s.diagnosis.networks // 2),
    ),
}


def shares(settings: list[Setting], outcome: str) -> str:
    """The range of one outcome's share over some settings: "19.3 % to 82.9 %"."""
    values = sorted(getattr(s, outcome).share for s in settings)
    low, high = percent(values[0]), percent(values[-1])
    return low if low == high else f"{low} to {high}"


def ours(study: Study | None) -> Study:
    return study if study is not None else results()


# ---------------------------------------------------------------------------- the counts


def counts_text(study: Study | None = None, slow: Sequence[Followed] | None = None) -> str:
    """Section 3's sentences, each checked over its whole domain, as Markdown bullets."""
    s = ours(study)
    slow = slow if slow is not None else slow_descent()
    r = {name: RULES[name].check(s) for name in COUNT_RULES}
    d = {name: RULES[name].domain for name in COUNT_RULES}
    later = SLOW_RULES["descent is slow"].check(slow)
    one = r["one neuron never fits"]
    floor = float(monotone_best()[1])
    check(
        all(c > floor for x in one for c in x.final_costs),
        "every one-neuron run ends above the floor 1/12",
    )
    lower = [c for x in one for c, o in zip(x.final_costs, x.outcomes) if o != "s"]
    check(max(lower) < 0.125, "the other one-neuron runs end below the mean prediction's cost")
    median = float(np.median(lower))
    adam = r["Adam fits most"]
    gd = d["gradient descent fits none"]
    small_gd = [s.setting("small", w, "gd").stuck for w in WIDTHS]
    pairs = ", ".join(
        f"{percent(m.stuck.share)} against {percent(twin(s, m, optimiser='gd').stuck.share)}"
        for m in r["momentum stuck more"]
    )
    often = [
        f"{where.words()} ({shares(r[name], 'stuck')})" for name, (_, where) in OFTEN_STUCK.items()
    ]
    rare = d["scaled starts rarely stuck"].words()
    helped = d["scaled starts help"]
    momentum_fits = r["scaled starts fit momentum"]
    small_momentum = [twin(s, x, init="small") for x in momentum_fits]
    small_adam = r["small starts fit Adam"]
    more = d["momentum stuck more"]
    fits_some = d["momentum fits some"]
    return f"""
- **One neuron lacks capacity: confirmed.** Of the {sum(x.starts for x in one):,} one-neuron
  runs, {d["one neuron never fits"].starts_words()} and
  {d["one neuron never fits"].optimisers_words()}, none fits, and every one ends above the
  floor $1/12$: {sum(x.stuck.count for x in one):,} stuck at the mean prediction's cost, the
  other {len(lower):,} lower, at a median cost of {num(median, 4)} ({num(median - floor, 4)}
  above the floor).
- **Two neurons can fit: confirmed.** Momentum and Adam fit some runs
  {d["two neurons fit"].widths_words()}, {d["two neurons fit"].starts_words()}, and Adam fits
  most of them {d["Adam fits most"].starts_words()}
  ({listed([percent(x.fits.share) for x in adam])}). Plain gradient descent fits none within
  the budget of {s.epochs:,} epochs, {gd.widths_words()} and {gd.starts_words()}, but it is
  slow, not stopped: of its first {later[0].networks} runs that ended neither stuck nor fitting
  (by run index) {widths_of(later)}, trained ten times as long,
  {listed([str(f.fits[-1]) for f in later])} fit by epoch {later[0].checkpoints[-1]:,}.
- **Random starts often get stuck: only in some settings.** Runs often end stuck
  {"; ".join(often[:-1])}; and {often[-1]}. In no other setting is the share clearly above one
  run in ten, and {rare}, few runs get stuck
  ({shares(r["scaled starts rarely stuck"], "stuck")}).
- **Width helps: confirmed.** In every setting, two hidden neurons get stuck less often than
  one, and no added neuron makes it clearly more common. From small starts with plain gradient
  descent the stuck share is {listed([percent(x.share) for x in small_gd])} with
  {listed([str(w) for w in WIDTHS])} hidden neurons.
- **Xavier and He starts help, except with Adam.** Xavier and He starts get stuck less often
  than small ones {helped.widths_words()} {helped.optimisers_words()}, and with momentum they
  fit more often {d["scaled starts fit momentum"].widths_words()}
  ({shares(momentum_fits, "fits")} against {shares(small_momentum, "fits")} from small starts).
  With Adam it goes the other way: with one neuron they get stuck more often
  ({shares(r["scaled starts hurt Adam"], "stuck")} against
  {percent(s.setting("small", 1, "adam").stuck.share)} from small starts), and
  {d["small starts fit Adam"].widths_words()} small starts fit more often
  ({shares([twin(s, x, init="small") for x in small_adam], "fits")} against
  {shares(small_adam, "fits")}).
- **Momentum helps: not as claimed.** {more.starts_words().capitalize()} {more.widths_words()},
  momentum ends stuck *more* often than plain gradient descent ({pairs}); from Xavier and He
  starts it is never clearly worse. It does fit some runs {fits_some.starts_words()}
  {fits_some.widths_words()}, where plain descent fits none within the budget. This is at
  $\\eta = {OPTIMISERS["momentum"].lr:g}$, the step that matches plain descent; with a larger
  step momentum behaves differently, which this study does not measure.
"""


def widths_of(followed: Sequence[Followed]) -> str:
    """ "with 2, 3, 4 and 8 hidden neurons", for samples followed at those widths."""
    return Domain(widths=tuple(f.width for f in followed)).widths_words()


COUNT_RULES = (
    "one neuron never fits",
    "gradient descent fits none",
    "two neurons fit",
    "Adam fits most",
    "one neuron often stuck",
    "small starts often stuck",
    "momentum often stuck",
    "nowhere else often",
    "scaled starts rarely stuck",
    "two neurons beat one",
    "no neuron hurts",
    "scaled starts help",
    "scaled starts hurt Adam",
    "scaled starts fit momentum",
    "small starts fit Adam",
    "momentum stuck more",
    "momentum no worse",
    "momentum fits some",
)


# ---------------------------------------------------------------------------- the stuck networks

DIAGNOSIS_RULES = (
    "small starts: no flat tails",
    "small starts: steep",
    "never all in tails",
    "saturation a minority",
    "merged never most",
    "merged few",
)


def diagnosis_text(study: Study | None = None) -> str:
    """What stuck networks look like at the budget: steep sigmoids, not saturated ones."""
    s = ours(study)
    r = {name: RULES[name].check(s) for name in DIAGNOSIS_RULES}
    small = r["small starts: no flat tails"]
    saturated = [x for x in s.settings if x.diagnosis and x.diagnosis.in_a_tail]
    check(bool(saturated), "some stuck runs do have a saturated unit")
    check(all(x.init in SCALED for x in saturated), "saturation only from Xavier and He starts")
    steep = min(x.diagnosis.sigma_prime_mean for x in r["small starts: steep"])
    most_saturated = max(
        r["saturation a minority"], key=lambda x: x.diagnosis.in_a_tail / x.diagnosis.networks
    )
    merged_most = max(
        r["merged never most"], key=lambda x: x.diagnosis.merged / x.diagnosis.networks
    )
    merged_hundreds = max(r["merged few"], key=lambda x: x.diagnosis.merged / x.diagnosis.networks)
    rules = RULES
    return f"""
The measurements contradict the saturation story for small starts. Of the
{sum(x.diagnosis.networks for x in small):,} stuck networks that began from small weights (every
width, every optimiser), not one has a hidden unit in a flat tail, and $\\sigma'$ averages at
least {num(steep, 3)} {rules["small starts: steep"].domain.stuck_words()} (its largest
possible value is 0.25): the sigmoids work in their steepest region.

Saturation does occur, but only from the larger Xavier and He starts, and only in a minority of
their stuck runs: {rules["saturation a minority"].domain.stuck_words()}, at most
{percent(most_saturated.diagnosis.in_a_tail / most_saturated.diagnosis.networks)} have a hidden
unit in a flat tail, and no stuck network with two or more hidden neurons has all of its units
in flat tails. Nor have the hidden units merged into copies or mirror images of each other
(every pair of units within {SAME_UNIT:g} of each other in both $w_1$ and $b_1$, or of each
other's mirror image $-w_1$, $-b_1$): {rules["merged few"].domain.stuck_words()}, at most
{percent(merged_hundreds.diagnosis.merged / merged_hundreds.diagnosis.networks)} have, and in
no setting most of them ({merged_most.diagnosis.merged} of {merged_most.diagnosis.networks} at
the most).
"""


@dataclass(frozen=True)
class LongerRule:
    """What must hold for each width's sample of stuck runs trained longer (and, for the tests,
    how to break it at one width)."""

    says: str
    widths: tuple[int, ...]
    holds: Callable[[Followed], bool]
    breaks: Callable[[Followed], dict]

    def check(self, followed: Sequence[Followed]) -> list[Followed]:
        mine = [f for f in followed if f.width in self.widths]
        check(len(mine) == len(self.widths), f"{self.says}: a width was not followed")
        for f in mine:
            check(self.holds(f), f"{self.says} (width {f.width})")
        return mine


def left(f: Followed) -> Share:
    """The sampled runs no longer stuck at the end."""
    return of(f.networks - f.stuck[-1], f.networks)


def stayed(f: Followed) -> Share:
    return of(f.stuck[-1], f.networks)


def last(values: tuple[int, ...], value: int) -> tuple[int, ...]:
    return (*values[:-1], value)


LONGER_RULES: dict[str, LongerRule] = {
    "one neuron stays": LongerRule(
        "one neuron: most stuck runs stay stuck ten times longer",
        (1,),
        lambda f: above(stayed(f), MOST) and f.fits[-1] == 0,
        lambda f: {"stuck": last(f.stuck, 0)},
    ),
    "one neuron: a valley": LongerRule(
        "one neuron: w₁ and the gradient gone, no way down in most",
        (1,),
        lambda f: (
            f.at_end is not None
            and f.at_end.w1_median < 1e-9
            and f.at_end.gradient_median < 1e-12
            and above(of(f.at_end.networks - f.at_end.way_down, f.at_end.networks), MOST)
        ),
        lambda f: {"at_end": replace(f.at_end, way_down=f.at_end.networks)},
    ),
    "saddles at the budget": LongerRule(
        "two or more neurons: most stuck networks have a way down at the budget",
        WIDER,
        lambda f: above(of(f.at_budget.way_down, f.at_budget.networks), MOST),
        lambda f: {"at_budget": replace(f.at_budget, way_down=0)},
    ),
    "two: some leave, some stay": LongerRule(
        "two neurons: some stuck runs leave, some stay",
        (2,),
        lambda f: above(left(f), FEW) and above(stayed(f), FEW),
        lambda f: {"stuck": last(f.stuck, f.networks)},
    ),
    "wider: most leave": LongerRule(
        "three or more neurons: most stuck runs leave",
        WIDTHS[2:],
        lambda f: below(stayed(f), MOST),
        lambda f: {"stuck": last(f.stuck, f.networks)},
    ),
}


SLOW_RULES: dict[str, LongerRule] = {
    "descent is slow": LongerRule(
        "plain gradient descent: most of its runs that are neither stuck nor fit fit later",
        WIDER,
        lambda f: above(of(f.fits[-1], f.networks), MOST),
        lambda f: {"fits": last(f.fits, f.networks // 2)},
    ),
}


def longer_text(followed: Sequence[Followed] | None = None) -> str:
    """What the stuck runs are: followed ten times longer, and looked at closely."""
    followed = followed if followed is not None else stuck_longer()
    r = {name: rule.check(followed) for name, rule in LONGER_RULES.items()}
    one = r["one neuron stays"][0]
    end = one.at_end
    wider = r["saddles at the budget"]
    saddles = listed([f"{f.at_budget.way_down} of {f.networks}" for f in wider])
    epochs = one.checkpoints[-1]
    two = r["two: some leave, some stay"][0]
    wide = r["wider: most leave"]
    way_down = f"${tex_sci(WAY_DOWN, 0)}$"
    return f"""
- **With one hidden neuron, they stay.** {one.stuck[-1]} of the {one.networks} are still stuck
  after {epochs:,} epochs, and none fits. In those, the input weight has shrunk to
  {sci(end.w1_median)} (the median), nothing but rounding, and the gradient to
  {sci(end.gradient_median)}; in {end.networks - end.way_down} of {end.networks}, no direction
  of the weights lowers the cost, even to second order (the *[Hessian](glossary.md#curvature)*,
  the matrix of second derivatives, has no eigenvalue below {way_down}). They sit at the
  bottom of a flat valley: as far as the curvature can tell, a set of minima of the cost, not a
  saddle.
- **With two or more, they sit on saddles.** At the budget, most of them have a way down
  ({saddles} for {listed([str(f.width) for f in wider])} hidden neurons). Given time, most of
  those with {listed([str(f.width) for f in wide])} neurons leave the plateau
  ({listed([f"{f.networks - f.stuck[-1]} of {f.networks}" for f in wide])} by epoch
  {epochs:,}); with two, some leave and some stay ({two.networks - two.stuck[-1]} and
  {two.stuck[-1]} of {two.networks}), and of those that stay,
  {two.at_end.networks - two.at_end.way_down} have no way down left.

So "stuck" is a statement about the budget as much as about the start: with one hidden neuron
most stuck runs stay stuck, with {listed([str(f.width) for f in wide])} most leave given time.
"""


def valley_text() -> str:
    """Why one neuron stays stuck and wider networks mostly do not: the flat fit's first and
    second order."""
    e = Y - Y.mean()
    means = [float(np.mean(e)), float(np.mean(e * X)), float(np.mean(e * X * X))]
    check(
        means[0] == 0 and means[1] == 0, "the errors of the flat fit: mean 0, uncorrelated with x"
    )
    check(means[2] < 0, "the targets bend down: their errors correlate negatively with x²")
    errors = ", ".join(num(v, 1) for v in e)
    return f"""
**Why one neuron stays stuck and wider networks mostly find a way down.** With $w_1 = 0$ a
hidden neuron ignores $x$, and the network predicts one constant; when that constant is
$\\bar y$, every gradient is zero. The errors it leaves, $y - \\bar y$ = ({errors}) at
$x$ = 1, 2, 3, 4, average to zero, so nothing pulls on the biases or on $w_2$, and they are
uncorrelated with $x$, so nothing pulls on $w_1$: the best straight line through these points
is the flat one (section [§](00-intuition.md)).
Whether the cost rises in every direction from there is a question of second order. Moving $w_1$
away from 0 tilts the prediction, which only costs, and bends it, which helps only if the bend
goes the way the data do: their errors correlate negatively with $x^2$ (the average of
$(y - \\bar y)\\,x^2$ is {num(means[2], 1)}), so a bend helps only when it is concave, and only
a little near $b_1 = 0$, where the sigmoid is almost straight. One neuron has one tilt and one
bend, and in most of the runs above the tilt wins: every direction goes uphill, and gradient
descent pulls $w_1$ back towards 0 at every step. With two or more neurons, two bends can go the
same way while their tilts cancel, so a way down usually exists: a saddle, left slowly because
the slope out of it is so faint.
"""


def comparisons_note(
    study: Study | None = None,
    followed: Sequence[Followed] | None = None,
    slow: Sequence[Followed] | None = None,
) -> str:
    """What the page's words mean, and how many intervals its statements compare, checked
    against ``COMPARISONS``."""
    COUNTED[0] = 0
    s, f = ours(study), followed if followed is not None else stuck_longer()
    slow = slow if slow is not None else slow_descent()
    for rule in RULES.values():
        rule.check(s)
    for rule in LONGER_RULES.values():
        rule.check(f)
    for rule in SLOW_RULES.values():
        rule.check(slow)
    made = COUNTED[0]
    check(made <= COMPARISONS, f"at most {COMPARISONS} comparisons of intervals ({made} made)")
    confidence = 100 * (1 - 0.05 / COMPARISONS)
    check(OFTEN == FEW == 0.1 and MOST == 0.5, "the words' bounds are the ones the note names")
    return f"""
**What the words mean.** Each word stands for a share fixed before looking at the results:
*often* is more than one run in ten, *most* more than half, *a minority* fewer than half,
*few* fewer than one in ten, and *some* at least one run. A share counts
as above or below such a bound only when its whole interval is, and one share as *clearly*
higher than another ("more often", "less often") only when their intervals do not overlap.

The statements on this page compare {made} intervals in all. Were each an ordinary 95 %
interval, about one comparison in twenty could come out wrong by chance, and among {made}
several would be expected to. So every interval a statement uses is wider: a
{num(confidence, 4)} % Wilson interval, made for up to {COMPARISONS} comparisons, so that the
chance of even one false statement among all of them is under 5 % (a Bonferroni correction).
The tables and the figure show ordinary 95 % intervals, which are narrower.
"""


def summary(study: Study | None = None, followed: Sequence[Followed] | None = None) -> str:
    """The page's summary, each clause one of the statements checked above."""
    s, f = ours(study), followed if followed is not None else stuck_longer()
    for name in ("one neuron never fits", "scaled starts help", "scaled starts hurt Adam",
                 "small starts fit Adam"):  # fmt: skip
        RULES[name].check(s)
    for name in ("momentum stuck more", "two neurons beat one", "no neuron hurts"):
        RULES[name].check(s)
    for name in ("one neuron stays", "one neuron: a valley", "saddles at the budget"):
        LONGER_RULES[name].check(f)
    one = [x for x in s.settings if x.width == 1]
    stuck, runs = sum(x.stuck.count for x in one), sum(x.starts for x in one)
    more = RULES["momentum stuck more"].domain
    helped = RULES["scaled starts help"].domain
    return f"""
One neuron cannot fit these points from any start: its best is the floor $1/12$, and
{stuck:,} of its {runs:,} runs stop higher still, at the mean prediction; followed ten times
longer, most of those stay, at the bottom of a valley.
With two or more neurons, runs stuck at the mean mostly sit on saddles, and in every
setting two neurons get stuck less often than one, with no added neuron making it clearly worse.
Xavier and He starts help {helped.widths_words()} {helped.optimisers_words()}, but not with
Adam, with which small starts get stuck less with one neuron and fit more often
{RULES["small starts fit Adam"].domain.widths_words()}.
Momentum, at the same effective step, gets stuck more often than plain descent
{more.starts_words()} {more.widths_words()}.
"""
