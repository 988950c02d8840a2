"""The layout check the browser tests run on a page (axe cannot see these defects):

- the footer lies below all content (nothing of the page is drawn across or under it),
- nothing overflows sideways (the page is no wider than the window; on a phone a table's own
  scroll box may scroll, on a desktop screen not even that, unless the box is marked
  data-scrolls-sideways with the reason, as the lists with the exports' columns are),
- no box is mostly empty (a bordered or shaded box whose largest stretch without any text,
  image or control is over half its height and over 300 px).

`layout_problems(page)` returns Danish descriptions, empty when the page is fine.
"""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

LAYOUT_JS = r"""() => {
  const problems = [];
  const view = document.documentElement.clientWidth;
  const describe = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const classes = (typeof el.className === 'string' ? el.className : '').trim();
    if (classes) s += '.' + classes.split(/\s+/).slice(0, 3).join('.');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${s} ("${text}")` : s;
  };
  const style = el => window.getComputedStyle(el);
  // Hidden, off-canvas or out of flow (the mobile drawer, modals, sr-only text).
  const outOfFlow = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = style(e);
      if (s.position === 'fixed' || s.display === 'none' || s.visibility === 'hidden') return true;
      if (e.classList.contains('sr-only') || e.hasAttribute('hidden')) return true;
    }
    return false;
  };
  // Inside a box that scrolls or clips sideways by design (responsive table wrappers).
  const clipped = el => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const x = style(e).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const visible = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !outOfFlow(el);
  };
  // A box one can see: a border at top and bottom, or a background.
  const boxed = el => {
    const s = style(el);
    const bordered = parseFloat(s.borderTopWidth) > 0 && parseFloat(s.borderBottomWidth) > 0;
    const shaded = s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== 'transparent';
    return bordered || shaded;
  };
  const top = r => r.top + window.scrollY;
  const bottom = r => r.bottom + window.scrollY;

  // 1. Sideways.
  const width = document.documentElement.scrollWidth;
  if (width > view + 1) {
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > view + 1 && r.width > 0 && !clipped(el) && !outOfFlow(el)) wide.push(el);
    }
    // The innermost ones name the cause.
    const causes = wide.filter(el => !wide.some(o => o !== el && el.contains(o)));
    problems.push(`Siden er ${width} px bred i et vindue på ${view} px: ` +
                  causes.slice(0, 3).map(describe).join('; '));
  }

  // On a desktop screen (1000 px and wider) even a table's own scroll box must not scroll.
  if (view >= 1000) {
    for (const el of document.querySelectorAll('main *')) {
      const x = style(el).overflowX;
      if (el.hasAttribute('data-scrolls-sideways')) continue;  // marked, with its reason
      if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1 && visible(el)) {
        problems.push(`Skal rulles sideværts (${el.scrollWidth} px i ${el.clientWidth} px): ` +
                      describe(el));
      }
    }
  }

  // What the page shows: text, images and controls, as rectangles on the page.
  const ink = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement || outOfFlow(n.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && r.height > 0) {
        ink.push({el: n.parentElement, top: top(r), bottom: bottom(r)});
      }
    }
  }
  for (const el of document.body.querySelectorAll(
      'img, svg, canvas, input:not([type=hidden]), select, textarea, button, iframe, video')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    ink.push({el, top: top(r), bottom: bottom(r)});
  }

  // 2. The footer below all content.
  const footer = document.querySelector('body > footer');
  if (footer) {
    const footerTop = top(footer.getBoundingClientRect());
    // What can be seen: the ink, and boxes with a border or a background. (An invisible
    // box may poke a few pixels past the footer, e.g. a form around DKFDS' button group
    // with its negative margin; that draws nothing.)
    const drawn = ink.map(i => ({el: i.el, b: i.bottom}));
    for (const el of document.body.querySelectorAll('*')) {
      if (footer.contains(el) || el.contains(footer) || !visible(el)) continue;
      if (footer.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) continue;
      if (boxed(el)) drawn.push({el, b: bottom(el.getBoundingClientRect())});
    }
    let lowest = null;
    for (const d of drawn) {
      if (footer.contains(d.el)) continue;
      if (footer.compareDocumentPosition(d.el) & Node.DOCUMENT_POSITION_FOLLOWING) continue;
      if (d.b > footerTop + 1 && (!lowest || d.b > lowest.b)) lowest = d;
    }
    if (lowest) {
      problems.push(`Indhold går ${Math.round(lowest.b - footerTop)} px ned over sidefoden: ` +
                    describe(lowest.el));
    }
  }

  // 3. No box mostly empty.
  for (const el of document.body.querySelectorAll('main *, body > footer')) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 300) continue;
    if (!boxed(el)) continue;
    const boxTop = top(r), boxBottom = bottom(r);
    const inside = ink.filter(i => el.contains(i.el) && i.bottom > boxTop && i.top < boxBottom)
                      .sort((a, b) => a.top - b.top);
    let gap = 0, reached = boxTop;
    for (const i of inside) {
      gap = Math.max(gap, i.top - reached);
      reached = Math.max(reached, i.bottom);
    }
    gap = Math.max(gap, boxBottom - reached);
    if (gap > 300 && gap > r.height / 2) {
      problems.push(`En boks er for det meste tom (${Math.round(gap)} px uden indhold af ` +
                    `${Math.round(r.height)} px): ${describe(el)}`);
    }
  }
  return problems;
}"""


def layout_problems(page) -> list[str]:
    return page.evaluate(LAYOUT_JS)
