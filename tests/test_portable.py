"""snippets/portable.py against references computed in software with 50 significant digits."""

from __future__ import annotations

import ast
import math
from decimal import Decimal, localcontext
from statistics import NormalDist

import numpy as np
import pytest

from conftest import ROOT
from snippets.portable import (
    Exp,
    _times_power_of_two,
    exp,
    exp_scalar,
    log_scalar,
    normal,
    symmetric_eigenvalues,
)


def ulps(value: float, exact: Decimal) -> float:
    """How far ``value`` is from ``exact``, in units of the last place of ``exact``'s double."""
    return float(abs(Decimal(value) - exact) / Decimal(math.ulp(float(exact))))


def reference_exp(x: float) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        return Decimal(x).exp()


# What training feeds exp: −|z₁|, mostly within a few units of 0, sometimes far out (a unit in
# a flat tail), and the whole range where e^x is a normal double, both ends included.
RNG = np.random.default_rng(2026)
TRAINING = np.concatenate(
    [
        -np.abs(RNG.normal(0.0, 3.0, 40_000)),
        RNG.uniform(-40.0, 0.0, 20_000),
        RNG.uniform(-1e-3, 1e-3, 5_000),
        RNG.uniform(-708.0, 709.0, 5_000),
        [0.0, -0.0, 1.0, -1.0, 0.5, -745.0, -708.39641853226408, 709.78],
    ]
)


def test_exp_is_within_one_ulp():
    got = exp(TRAINING)
    errors = [ulps(g, reference_exp(x)) for x, g in zip(TRAINING.tolist(), got.tolist())]
    assert max(errors) <= 1.0
    # and correctly rounded almost always (the worst cases sit right between two doubles)
    assert sum(e > 0.5 for e in errors) / len(errors) < 0.002


def test_exp_at_the_ends_of_its_range():
    with np.errstate(over="ignore"):  # e^1000 overflows, as np.exp's does
        got = exp(np.array([-np.inf, -2e9, -746.0, -745.1, np.nan, 710.0, 1000.0, np.inf]))
    assert got[:3].tolist() == [0.0, 0.0, 0.0]
    assert got[3] == 5e-324  # the smallest subnormal, which is the nearest double to e^−745.1
    assert np.isnan(got[4]) and np.isinf(got[5:]).all()


@pytest.mark.parametrize(
    "low, high", [(-1021, 1022), (1023, 1024), (-1030, -1022), (-3000, 3000), (-1080, -1015)]
)
def test_scaling_by_a_power_of_two_rounds_as_ldexp_does(low, high):
    """e^x's last step, m·2^k without ldexp, is ldexp to the bit: where every product is a
    normal double (by its exponent bits), and where some are subnormal, 0 or ∞ (by two
    products)."""
    m = np.concatenate([RNG.uniform(0.99, 2.01, 60_000), [0.99, 1.0, 1.5, 2.01]])
    k = np.concatenate([RNG.integers(low, high, 60_000, endpoint=True), [low, high, 0, 1]])
    with np.errstate(over="ignore"):
        expected = np.ldexp(m, k.astype(np.intc))
        got = _times_power_of_two(m.copy(), k.copy(), np.empty_like(k), np.empty_like(m))
    assert np.array_equal(got.view(np.int64), expected.view(np.int64))
    subnormal = np.sum((expected > 0) & (expected < np.finfo(float).tiny))
    assert (subnormal > 0) == (low < -1021)


def test_scalar_and_array_exp_agree_to_the_last_bit():
    values = TRAINING[::7]
    assert [exp_scalar(v) for v in values.tolist()] == exp(values).tolist()


def test_exp_keeps_no_state_between_calls():
    e = Exp((5,))
    first, second = RNG.uniform(-30, 0, 5), RNG.uniform(-30, 0, 5)
    e(first, np.empty(5))
    assert np.array_equal(e(second, np.empty(5)), exp(second))
    out = np.empty(5)
    assert e(first, out) is out


def test_log_is_within_one_ulp():
    xs = np.concatenate([RNG.random(20_000), RNG.uniform(0.999, 1.001, 2_000), [1e-300, 5e-324]])
    xs = xs[xs > 0]
    with localcontext() as ctx:
        ctx.prec = 50
        errors = [ulps(log_scalar(x), Decimal(x).ln()) for x in xs.tolist() if x != 1.0]
    assert max(errors) <= 1.0
    assert log_scalar(1.0) == 0.0


def test_normal_draws_are_normal():
    draws = normal(np.random.default_rng(7), 200_000)
    assert abs(np.mean(draws)) < 0.01 and abs(np.std(draws) - 1) < 0.01
    # Kolmogorov–Smirnov against the standard normal's distribution function
    ordered = np.sort(draws)
    cdf = np.array([NormalDist().cdf(v) for v in ordered[::50]])
    steps = np.arange(0, ordered.size, 50) / ordered.size
    assert np.max(np.abs(cdf - steps)) < 1.36 / math.sqrt(ordered.size) + 1 / 4000


def test_normal_draws_are_seeded():
    a, b = normal(np.random.default_rng([1, 2]), 9), normal(np.random.default_rng([1, 2]), 9)
    assert np.array_equal(a, b)
    assert np.array_equal(normal(np.random.default_rng([1, 2]), 4), a[:4])  # a prefix
    assert not np.array_equal(normal(np.random.default_rng([1, 3]), 9), a)


@pytest.mark.parametrize("size", [2, 4, 7, 10])
def test_eigenvalues_match_lapack(size):
    for _ in range(10):
        m = RNG.normal(size=(size, size))
        m = m + m.T
        expected = np.linalg.eigvalsh(m)  # LAPACK: a reference, not used by the site
        got = symmetric_eigenvalues(m)
        assert np.allclose(got, expected, rtol=0, atol=1e-12 * np.max(np.abs(expected)))


def test_a_stack_of_matrices_has_each_ones_eigenvalues_to_the_bit():
    """Rotated together, each matrix keeps its own angles and sweeps: one that is already
    diagonal, one with zero entries to skip, one tiny, one large, one done before the first
    sweep though not diagonal."""
    stack = RNG.normal(size=(6, 9, 9))
    stack = stack + stack.transpose(0, 2, 1)
    stack[1] = np.diag(RNG.normal(size=9))
    stack[2, 0, 1] = stack[2, 1, 0] = stack[2, 3, 7] = stack[2, 7, 3] = 0.0
    stack[3] *= 1e-9
    stack[4] *= 1e6
    noise = RNG.normal(size=(9, 9)) * 1e-20  # done at once: another rotation would change it
    stack[5] = 2.0 * np.eye(9) + noise + noise.T
    together = symmetric_eigenvalues(stack)
    alone = np.array([symmetric_eigenvalues(m) for m in stack])
    assert np.array_equal(together.view(np.int64), alone.view(np.int64))
    assert together.shape == (6, 9)


# What the site computes must not go through code whose last bits depend on the CPU: NumPy's
# and the C library's transcendental functions, BLAS products, LAPACK, NumPy's normal sampler,
# and powers other than by a whole number (``x ** 2`` of an array is NumPy's exact square).
NUMPY = {"exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "power", "float_power"}
NUMPY |= {"tanh", "sinh", "cosh", "dot", "matmul", "inner", "einsum", "linalg", "tensordot"}
MATH = {"exp", "expm1", "log", "log2", "log10", "log1p", "pow"}


def cpu_dependent(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "normal":
            found.append(".normal")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module, name = node.value.id, node.attr
            if (module == "np" and name in NUMPY) or (module == "math" and name in MATH):
                found.append(f"{module}.{name}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            found.append("@")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = node.right
            if not (isinstance(exponent, ast.Constant) and isinstance(exponent.value, int)):
                found.append(f"** {ast.unparse(exponent)}")
    return found


@pytest.mark.parametrize(
    "path",
    [p for p in sorted((ROOT / "snippets").rglob("*.py")) if p.name != "portable.py"]
    + [ROOT / "scripts" / "nn_from_scratch.py"],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_no_cpu_dependent_arithmetic(path):
    assert cpu_dependent(ast.parse(path.read_text())) == []


def test_the_arithmetic_check_can_fail():
    code = "y = a1 @ w2\nz = np.exp(x)\nv = rng.normal(0, 1)\nb = beta ** t\nc = x ** 2"
    assert sorted(cpu_dependent(ast.parse(code))) == sorted(["@", "np.exp", ".normal", "** t"])
