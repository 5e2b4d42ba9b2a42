"""English desk strings found in what a person sees: pages and mail.

The strings are the English messages of the desk: the project's own catalogue
(``locale/en/LC_MESSAGES/django.po``, every msgid) and the Django admin's
(``django/contrib/admin/locale/en``), whose chrome frames every desk page.
Each becomes a pattern (placeholders match any text, whitespace any
whitespace) found as whole words in case-sensitive text.

Content is not the desk's words: on a page only text in the page's own
language is read, so an English source paragraph marked ``lang="en"`` on a
Russian page is skipped; names of formats and products (XLIFF, TMX) are the
same in every language and are not looked for.
"""

import re
from functools import cache
from pathlib import Path

import django

PROJECT_CATALOGUE = Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po"
ADMIN_CATALOGUES = [
    Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES" / name
    for name in ("django.po", "djangojs.po")
]
# Words that read the same in every language of the desk.
SAME_EVERYWHERE = {"XLIFF", "TMX", "URL", "Tilmash", "Trados", "memoQ", "OmegaT", "Atom", "Django"}
PLACEHOLDER = re.compile(r"%\([^)]*\)[-+ #0-9.]*[sdfrxX]|%[sd]|\{[a-z_]*\}")
WORD = re.compile(r"[A-Za-z]{3,}")

# Text a person sees on the page: visible text nodes, button and input labels,
# placeholders, titles and ARIA labels, each only where no ``lang`` attribute
# says it is in another language than the page's.
VISIBLE_TEXT_JS = r"""
const page = document.documentElement.lang;
const ours = el => { const marked = el.closest('[lang]'); return !marked || marked.lang === page; };
const seen = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode, el = node.parentElement;
  if (!el || !node.textContent.trim() || el.closest('script, style, template, textarea')) continue;
  if (ours(el) && el.checkVisibility()) seen.push(node.textContent);
}
for (const el of document.querySelectorAll(
    'input[type=submit], input[type=button], [placeholder], [title], [aria-label]')) {
  if (!ours(el) || !el.checkVisibility()) continue;
  for (const name of ['value', 'placeholder', 'title', 'aria-label']) {
    if (name === 'value' && !['submit', 'button'].includes(el.type)) continue;
    const value = el.getAttribute(name); if (value) seen.push(value);
  }
}
return seen.join('\n');
"""


def _unquote(line):
    quoted = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), quoted)


def msgids(path):
    """Every msgid and msgid_plural of a PO file (the header's empty one left out)."""
    found, current, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith(("msgid ", "msgid_plural ")):
            if current:
                found.append(current)
            key, current = line.split(" ", 1)[0], _unquote(line)
        elif line.startswith('"') and key in ("msgid", "msgid_plural"):
            current += _unquote(line)
        else:
            if current and key in ("msgid", "msgid_plural"):
                found.append(current)
            current = None
            key = line.split(" ", 1)[0] if line else None
    if current:
        found.append(current)
    return [text for text in found if text]


def _pattern(msgid):
    parts = []
    for index, literal in enumerate(PLACEHOLDER.split(msgid)):
        if index:
            parts.append(r".{1,200}?")
        words = r"\s+".join(re.escape(word) for word in literal.split())
        lead = r"\s+" if literal[:1].isspace() else ""
        trail = r"\s+" if literal[-1:].isspace() and words else ""
        parts.append(lead + words + trail)
    start = r"\b" if re.match(r"\w", msgid) else ""
    end = r"\b" if re.search(r"\w$", msgid) else ""
    return start + "".join(parts) + end


@cache
def english_strings():
    """``[(msgid, compiled pattern)]`` of the desk's English strings worth looking for."""
    texts = set(msgids(PROJECT_CATALOGUE))
    for path in ADMIN_CATALOGUES:
        if path.exists():
            texts.update(msgids(path))
    strings = []
    for text in sorted(texts):
        words = WORD.findall(PLACEHOLDER.sub(" ", text))
        if "<" in text or not words or all(w in SAME_EVERYWHERE or w.isupper() for w in words):
            continue
        strings.append((text, re.compile(_pattern(text))))
    return strings


def english_in(text):
    """The English desk strings found in ``text``."""
    return sorted({msgid for msgid, pattern in english_strings() if pattern.search(text)})


def english_on_page(driver):
    """The English desk strings on the page ``driver`` shows, in the page's language only."""
    return english_in(driver.execute_script(VISIBLE_TEXT_JS))
