"""The study 10-measured.md reports, trained once and kept between builds (``snippets.book.cache``).

The experiment itself (``experiment``, ``trainer``, ``stats``) runs without the book; this is
where the pages' copy of its results is made and kept.
"""

from __future__ import annotations

from snippets.book.cache import cached
from snippets.lesson import WIDTHS
from snippets.study.experiment import Study, run_study
from snippets.study.longer import Followed, follow_all


@cached
def results() -> Study:
    """Every setting of the study, ``STARTS`` starts each, as 10-measured.md reports them."""
    return run_study()


@cached
def stuck_longer() -> tuple[Followed, ...]:
    """Each width's sample of stuck runs, trained ten times longer (``snippets.study.longer``)."""
    return follow_all(results())


@cached
def slow_descent() -> tuple[Followed, ...]:
    """Plain gradient descent's runs that end neither stuck nor fitting, a sample per width from
    two hidden neurons up, trained ten times longer: slow, or stopped?"""
    return follow_all(results(), outcome="other", optimisers=("gd",), widths=WIDTHS[1:])
