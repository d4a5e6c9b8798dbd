// Each view's frame, drawn at most once per display refresh; views touch only what changed.
import { count, cost as costText, given } from "./format.js";
import { el, say, setText } from "./fields.js";
import { meanPrediction, monotoneFloor } from "./levels.js";
import { formulaLines } from "./tables.js";

const NOISE = 1e-12; // a level this close to 0, or to another, is not drawn

/** The cost chart's reference levels for the data now: [[value, label]], those that apply. */
function levels(ys) {
  const plateau = meanPrediction(ys);
  const floor = monotoneFloor(ys);
  const all = [
    [plateau, say("plateau", { cost: costText(plateau) })],
    [floor, say("floor", { cost: costText(floor) })],
  ];
  return all.filter(([v], k) => v > NOISE && (k === 0 || plateau - v > NOISE));
}

/** draw(): every view, for pg's state now. */
export function drawer(pg, views) {
  let [frames, refs, refsFor] = [0, [], ""];
  const lines = [];
  const formulas = (v) => {
    setText(pg.out("formulas-title"), say(`title${v.phase}`, { x: given(pg.xs[v.point]) }));
    const text = formulaLines(v, pg.opt());
    while (lines.length < text.length) lines.push(el("li", {}, pg.out("formulas")));
    while (lines.length > text.length) lines.pop().remove();
    lines.forEach((li, k) => setText(li, text[k]));
  };
  const costChart = (s, live) => {
    if (String(s.ys) !== refsFor) [refs, refsFor] = [levels(s.ys), String(s.ys)];
    const pts = s.history.map((c, k) => [k * s.stride, c]);
    if (pts.at(-1)?.[0] !== s.epoch) pts.push([s.epoch, live.cost]);
    const readout = pg.input("readout");
    readout.max = pts.length - 1;
    if (s.readout === null) readout.value = pts.length - 1;
    const at = s.readout === null ? null : Math.min(s.readout, pts.length - 1);
    views.cost.draw(pts, s.log, at, refs);
  };
  return function draw() {
    const { s, root } = pg;
    root.dataset.frames = ++frames;
    const live = pg.compute(s.params);
    const v = { ...(s.walk ?? live), phase: s.phase, point: s.point, axes: s.axes };
    Object.assign(root.dataset, { phase: s.phase, running: s.running, epoch: s.epoch });
    setText(pg.$('[data-action="train"]'), s.running && !s.toEpoch ? "Pause" : "Train");
    setText(pg.$('[data-action="run-to"]'), s.running && s.toEpoch ? "Pause" : "Run to epoch");
    setText(pg.out("epoch"), count(s.epoch));
    setText(pg.out("status"), `Cost C = ${costText(live.cost)}`);
    setText(pg.out("message"), s.message);
    setText(pg.out("from"), s.start === "linked" ? `Linked start: ${s.label}` : "");
    setText(pg.out("phase"), say(`phase${s.phase}`));
    views.table.draw(v);
    formulas(v);
    views.net.draw(v);
    views.fit.draw(s.phase === 5 ? v.next.params : s.params, s.ys, s.parts);
    costChart(s, live);
    if (s.more) views.map.update(s);
    pg.sync();
    if (s.more) views.map.work();
  };
}
