// Numbers as snippets/book/numbers.py writes them (`value`, `shown`); the tests compare the two.
const MINUS = "\u2212";
export const NEGLIGIBLE = 1e-12; // below it: rounding noise, "≈ 0"

/** An integer as a superscript: −3 → "⁻³". */
export const sup = (n) => String(n).replace(/./g, (c) => (c === "-" ? "⁻" : "⁰¹²³⁴⁵⁶⁷⁸⁹"[c]));

/** d decimals, or m × 10ⁿ when those show no digit or more than six before the point. */
export function fmt(v, d = 4) {
  if (!Number.isFinite(v)) return v > 0 ? "∞" : v < 0 ? `${MINUS}∞` : "not a number";
  if ((v !== 0 && Math.abs(v) < Number(`1e-${d}`)) || Math.abs(v) >= 1e6) {
    const [m, e] = v.toExponential(1).split("e");
    return `${m.replace("-", MINUS)} × 10${sup(Number(e))}`;
  }
  const t = v.toFixed(d);
  return (Number(t) === 0 ? t.replace("-", "") : t).replace("-", MINUS);
}

/** A value in a live table: as fmt, but "≈ 0" for rounding noise. */
export const shown = (v, d = 4) => (v !== 0 && Math.abs(v) < NEGLIGIBLE ? "≈ 0" : fmt(v, d));

/** A value put into a formula: negative values in brackets. */
export const put = (v, d = 4) => (v < 0 ? `(${fmt(v, d)})` : fmt(v, d));

/** A number as it was given: 0.5, −0.1 (up to 6 significant digits). */
export const given = (v) => String(Number(v.toPrecision(6))).replace("-", MINUS);

/** Neuron j's superscript (01-network.md): ⁽²⁾. */
export const neuron = (j, width) => (width > 1 ? `⁽${sup(j + 1)}⁾` : "");

/** 11807 → "11,807". */
export const count = (n) => n.toLocaleString("en");

/** A weight's name in 01-network.md's notation: ("w1", 1, 2) → "w₁⁽²⁾". */
export const weightName = (k, j, width) => ({ w1: "w₁", b1: "b₁", w2: "w₂", b2: "b₂" })[k] + (k === "b2" ? "" : neuron(j, width));
