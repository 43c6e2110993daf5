"""The word diff of the conflict screen: words removed struck through, words added underlined,
both said aloud to a screen reader, the users' text escaped, and long texts not compared."""

from __future__ import annotations

import html
import re

import pytest

from applications.core.word_diff import WORD_LIMIT, word_diff

HIDDEN = re.compile(r'<span class="visually-hidden">[^<]*</span>')


def readable(markup: str | None) -> str:
    """The diff as a reviewer reads it: [-removed-] and {+added+}, the hidden texts left out."""
    assert markup is not None
    text = HIDDEN.sub("", markup)
    text = text.replace("<del>", "[-").replace("</del>", "-]")
    text = text.replace("<ins>", "{+").replace("</ins>", "+}")
    assert "<" not in text, text  # no other tag than del and ins
    return html.unescape(text)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Samen met VDAB", "Samen met VDAB en OCMW", "Samen met VDAB {+en OCMW+}"),
        ("Samen met VDAB en OCMW", "Samen met OCMW", "Samen met [-VDAB en-] OCMW"),
        ("Versie van Alice", "Versie van Tom", "Versie van [-Alice-] {+Tom+}"),
        ("Oud begin van de zin", "Nieuw begin van de zin", "[-Oud-] {+Nieuw+} begin van de zin"),
        ("", "Alleen nieuw", "{+Alleen nieuw+}"),
        ("Alleen oud", "", "[-Alleen oud-]"),
    ],
)
def test_words_added_removed_and_changed(old: str, new: str, expected: str) -> None:
    result = word_diff(old, new)
    assert not result.too_long
    assert readable(result.html) == expected


def test_unchanged_lines_keep_their_line_breaks() -> None:
    old = "Eerste alinea.\n\nTweede alinea over werk."
    new = "Eerste alinea.\n\nTweede alinea over sociale economie en werk.\n- een lijst"
    assert readable(word_diff(old, new).html) == (
        "Eerste alinea.\n\nTweede alinea over {+sociale economie en+} werk.\n{+- een lijst+}"
    )


def test_a_screen_reader_hears_where_a_change_starts_and_ends() -> None:
    markup = word_diff("Versie van Alice", "Versie van Tom").html
    assert markup == (
        'Versie van <del><span class="visually-hidden">verwijderd: </span>Alice'
        '<span class="visually-hidden"> einde verwijderd</span></del> '
        '<ins><span class="visually-hidden">toegevoegd: </span>Tom'
        '<span class="visually-hidden"> einde toegevoegd</span></ins>'
    )


def test_user_text_is_escaped_never_markup() -> None:
    old = "<script>alert('oud')</script> & <b>vet</b>"
    new = "<script>alert('nieuw')</script> & <b>vet</b>"
    markup = word_diff(old, new).html
    assert markup is not None
    assert "<script" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(&#x27;nieuw&#x27;)&lt;/script&gt;" in markup
    assert "&amp; &lt;b&gt;vet&lt;/b&gt;" in markup
    assert readable(markup) == (
        "[-<script>alert('oud')</script>-] {+<script>alert('nieuw')</script>+} & <b>vet</b>"
    )


def test_a_difference_in_white_space_only_is_said() -> None:
    result = word_diff("Twee  spaties", "Twee spaties")
    assert result.only_whitespace
    assert readable(result.html) == "Twee spaties"
    assert not word_diff("Twee spaties", "Twee woorden").only_whitespace


def test_long_texts_with_one_change_are_still_compared() -> None:
    """The common beginning and end do not count: a 20,000-character text with one word added
    gets its diff, however many words it has."""
    words = ["ab"] * 6_666
    old = " ".join(words)  # 19,997 characters, 6,666 words
    new = " ".join([*words[:3_333], "ingevoegd", *words[3_333:]])
    result = word_diff(old, new)
    assert not result.too_long
    assert result.html is not None
    assert result.html.count("<ins>") == 1 and "<del>" not in result.html


def test_two_long_texts_that_differ_throughout_are_not_compared_word_by_word() -> None:
    # Within the forms' limit of 20,000 characters: short words, none in common.
    old = " ".join(f"o{i % 97}" for i in range(WORD_LIMIT // 2 + 1))
    new = " ".join(f"n{i % 89}" for i in range(WORD_LIMIT // 2 + 1))
    assert len(old) <= 20_000 and len(new) <= 20_000
    result = word_diff(old, new)
    assert result.too_long
    assert result.html is None
    # Just under the limit the words are compared.
    shorter = word_diff(old.rsplit(" ", 1)[0], new.rsplit(" ", 1)[0])
    assert not shorter.too_long
