"""How the site writes a number: one rounding rule, real minus signs, no "−0.0000".

The playground's JavaScript writes numbers by the same rules (``fmt`` in ui.js);
``tests/test_playground.py`` compares the two.

>>> num(-0.05942), num(0.1, 2), signed(0.0274), signed(-0.0721)
('−0.0594', '0.10', '+0.0274', '−0.0721')
>>> sci(2.6432e-30)
'2.6 × 10⁻³⁰'
"""

from __future__ import annotations

MINUS = "\u2212"  # typographic minus, read as "minus" by screen readers
DIGITS = 4  # decimals shown for computed values, everywhere on the site…
COST_DIGITS = 6  # …but a cost C, the number training watches: as the training logs print it
# A mean loss below this is rounding noise, not a measurement: 64-bit floats carry about 16
# digits, so predictions near 1 are exact to about 1e-15 and their squared errors to about
# 1e-30; the margin keeps the cut well clear of that.
ROUNDING_LOSS = 1e-25
LARGE = 1e6  # from here on a value is written as a power of ten: 4.3 × 10¹¹
NEGLIGIBLE = 1e-12  # a gradient or weight below this, where values are of order 1, reads "≈ 0"
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


def value(v: float, digits: int = DIGITS) -> str:
    """A value of any size: ``digits`` decimals, or a power of ten when those would show no
    digit, or when there would be more than six before the point.

    The playground's ``fmt`` follows this rule (``tests/test_playground.py`` compares them).

    >>> value(0.12345), value(-0.000012345), value(0.0), value(-0.00001 / 3, 2)
    ('0.1235', '−1.2 × 10⁻⁵', '0.0000', '−3.3 × 10⁻⁶')
    >>> value(433014195357.6355)
    '4.3 × 10¹¹'
    """
    if (v != 0 and abs(v) < float(f"1e-{digits}")) or abs(v) >= LARGE:
        return sci(v)
    return num(v, digits)


def shown(v: float, digits: int = DIGITS) -> str:
    """A value in a live table: :func:`value`, but "≈ 0" for rounding noise below NEGLIGIBLE.

    The playground's tables use the same rule (``shown`` in format.js).

    >>> shown(4.14e-16), shown(-2.262e-18), shown(3e-9), shown(0.0)
    ('≈ 0', '≈ 0', '3.0 × 10⁻⁹', '0.0000')
    """
    return "≈ 0" if v != 0 and abs(v) < NEGLIGIBLE else value(v, digits)


def percent(share: float, digits: int = 1) -> str:
    """A share as a percentage: 0.397 → "39.7 %".

    >>> percent(0.397), percent(0.02313)
    ('39.7 %', '2.3 %')
    """
    return f"{num(100 * share, digits)} %"


def cost(v: float) -> str:
    """A cost C, as every page, the notebook and the playground write it, or what it means when
    it is rounding noise.

    >>> cost(0.0853211238), cost(0.125), cost(3.2e-9), cost(2.3e-30), cost(6.6e6)
    ('0.085321', '0.125000', '3.2 × 10⁻⁹', 'below 10⁻²⁵', '6.6 × 10⁶')
    """
    if v < ROUNDING_LOSS:
        return f"below {sci(ROUNDING_LOSS, 0).removeprefix('1 × ')}"
    return num(v, COST_DIGITS) if float(f"1e-{DIGITS}") <= v < LARGE else sci(v)


loss = cost  # (figures.py still calls it so)


def tex(v: float, digits: int = DIGITS, *, bracket: bool = True) -> str:
    """A computed value inside TeX, negative values in brackets when substituted."""
    text = f"{float(v):.{digits}f}"
    return f"({text})" if bracket and text.startswith("-") else text


def given(v: float) -> str:
    """An input value as it was written (0.5, −0.1), for substitution in TeX."""
    text = f"{float(v):g}"
    return f"({text})" if text.startswith("-") else text


def out(v: float, digits: int = DIGITS) -> str:
    """A result at the end of an equation: never in brackets.

    >>> out(-0.09754)
    '-0.0975'
    """
    return tex(v, digits, bracket=False)


def written(v: float) -> str:
    """An input value as it was written, with a real minus sign: −0.1."""
    return f"{float(v):g}".replace("-", MINUS)


def tex_sci(v: float, digits: int = 1) -> str:
    """Scientific notation inside TeX; a mantissa of 1 is left out.

    >>> print(tex_sci(1e-05), tex_sci(-2.64e-30))
    10^{-5} -2.6 \\times 10^{-30}
    """
    mantissa, exponent = f"{float(v):.{digits}e}".split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if float(mantissa) == 1 else f"{float(mantissa):.{digits}f} \\times {power}"
