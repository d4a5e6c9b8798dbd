// Views: the epoch table and one point's formulas, numbers put in (02-forward.md to
// 05-gradient-descent.md). In Step phase a value appears when it is computed; the update shows
// the gradients it used.
import { cost, fmt, given, neuron, put, shown, weightName } from "./format.js";
import { el, say, setText } from "./fields.js";
import { flat, keys, optimiser } from "./nn.js";

const mean = (g, k, j) => (k === "b2" ? g.b2 : g[k][j]); // of averaged gradients
const perPoint = (g, k, j) => (k === "b2" ? g.b2 : g[k].map((row) => row[j])); // of a point's

/** Rows: [section, label, (view, point) → value, view → mean]. */
function rows(h) {
  const n = (j) => neuron(j, h);
  const each = (f) => Array.from({ length: h }, (_, j) => f(j));
  return [
    ...each((j) => [1, `z₁${n(j)}`, (v, i) => v.fwd.z1[i][j]]),
    ...each((j) => [1, `a₁${n(j)} = σ(z₁${n(j)})`, (v, i) => v.fwd.a1[i][j]]),
    [1, "ŷ", (v, i) => v.fwd.yHat[i]],
    [2, "y", (v, i) => v.ys[i]],
    [2, "L = ½(ŷ − y)²", (v, i) => v.losses[i], (v) => v.cost, cost], // the mean: the cost C
    ...keys(h).map(([k, j]) => [
      3,
      `∂L/∂${weightName(k, j, h)}`,
      (v, i) => perPoint(v.back.grads, k, j)[i],
      (v) => mean(v.avg, k, j),
    ]),
  ];
}

export function epochTable(table, xs) {
  let cells = [];
  let bodies = [];
  let width = 0;

  function build(h) {
    width = h;
    table.replaceChildren();
    el("caption", {}, table, say("table"));
    const head = el("tr", {}, el("thead", {}, table));
    for (const text of ["", ...xs.map((x) => `x = ${x}`), "mean"])
      el("th", { scope: "col" }, head, text);
    bodies = [1, 2, 3].map((k) => {
      const body = el("tbody", { "data-section": k }, table);
      el(
        "th",
        { colspan: xs.length + 2, scope: "colgroup" },
        el("tr", { class: "pg-section" }, body),
        say(`section${k}`),
      );
      return body;
    });
    cells = rows(h).map(([section, label, value, average, written = shown]) => {
      const tr = el("tr", {}, bodies[section - 1]);
      el("th", { scope: "row" }, tr, label);
      const [tds, meanTd] = [xs.map(() => el("td", {}, tr)), el("td", {}, tr)];
      return { section, value, average, written, tds, meanTd };
    });
  }

  /** Fill in view v; in Step phase only what is computed so far. */
  function draw(v) {
    if (v.params.w1.length !== width) build(v.params.w1.length);
    const known = (phase) => v.phase === 0 || v.phase >= phase;
    for (const { section, value, average, written, tds, meanTd } of cells) {
      tds.forEach((td, i) => {
        setText(
          td,
          known(section)
            ? average || section === 1
              ? shown(value(v, i))
              : given(value(v, i))
            : "·",
        );
        td.classList.toggle("pg-col", i === v.point);
      });
      const meanText = average && known(section === 3 ? 4 : 2) ? written(average(v)) : "·";
      setText(meanTd, average ? meanText : "");
      meanTd.classList.toggle("pg-active", v.phase === 4 && section === 3);
    }
    bodies.forEach((body, k) => body.classList.toggle("pg-active", v.phase === k + 1));
  }
  return { draw };
}

/** The current phase's formulas for the point v.point. */
export function formulaLines(v, opt) {
  const { point: i, params: p, fwd, back: b } = v;
  const h = p.w1.length;
  const x = given(v.xs[i]);
  const y = v.ys[i] < 0 ? `(${given(v.ys[i])})` : given(v.ys[i]);
  const lines = [];
  if (v.phase <= 1) {
    for (let j = 0; j < h; j++) {
      const n = neuron(j, h);
      const z = `${put(p.w1[j])}·${x} + ${put(p.b1[j])} = ${fmt(fwd.z1[i][j])}`;
      lines.push(`z₁${n} = w₁${n}·x + b₁${n} = ${z}`);
      lines.push(`a₁${n} = σ(z₁${n}) = 1/(1 + e^(−z₁${n})) = ${fmt(fwd.a1[i][j])}`);
    }
    const terms = p.w2.map((w, j) => [
      `w₂${neuron(j, h)}·a₁${neuron(j, h)}`,
      `${put(w)}·${fmt(fwd.a1[i][j])}`,
    ]);
    const [names, values] = [0, 1].map((m) => terms.map((t) => t[m]).join(" + "));
    lines.push(`ŷ = ${names} + b₂ = ${values} + ${put(p.b2)} = ${fmt(fwd.yHat[i])}`);
  }
  if (v.phase === 0 || v.phase === 2) {
    lines.push(`L = ½(ŷ − y)² = ½(${fmt(fwd.yHat[i])} − ${y})² = ${fmt(v.losses[i])}`);
    const sum = v.losses.map((l) => fmt(l)).join(" + ");
    lines.push(`C = ¼(L at x = 1, 2, 3, 4) = ¼(${sum}) = ${cost(v.cost)}`);
  }
  if (v.phase === 3) {
    const d = b.dL_dyhat[i];
    lines.push(
      `∂L/∂ŷ = ŷ − y = ${fmt(fwd.yHat[i])} − ${y} = ${fmt(d)}`,
      `∂L/∂b₂ = ∂L/∂ŷ·1 = ${shown(d)}`,
    );
    for (let j = 0; j < h; j++) {
      const [n, a] = [neuron(j, h), fwd.a1[i][j]];
      lines.push(
        `∂L/∂w₂${n} = ∂L/∂ŷ·a₁${n} = ${put(d)}·${fmt(a)} = ${shown(b.grads.w2[i][j])}`,
        `∂L/∂a₁${n} = ∂L/∂ŷ·w₂${n} = ${put(d)}·${put(p.w2[j])} = ${shown(b.dL_da1[i][j])}`,
        `σ′(z₁${n}) = a₁${n}(1 − a₁${n}) = ${fmt(a)}·${fmt(1 - a)} = ${shown(b.da1_dz1[i][j])}`,
        `∂L/∂z₁${n} = ∂L/∂a₁${n}·σ′(z₁${n}) = ${put(b.dL_da1[i][j])}·${fmt(b.da1_dz1[i][j])} = ` +
          shown(b.dL_dz1[i][j]),
        `∂L/∂w₁${n} = ∂L/∂z₁${n}·x = ${put(b.dL_dz1[i][j])}·${x} = ${shown(b.grads.w1[i][j])}`,
        `∂L/∂b₁${n} = ∂L/∂z₁${n}·1 = ${shown(b.grads.b1[i][j])}`,
      );
    }
  }
  const names = keys(h).map(([k, j]) => weightName(k, j, h));
  if (v.phase === 4) {
    keys(h).forEach(([k, j], m) =>
      lines.push(
        `∂C/∂${names[m]} = ¼(${perPoint(b.grads, k, j)
          .map((g) => put(g))
          .join(" + ")}) = ${shown(mean(v.avg, k, j))}`,
      ),
    );
  }
  if (v.phase === 5) {
    const [old, g, now] = [p, v.avg, v.next.params].map(flat);
    const at = (mem, m) =>
      Object.fromEntries(Object.entries(mem).map(([k, a]) => [k, Array.isArray(a) ? a[m] : a]));
    const f = { fmt, given, put };
    names.forEach((w, m) => {
      const values = {
        w,
        g: g[m],
        old: old[m],
        now: now[m],
        lr: v.lr,
        o: opt,
        before: at(v.memory, m),
        after: at(v.next.memory, m),
      };
      lines.push(optimiser(opt.name).explain(values, f).join("; "));
    });
  }
  return lines;
}
