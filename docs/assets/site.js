// Site-wide accessibility fixes, run on every page (and again after Material's instant navigation).
// - Material's search overlay is a dialog without a name: give it one.
// - A region that scrolls sideways (a wide table or equation on a phone, a long code line) must
//   be reachable by keyboard: make it focusable and name it, only while it does overflow.
function accessible() {
  document.querySelector(".md-search[role=dialog]")?.setAttribute("aria-label", "Search");
  const regions =
    ".md-typeset__scrollwrap, .math-block, .md-typeset pre > code, .highlight-ipynb, .jp-OutputArea-output pre";
  for (const el of document.querySelectorAll(regions)) {
    const scrolls = el.scrollWidth > el.clientWidth + 1;
    if (scrolls && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "Scrolls sideways");
    } else if (!scrolls && el.getAttribute("tabindex") === "0" && el.dataset.scrollFix) {
      el.removeAttribute("tabindex");
    }
    if (scrolls) el.dataset.scrollFix = "1";
  }
}
if (window.document$) window.document$.subscribe(() => requestAnimationFrame(accessible));
else addEventListener("DOMContentLoaded", accessible);
addEventListener("load", accessible); // after fonts and MathML have their final widths
addEventListener("resize", () => requestAnimationFrame(accessible));
