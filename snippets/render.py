"""Turning numbers into page text: one rounding rule, real minus signs, Markdown tables.

>>> num(-0.05942), num(0.1, 2), signed(0.0274), signed(-0.0721)
('−0.0594', '0.10', '+0.0274', '−0.0721')
>>> sci(2.6432e-30)
'2.6 × 10⁻³⁰'
>>> print(table(["x", "y"], [[1.0, 0.0], [2.0, 1.0]], [1, 1]))
| x | y |
|--:|--:|
| 1.0 | 0.0 |
| 2.0 | 1.0 |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

MINUS = "\u2212"  # typographic minus, read as "minus" by screen readers
DIGITS = 4  # decimals shown for computed values, everywhere on the site
# A mean loss below this is rounding noise, not a measurement: 64-bit floats carry about 16
# digits, so predictions near 1 are exact to about 1e-15 and their squared errors to about
# 1e-30; the margin keeps the cut well clear of that.
ROUNDING_LOSS = 1e-25
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def num(v: float, digits: int = DIGITS) -> str:
    """``v`` rounded to ``digits`` decimals, with a real minus sign and no "−0.0000"."""
    text = f"{float(v):.{digits}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def signed(v: float, digits: int = DIGITS) -> str:
    """Like :func:`num`, with an explicit + for positive values."""
    text = num(v, digits)
    return text if text.startswith(MINUS) or float(text) == 0 else "+" + text


def sci(v: float, digits: int = 1) -> str:
    """Scientific notation as a reader writes it: 2.6 × 10⁻³⁰."""
    mantissa, exponent = f"{float(v):.{digits}e}".split("e")
    return f"{num(float(mantissa), digits)} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def loss(v: float) -> str:
    """A mean loss, or what it means when it is rounding noise.

    >>> loss(0.0853211), loss(3.2e-9), loss(2.3e-30)
    ('0.0853', '3.2 × 10⁻⁹', 'below 10⁻²⁵')
    """
    if v < ROUNDING_LOSS:
        return f"below {sci(ROUNDING_LOSS, 0).removeprefix('1 × ')}"
    return num(v) if v >= float(f"1e-{DIGITS}") else sci(v)


def table(
    headers: Sequence[str], rows: Iterable[Sequence], digits: Sequence[int] | int = DIGITS
) -> str:
    """A right-aligned Markdown table; numbers are formatted with :func:`num`, text kept."""
    if isinstance(digits, int):
        digits = [digits] * len(headers)

    def cell(v, d):
        return v if isinstance(v, str) else num(v, d)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("--:" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell(v, d) for v, d in zip(row, digits, strict=True)) + " |")
    return "\n".join(lines)
