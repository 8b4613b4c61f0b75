"""Hypothesis strategies for what analysts scrape: broken bytes, mixed scripts, broken HTML."""

from __future__ import annotations

from hypothesis import strategies as st

# Pieces that have broken text pipelines before: invisible and direction characters, other
# scripts inside English, absurd figures and impossible dates, stray controls and surrogates.
TRICKY = [
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # BOM inside the text
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u2028",  # line separator
    "\x00",
    "\r",
    "\ud83d",  # lone surrogate (only reachable through JSON escapes or code)
    "قصفت القوات الإسرائيلية خان يونس",
    "צה״ל תקף בחאן יונס",
    "1,000,000,000,000",
    "31 February",
    "30 February 2024",
    "killing 99999999999999999999999 civilians",
    "on 0000-00-00",
    "Gaza, 5 March 2024",
    "Orc raiders shelled Bree on Monday, killing 4 civilians, medics said.",
    "Israeli forces shelled Khan Younis, killing dozens.",
    "\u0301\u0301\u0301",  # combining marks with nothing to combine with
    "\U0001f4a5",
    "<script>alert(1)</script>",
]
ENCODINGS = ["utf-8", "utf-16", "utf-32", "latin-1", "cp1252", "shift_jis", "koi8-r", "gb18030"]

any_char = st.characters(exclude_categories=())  # surrogates and controls included
hostile_text = st.lists(
    st.one_of(st.sampled_from(TRICKY), st.text(any_char, max_size=40), st.text(max_size=80)),
    max_size=12,
).map("".join)


@st.composite
def encoded(draw: st.DrawFn) -> bytes:
    """Text in one or two encodings (mixed), or bytes that are no text at all."""
    parts: list[bytes] = []
    for _ in range(draw(st.integers(1, 3))):
        text = draw(hostile_text)
        encoding = draw(st.sampled_from(ENCODINGS))
        parts.append(text.encode(encoding, errors="replace"))
    return b"".join(parts)


hostile_bytes = st.one_of(encoded(), st.binary(max_size=2000))

TAGS = ["div", "p", "span", "article", "table", "tr", "td", "b", "script", "style", "a", "html"]


def _element(tag: str, children: list[str], closed: bool, attr: str) -> str:
    return f"<{tag}{attr}>{''.join(children)}" + (f"</{tag}>" if closed else "")


html_tree = st.recursive(
    hostile_text,
    lambda children: st.builds(
        _element,
        st.sampled_from(TAGS),
        st.lists(children, max_size=4),
        st.booleans(),
        st.sampled_from(["", " class='x'", ' a="', " <", " charset=koi8-r", " onerror=x"]),
    ),
    max_leaves=30,
)


@st.composite
def hostile_html(draw: st.DrawFn) -> bytes:
    """Well-formed, unclosed, mis-nested or junk HTML, sometimes not in UTF-8."""
    body = draw(html_tree)
    head = draw(
        st.sampled_from(
            ["", "<!doctype html><html><head><title>T</title></head><body>", "<html><body>"]
        )
    )
    junk = draw(st.sampled_from(["", "</div></div>", "<<<>>>", "<!--", "<![CDATA[", "&#xD800;"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "cp1252", "utf-16"]))
    return (head + body + junk).encode(encoding, errors="replace")
