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

_CHUNK = re.compile(r"(\s*)(\S+)")
# Punctuation at either end of a word is a word of its own ("VDAB," is "VDAB" and ","), so that
# adding a comma does not mark the word before it; inside a word it stays ("12.500,00").
_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


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
    """A text as its words (and punctuation), each with the white space before it, and the white
    space at the end."""

    words: list[str]
    spaces: list[str]
    tail: str

    @classmethod
    def of(cls, text: str) -> _Words:
        words: list[str] = []
        spaces: list[str] = []
        end = 0
        for match in _CHUNK.finditer(text):
            edges = _EDGES.match(match.group(2))
            assert edges is not None  # the pattern matches any text
            space = match.group(1)
            for part in edges.groups():
                if part:
                    spaces.append(space)
                    words.append(part)
                    space = ""
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


def _skipped() -> SafeString:
    return format_html(
        '<span aria-hidden="true">[…]</span><span class="visually-hidden">{}</span>',
        _("ongewijzigde tekst overgeslagen"),
    )


def _unchanged(
    b: _Words, start: int, stop: int, *, keep: int | None, first: bool, last: bool
) -> str:
    """Unchanged words; with `keep`, a long stretch shows only `keep` words next to each change."""
    if keep is None or (first and last):
        return b.span(start, stop)
    before = 0 if first else keep
    after = 0 if last else keep
    if stop - start <= before + after + keep:  # not worth a "[…]" for a few words
        return b.span(start, stop)
    pieces: list[str] = []
    if before:
        pieces += [b.span(start, start + before), " "]
    pieces.append(_skipped())
    if after:
        pieces += [" ", b.span(stop - after, stop)]
    return _join(pieces)


def word_diff(old: str, new: str, *, context: int | None = None) -> WordDiff:
    """The words of `old` that `new` no longer has (<del>) and those it added (<ins>).

    The unchanged words and the white space are those of `new`, so line breaks show as the user
    typed them (render the HTML in an element with `white-space: pre-wrap`). With `context`, a
    long unchanged stretch keeps only that many words next to each change, and "[…]" for the
    rest, so that every change of a six-page text is seen at once.
    """
    a, b = _Words.of(old), _Words.of(new)
    head, tail = _common_ends(a.words, b.words)
    a_stop, b_stop = len(a.words) - tail, len(b.words) - tail
    if (a_stop - head) + (b_stop - head) > WORD_LIMIT:
        return WordDiff(html=None)
    # autojunk (the default) ignores words in more than 1% of a long text when it looks for
    # anchors; without it a text of few distinct words takes seconds.
    matcher = difflib.SequenceMatcher(None, a.words[head:a_stop], b.words[head:b_stop])
    # (kind, start, stop, the white space before them in their own text, or None at its start):
    # "del" words are the old text's, the others (kind None: unchanged, "ins") the new one's.
    runs: list[tuple[str | None, int, int, str | None]] = []
    if head:
        runs.append((None, 0, head, None))
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if tag == "equal":
            # At the start of the new text, after words it removed: the old text's spacing.
            space = b.spaces[j1] if j1 else a.spaces[i1] if i1 else None
            runs.append((None, j1, j2, space))
            continue
        if i2 > i1:
            runs.append(("del", i1, i2, a.spaces[i1] if i1 else None))
        if j2 > j1:
            runs.append(("ins", j1, j2, b.spaces[j1] if j1 else None))
    if tail:
        space = b.spaces[b_stop] if b_stop else a.spaces[a_stop] if a_stop else None
        runs.append((None, b_stop, len(b.words), space))
    pieces: list[str] = [b.spaces[0] if b.words else ""]
    previous: str | None = None
    for index, (kind, start, stop, space) in enumerate(runs):
        if index:
            # A run that began its own text follows a change there: words stay apart. And a
            # replacement reads "<del>old</del> <ins>new</ins>", never "oldnew".
            apart = space is None or (kind == "ins" and previous == "del")
            pieces.append(space or (" " if apart else ""))
        if kind == "del":
            pieces.append(_deleted(a.span(start, stop)))
        elif kind == "ins":
            pieces.append(_inserted(b.span(start, stop)))
        else:
            first, last = index == 0, index == len(runs) - 1
            pieces.append(_unchanged(b, start, stop, keep=context, first=first, last=last))
        previous = kind
    pieces.append(b.tail)
    changed = any(kind for kind, _start, _stop, _space in runs)
    return WordDiff(html=_join(pieces), only_whitespace=not changed and old != new)
