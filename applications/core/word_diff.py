"""What differs between two texts, word by word, as HTML that every reader can follow.

Words only in the first text are wrapped in <del> (struck through), words only in the second in
<ins> (underlined), each run with a visually hidden "verwijderd:" / "toegevoegd:" before it and an
end mark after it, so a screen reader says where a change starts and stops. The texts are the
users' own: every piece is escaped before it is joined, nothing is marked safe unescaped.

difflib compares the words, not the characters. Its cost grows with the product of the two texts'
lengths in the worst case; the common beginning and end are set aside first (most edits are in one
place), and a middle longer than `WORD_LIMIT` words is not compared at all: the caller then shows
both texts whole and says why.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

# Both sides of the changed middle together. Two texts of 20,000 characters are some 3,000 words
# each; comparing 8,000 words takes a few hundredths of a second.
WORD_LIMIT = 8_000

_WORD = re.compile(r"(\s*)(\S+)")


@dataclass(frozen=True)
class WordDiff:
    """`html` is None when the texts were too long to compare word by word."""

    html: SafeString | None
    only_whitespace: bool = False

    @property
    def too_long(self) -> bool:
        return self.html is None


@dataclass(frozen=True)
class _Words:
    """A text as its words, each with the white space before it, and the white space at the end."""

    words: list[str]
    spaces: list[str]
    tail: str

    @classmethod
    def of(cls, text: str) -> _Words:
        words: list[str] = []
        spaces: list[str] = []
        end = 0
        for match in _WORD.finditer(text):
            spaces.append(match.group(1))
            words.append(match.group(2))
            end = match.end()
        return cls(words, spaces, text[end:])

    def span(self, start: int, stop: int) -> str:
        """Words start..stop with the white space between them (not the space before start)."""
        return "".join(
            (self.spaces[i] if i > start else "") + self.words[i] for i in range(start, stop)
        )


def _common_ends(old: list[str], new: list[str]) -> tuple[int, int]:
    """How many words both texts start with, and how many they end with after that."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


def _deleted(text: str) -> SafeString:
    return format_html(
        '<del><span class="visually-hidden">{} </span>{}<span class="visually-hidden"> {}</span>'
        "</del>",
        _("verwijderd:"),
        text,
        _("einde verwijderd"),
    )


def _inserted(text: str) -> SafeString:
    return format_html(
        '<ins><span class="visually-hidden">{} </span>{}<span class="visually-hidden"> {}</span>'
        "</ins>",
        _("toegevoegd:"),
        text,
        _("einde toegevoegd"),
    )


def _join(pieces: Iterable[str]) -> SafeString:
    # format_html_join escapes each plain piece and keeps the SafeStrings built above as they are.
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def word_diff(old: str, new: str) -> WordDiff:
    """The words of `old` that `new` no longer has (<del>) and those it added (<ins>).

    The unchanged words and the white space are those of `new`, so line breaks show as the user
    typed them (render the HTML in an element with `white-space: pre-wrap`).
    """
    a, b = _Words.of(old), _Words.of(new)
    head, tail = _common_ends(a.words, b.words)
    a_stop, b_stop = len(a.words) - tail, len(b.words) - tail
    if (a_stop - head) + (b_stop - head) > WORD_LIMIT:
        return WordDiff(html=None)
    # autojunk (the default) ignores words in more than 1% of a long text when it looks for
    # anchors; without it a text of few distinct words takes seconds.
    matcher = difflib.SequenceMatcher(None, a.words[head:a_stop], b.words[head:b_stop])
    # (kind, words, the white space before them in their own text, none at its start): kind None
    # is unchanged.
    runs: list[tuple[str | None, str, str]] = []
    if head:
        runs.append((None, b.span(0, head), ""))
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if tag == "equal":
            runs.append((None, b.span(j1, j2), b.spaces[j1] if j1 else ""))
            continue
        if i2 > i1:
            runs.append(("del", a.span(i1, i2), a.spaces[i1] if i1 else ""))
        if j2 > j1:
            runs.append(("ins", b.span(j1, j2), b.spaces[j1] if j1 else ""))
    if tail:
        runs.append((None, b.span(b_stop, len(b.words)), b.spaces[b_stop] if b_stop else ""))
    pieces: list[str] = [b.spaces[0] if b.words else ""]
    for index, (kind, text, space) in enumerate(runs):
        if index:
            # Words are always apart; only a change at the very start has no space before the
            # next run ("<del>old</del> <ins>new</ins>", not "oldnew").
            pieces.append(space or " ")
        pieces.append(
            _deleted(text) if kind == "del" else _inserted(text) if kind == "ins" else text
        )
    pieces.append(b.tail)
    changed = any(kind for kind, _text, _space in runs)
    return WordDiff(html=_join(pieces), only_whitespace=not changed and old != new)
