"""What a phone's screen hides without scrolling sideways: text cut off inside its box (a
button, a table cell, a card), text past the screen's edge, and boxes drawn over each other."""

from __future__ import annotations

from typing import Any

# One line per problem, naming the element and the start of its text. A box that scrolls on
# purpose (overflow auto or scroll, a wide table) is not a problem, nor is what it holds when
# only its edge is passed.
CLIPPED = r"""() => {
  const found = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const said = (el) => (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) if (scrolls(up)) return true;
    return false;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true}) &&
      style.display !== 'none' && box.width > 1 && box.height > 1 && !el.closest('.skip');
  };
  const ownText = (el) => [...el.childNodes].some(
    (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const leaves = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'OPTION', 'TITLE'].includes(el.tagName) || !shown(el)) continue;
    const control = ['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'A', 'IMG'].includes(el.tagName);
    if (!ownText(el) && !control) continue;
    leaves.push(el);
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const field = ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName);
    if (style.display !== 'inline' && !scrolls(el) && !field && el.clientWidth > 0 &&
        el.scrollWidth > el.clientWidth + 1)
      found.push(`${name(el)} cut (${el.scrollWidth} > ${el.clientWidth} px): ${said(el)}`);
    if (box.right > window.innerWidth + 1 && !inScroller(el))
      found.push(`${name(el)} past the screen's edge (${Math.round(box.right)} px): ${said(el)}`);
  }
  // a line of text wrapped over three lines is three boxes, not the rectangle around them
  const boxes = leaves.map((el) => [...el.getClientRects()]);
  const meet = (p, q) => Math.min(p.right, q.right) - Math.max(p.left, q.left) > 2 &&
    Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 2;
  for (let i = 0; i < leaves.length; i++) {
    for (let j = i + 1; j < leaves.length; j++) {
      const a = leaves[i], b = leaves[j];
      if (a.contains(b) || b.contains(a)) continue;
      if (boxes[i].some((p) => boxes[j].some((q) => meet(p, q))))
        found.push(`${name(a)} “${said(a)}” over ${name(b)} “${said(b)}”`);
    }
  }
  return found;
}"""


async def clipped(page: Any) -> list[str]:
    """Text cut, past the screen's edge, or drawn over other text, on the page as shown."""
    found: list[str] = await page.evaluate(CLIPPED)
    return found
