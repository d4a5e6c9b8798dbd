"""scripts/nn_from_scratch.py: a second, loop-by-loop implementation that must agree."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT
from snippets import lesson
from snippets.book import runs
from snippets.network import Params, forward

SCRIPT = ROOT / "scripts" / "nn_from_scratch.py"


@pytest.fixture(scope="module")
def script(tmp_path_factory, monkeypatch_module):
    """The script's globals after running it in this process."""
    out = tmp_path_factory.mktemp("script") / "figure.png"
    monkeypatch_module.setenv("NN_FROM_SCRATCH_FIGURE", str(out))
    return runpy.run_path(str(SCRIPT), run_name="__main__")


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def as_params(net: dict) -> Params:
    return Params.of(net["w1"], net["b1"], net["w2"], net["b2"])


def test_same_inputs_as_the_lesson(script):
    assert script["X"] == list(lesson.X) and script["Y"] == list(lesson.Y)
    assert (script["LR"], script["EPOCHS"], script["LOG_EVERY"]) == (
        lesson.LR,
        lesson.EPOCHS,
        lesson.LOG_EVERY,
    )
    for net, start in (
        (script["ONE_NEURON"], lesson.START),
        (script["TWO_NEURONS"], lesson.BUMP_START),
    ):
        for a, b in zip(as_params(net), start):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(("name", "run"), [("one", runs.one_neuron), ("two", runs.two_neurons)])
def test_same_results_as_the_snippets(script, name, run):
    expected = run()
    np.testing.assert_allclose(script[f"{name}_history"], expected.costs, rtol=1e-10, atol=1e-18)
    for a, b in zip(as_params(script[name]), expected.final):
        np.testing.assert_allclose(a, b, rtol=1e-10)


def test_runs_as_a_program(tmp_path):
    figure = tmp_path / "out" / "cmp.png"
    figure.parent.mkdir()
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        env={  # nothing of the project's: no PYTHONPATH, no PATH (Windows needs its own few)
            **{k: os.environ[k] for k in ("SYSTEMROOT", "TEMP", "TMP") if k in os.environ},
            "NN_FROM_SCRATCH_FIGURE": str(figure),
            "PATH": "",
            "PYTHONIOENCODING": "utf-8",  # it prints 10⁻²⁵; a Windows pipe is not UTF-8
        },
    )
    assert f"figure written to {figure}" in result.stdout
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finals = re.findall(
        r"^(1 neuron |2 neurons) epoch +(\d+) +cost (.+?) +\(final\)$", result.stdout, re.M
    )
    assert [(label, int(epoch)) for label, epoch, _ in finals] == [
        ("1 neuron ", lesson.EPOCHS),
        ("2 neurons", lesson.EPOCHS),
    ]
    assert float(finals[0][2]) == pytest.approx(runs.one_neuron().costs[-1], rel=1e-5)
    assert finals[1][2] == "below 10⁻²⁵"  # rounding noise, said as the pages say it
    predictions = re.findall(r"1 neuron: +(\S+) +2 neurons: +(\S+)", result.stdout)
    one = forward(runs.one_neuron().final, lesson.X)[2]
    np.testing.assert_allclose([float(a) for a, _ in predictions], one, atol=5e-5)
