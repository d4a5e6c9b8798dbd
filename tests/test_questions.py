"""Check yourself: answers computed at build time, checked in the browser as the reader types."""

from __future__ import annotations

import re

import pytest

from snippets.book import questions
from snippets.lesson import START, X, Y
from snippets.network import forward, loss

PAGES = {"02": "02-forward", "03": "03-loss", "04": "04-backprop", "05": "05-gradient-descent"}


def as_typed(v: float, digits: int, comma: bool = False) -> str:
    text = f"{v:.{digits}f}"
    return text.replace(".", ",") if comma else text


@pytest.mark.parametrize("page", list(PAGES))
def test_every_answer_is_right_and_every_slip_is_not(page):
    for q in questions.QUESTIONS[page]():
        assert q.is_right(q.value)
        if q.from_printed is not None:
            assert abs(q.from_printed - q.value) < 10.0**-q.digits  # a rounding apart, no more
        assert q.slips, "each question names at least one common slip"
        for _, slipped in q.slips:
            assert not q.is_right(float(slipped))


def test_the_answers_are_the_lessons():
    y_hat = forward(START, X)[2]
    loss_at_3 = questions.loss_questions()[0]
    assert loss_at_3.value == loss(y_hat, Y)[2]
    assert dict(loss_at_3.slips)["You forgot the ½."] == 2 * loss(y_hat, Y)[2]


def test_an_answer_worked_from_printed_numbers_counts():
    q = questions.Question("?", 0.027360, 5, "", from_printed=0.1139 * 0.2403)
    assert q.is_right(0.02736) and q.is_right(0.02737) and not q.is_right(0.02739)


# ---- In the browser ----


def region(page):
    return page.get_by_role("region", name="Check yourself")


@pytest.mark.parametrize("page_id", list(PAGES))
def test_right_answers_slips_and_solutions_in_the_browser(open_page, page_id):
    page = open_page(f"/{PAGES[page_id]}/")
    qs = questions.QUESTIONS[page_id]()
    boxes = region(page).get_by_role("textbox")
    assert boxes.count() == len(qs)
    for k, q in enumerate(qs):
        box = boxes.nth(k)
        name = page.evaluate(
            "(el) => document.getElementById(el.getAttribute('aria-labelledby')).textContent",
            box.element_handle(),
        )
        assert re.match(rf"{k + 1}\. ", name) and "decimals" in name
        status = region(page).get_by_role("status").nth(k)
        box.fill(as_typed(q.value, q.digits, comma=True))  # a decimal comma, and Enter
        box.press("Enter")
        assert status.inner_text().startswith("✓ Right")
        says, slipped = q.slips[0]
        box.fill(as_typed(float(slipped), q.digits))
        region(page).get_by_role("button", name="Check").nth(k).click()
        assert status.inner_text() == f"✗ Not quite. {says}"
        box.fill("12345")
        box.press("Enter")
        assert status.inner_text().startswith("✗ Not quite. Open the worked solution")
        box.fill("abc")
        box.press("Enter")
        assert "type a number" in status.inner_text()
        assert box.get_attribute("aria-invalid") == "true"


def test_the_worked_solution_opens_by_keyboard(open_page):
    page = open_page("/05-gradient-descent/")
    first = region(page).locator("details").first
    assert first.get_attribute("open") is None
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("open") == ""
    assert first.locator(".katex").count() >= 1  # the solution's maths, typeset


def test_numbers_are_read_as_a_reader_writes_them(open_page):
    page = open_page("/03-loss/")
    read = page.evaluate(
        """async () => {
          const q = await import('/assets/questions.js');
          return ['0,05', '−0.5', ' 1.25 ', '1e-3', '.5', 'abc', '', '1,2,3'].map(q.readNumber);
        }"""
    )
    assert read[:5] == [0.05, -0.5, 1.25, 0.001, 0.5]
    assert all(v != v for v in read[5:])  # NaN: not a number
