// Site-wide fixes, run on every page (and again after Material's instant navigation).
// - Material's search overlay is a dialog without a name: give it one.
// - A region that scrolls sideways (a wide table or equation on a phone, a long code line) must
//   be reachable by keyboard and must show that it scrolls: while it overflows it is focusable,
//   named, and fades out at each edge where more of it is hidden (classes scroll-cue-left and
//   scroll-cue-right, drawn by site.css).
const REGIONS =
  ".md-typeset__scrollwrap, .math-block, .md-typeset pre > code, .highlight-ipynb, .jp-OutputArea-output pre";

function cue(el) {
  const hidden = el.scrollWidth - el.clientWidth;
  el.classList.toggle("scroll-cue-left", hidden > 1 && el.scrollLeft > 1);
  el.classList.toggle("scroll-cue-right", hidden > 1 && el.scrollLeft < hidden - 1);
}

function accessible() {
  document.querySelector(".md-search[role=dialog]")?.setAttribute("aria-label", "Search");
  for (const el of document.querySelectorAll(REGIONS)) {
    const scrolls = el.scrollWidth > el.clientWidth + 1;
    if (scrolls && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "Scrolls sideways");
    } else if (!scrolls && el.getAttribute("tabindex") === "0" && el.dataset.scrollFix) {
      el.removeAttribute("tabindex");
    }
    if (scrolls) el.dataset.scrollFix = "1";
    if (!el.dataset.cue) {
      el.dataset.cue = "1";
      el.addEventListener("scroll", () => cue(el), { passive: true });
    }
    cue(el);
  }
}
if (window.document$) window.document$.subscribe(() => requestAnimationFrame(accessible));
else addEventListener("DOMContentLoaded", accessible);
addEventListener("load", accessible); // after fonts have their final widths
addEventListener("resize", () => requestAnimationFrame(accessible));
