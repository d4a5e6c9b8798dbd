// Numbers as snippets/book/numbers.py writes them; the tests compare the two.
const MINUS = "\u2212";
export const NEGLIGIBLE = 1e-12; // below it: rounding noise, "≈ 0"
export const capital = (t) => t[0].toUpperCase() + t.slice(1);
const LARGE = 1e6; // from here on: a power of ten
const ROUNDING_LOSS = 1e-25; // a cost below it is rounding noise

/** An integer as a superscript: −3 → "⁻³". */
export const sup = (n) => String(n).replace(/./g, (c) => (c === "-" ? "⁻" : "⁰¹²³⁴⁵⁶⁷⁸⁹"[c]));

/** |v| to d decimals, an exact tie to even as Python rounds (toFixed rounds it up). */
function fixed(v, d) {
	const up = v.toFixed(d);
	if (!v.toFixed(d + 1).endsWith("5")) return up;
	// oxlint-disable-next-line number-arg-out-of-range -- toFixed takes up to 100 since ES2018
	const exact = v.toFixed(100); // every digit of a double from 1e-4 on: a tie shows as 5000…
	const cut = exact.indexOf(".") + 1 + d;
	if (!/^50*$/.test(exact.slice(cut)) || Number(exact[cut - 1]) % 2) return up;
	return exact.slice(0, d ? cut : cut - 1);
}

/** m × 10ⁿ with one decimal, as Python's f"{v:.1e}" (ties to even, toExponential's up). */
function sci(v) {
	let [m, e] = v.toExponential(1).split("e");
	const digits = Math.abs(v) < 9e15 && Number.isInteger(v) && String(Math.abs(v));
	if (digits && /^50*$/.test(digits.slice(2)) && digits[1] % 2 === 0) {
		[m, e] = [`${v < 0 ? "-" : ""}${digits[0]}.${digits[1]}`, digits.length - 1];
	}
	return `${m.replace("-", MINUS)} × 10${sup(Number(e))}`;
}

const num = (v, d) => {
	const t = fixed(v, d);
	return (Number(t) === 0 ? t.replace("-", "") : t).replace("-", MINUS);
};

/** d decimals, or m × 10ⁿ when those show no digit or more than six before the point. */
export function fmt(v, d = 4) {
	if (!Number.isFinite(v)) return v > 0 ? "∞" : v < 0 ? `${MINUS}∞` : "not a number";
	if ((v !== 0 && Math.abs(v) < Number(`1e-${d}`)) || Math.abs(v) >= LARGE) return sci(v);
	return num(v, d);
}

/** A cost C, with six decimals (numbers.cost); a diverged one as a power of ten. */
export function cost(v) {
	if (v < ROUNDING_LOSS) return "below 10⁻²⁵";
	return v >= 1e-4 && v < LARGE ? num(v, 6) : fmt(v);
}

/** As fmt, but "≈ 0" for rounding noise. */
export const shown = (v, d = 4) => (v !== 0 && Math.abs(v) < NEGLIGIBLE ? "≈ 0" : fmt(v, d));

/** In a formula: negative values in brackets. */
export const put = (v, d = 4) => (v < 0 ? `(${fmt(v, d)})` : fmt(v, d));

/** A number as it was given: 0.5, −0.1 (up to 6 significant digits). */
export const given = (v) => String(Number(v.toPrecision(6))).replace("-", MINUS);

/** Neuron j's superscript (01-network.md): ⁽²⁾. */
export const neuron = (j, width) => (width > 1 ? `⁽${sup(j + 1)}⁾` : "");

export const count = (n) => n.toLocaleString("en");

/** A weight's name in 01-network.md's notation: ("w1", 1, 2) → "w₁⁽²⁾". */
export const weightName = (k, j, width) =>
	({ w1: "w₁", b1: "b₁", w2: "w₂", b2: "b₂" })[k] + (k === "b2" ? "" : neuron(j, width));
