"""The corpus of real-style messages (sentences.tsv): the share read as meant, printed."""

from __future__ import annotations

from collections import Counter

from tests.engine.corpus import lines, read_line, screens

GOAL = 0.95
STORED = ("text",)  # screens whose typed answer is saved as it is (a registration field)


def test_the_corpus_is_large_and_varied() -> None:
    corpus = lines()
    assert len(corpus) >= 300
    assert set(screens()) == {line.screen for line in corpus}
    plain = [line for line in corpus if line.text.isascii()]
    assert len(plain) >= 100  # typed without diacritics
    for short in ("ko", "dc", "k", "sp", "dk"):
        assert any(short in line.text.split() for line in corpus), short


def test_the_share_read_as_meant_reaches_the_goal(capsys: object) -> None:
    corpus = lines()
    missed = [(line, read_line(line)) for line in corpus]
    missed = [(line, got) for line, got in missed if got not in line.meaning.split("|")]
    share = 1 - len(missed) / len(corpus)
    by_screen = Counter(line.screen for line, _ in missed)
    print(f"\ncorpus: {len(corpus)} messages, read as meant: {share:.1%}; missed by screen: "
          f"{dict(by_screen)}")
    for line, got in missed:
        print(f"  [{line.screen}] {line.text!r}: meant {line.meaning}, read {got}")
    assert share >= GOAL


def test_no_request_is_saved_as_a_steps_answer() -> None:
    wrong = [
        line.text
        for line in lines()
        if line.screen in STORED
        and "answer" not in line.meaning.split("|")
        and read_line(line) == "answer"
    ]
    assert not wrong


def test_every_answer_at_a_text_step_is_kept_as_typed() -> None:
    wrong = [
        (line.text, read_line(line))
        for line in lines()
        if line.screen in STORED and line.meaning == "answer" and read_line(line) != "answer"
    ]
    assert not wrong
