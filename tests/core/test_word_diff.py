"""The word diff of the conflict screen: words removed struck through, words added underlined,
both said aloud to a screen reader, the users' text escaped, and long texts not compared."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications.core.word_diff import WORD_LIMIT, word_diff

HIDDEN = re.compile(r'<span class="visually-hidden">[^<]*</span>')


def readable(markup: str | None) -> str:
    """The diff as a reviewer reads it: [-removed-] and {+added+}, the hidden texts left out."""
    assert markup is not None
    text = HIDDEN.sub("", markup).replace('<span aria-hidden="true">[…]</span>', "[…]")
    text = text.replace("<del>", "[-").replace("</del>", "-]")
    text = text.replace("<ins>", "{+").replace("</ins>", "+}")
    assert "<" not in text, text  # no other tag than del and ins
    return html.unescape(text)


def kept(markup: str | None) -> str:
    """What is left without the removed words: the new text (but for the spaces around a removed
    word, which stay on the screen)."""
    assert markup is not None
    # The space between a replaced word and its replacement goes with the replaced word.
    text = re.sub(r"<del>.*?</del>(?: (?=<ins>))?", "", HIDDEN.sub("", markup), flags=re.S)
    return html.unescape(text.replace("<ins>", "").replace("</ins>", ""))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Samen met VDAB", "Samen met VDAB en OCMW", "Samen met VDAB {+en OCMW+}"),
        ("Samen met VDAB en OCMW", "Samen met OCMW", "Samen met [-VDAB en-] OCMW"),
        ("Versie van Alice", "Versie van Tom", "Versie van [-Alice-] {+Tom+}"),
        ("Oud begin van de zin", "Nieuw begin van de zin", "[-Oud-] {+Nieuw+} begin van de zin"),
        ("", "Alleen nieuw", "{+Alleen nieuw+}"),
        # Punctuation is compared on its own: a comma added does not mark the word before it.
        (
            "Samen met VDAB en OCMW.",
            "Samen met VDAB, OCMW en de besturen.",
            "Samen met VDAB{+, OCMW+} en [-OCMW-] {+de besturen+}.",
        ),
        (
            "Budget (1.500,00 euro).",
            "Budget (1.000,00 euro).",
            "Budget ([-1.500,00-] {+1.000,00+} euro).",
        ),
        ("Alleen oud", "", "[-Alleen oud-]"),
    ],
)
def test_words_added_removed_and_changed(old: str, new: str, expected: str) -> None:
    result = word_diff(old, new)
    assert not result.too_long
    assert readable(result.html) == expected
    assert " ".join(kept(result.html).split()) == " ".join(new.split())


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
    assert "&lt;" in markup and "&amp; &lt;b&gt;vet&lt;/b&gt;" in markup
    assert readable(markup) == (
        "<[-script>alert('oud')</script-] {+script>alert('nieuw')</script+}> & <b>vet</b>"
    )
    assert " ".join(kept(markup).split()) == " ".join(new.split())


def test_with_context_long_unchanged_stretches_are_left_out() -> None:
    """Every change of a long text at once: a few words around each, "[…]" for the rest."""
    words = [f"w{i}" for i in range(200)]
    new = list(words)
    new[50] = "VIJFTIG"
    new[150] = "HONDERDVIJFTIG"
    result = word_diff(" ".join(words), " ".join(new), context=3)
    assert readable(result.html) == (
        "[…] w47 w48 w49 [-w50-] {+VIJFTIG+} w51 w52 w53 […] w147 w148 w149 [-w150-] "
        "{+HONDERDVIJFTIG+} w151 w152 w153 […]"
    )
    # A screen reader hears what the brackets mean.
    assert (result.html or "").count(
        '<span aria-hidden="true">[…]</span>'
        '<span class="visually-hidden">ongewijzigde tekst overgeslagen</span>'
    ) == 3
    # A short stretch is shown whole, and without context the whole text is.
    assert "[…]" not in (word_diff("a b c d e", "a b X d e", context=3).html or "")
    assert "[…]" not in (word_diff(" ".join(words), " ".join(new)).html or "")


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


def removed(markup: str | None) -> str:
    """What is left without the added words: the words of the old text."""
    assert markup is not None
    text = re.sub(
        r"(?<=</del>) ?<ins>.*?</ins>|<ins>.*?</ins>", "", HIDDEN.sub("", markup), flags=re.S
    )
    return html.unescape(text.replace("<del>", "").replace("</del>", ""))


TEXTS = st.text(alphabet=st.sampled_from(list("ab <&>.,;'\n-é")), max_size=60)


@given(old=TEXTS, new=TEXTS)
def test_the_diff_holds_both_texts_and_no_markup_of_theirs(old: str, new: str) -> None:
    result = word_diff(old, new)
    assert result.html is not None
    # Every character of both texts, in order; only the white space may differ.
    assert "".join(kept(result.html).split()) == "".join(new.split())
    assert "".join(removed(result.html).split()) == "".join(old.split())
