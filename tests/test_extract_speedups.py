"""The extractor's shortcuts give the answers of the slow ways they replace.

``extract/tokens.py`` reads token attributes, span texts and sentence
entities from plain lists; ``resolve_bridge.known_name`` rejects most texts
by their folded letters before it asks the tables. Both must answer exactly
as spaCy and the full look-ups do.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from hendelse.extract import resolve_bridge as rb
from hendelse.extract import tokens as token_table
from hendelse.extract.tokens import TokenTable
from hendelse.nlp.pipeline import analyse
from hendelse.reader.sources import article_from_text
from hendelse.resolve import actors, countries

TEXT = """Leger uten grenser: Angrep i Kharkiv

Guvernør Oleg Synjehubov i Kharkiv oblast sa til Reuters at russiske styrker \
angrep byen natt til fredag. Svenska Dagbladet og NTB meldte at FNs \
sikkerhetsråd møtes i New York.   Det hvite hus nekter.
"""


@pytest.fixture(scope="module")
def doc(nlp):
    return analyse(article_from_text(TEXT, where="test", id="test"), nlp)


def test_token_table_matches_spacy(doc):
    table = TokenTable(doc)
    assert table.text == doc.text
    for token in doc:
        i = token.i
        assert table.words[i] == token.text and table.lower[i] == token.lower_
        assert table.lemma[i] == token.lemma_ and table.like_num[i] == token.like_num
        assert (table.pos[i], table.dep[i], table.ent_type[i]) == (
            token.pos_,
            token.dep_,
            token.ent_type_,
        )
        assert (table.idx[i], table.punct[i], table.space[i]) == (
            token.idx,
            token.is_punct,
            token.is_space,
        )
        assert table.sent_start[i] == bool(token.is_sent_start)
        assert table.head[i] == token.head.i
        assert table.children[i] == [child.i for child in token.children]
    for start in range(len(doc)):
        for end in range(start + 1, min(start + 6, len(doc)) + 1):
            span = doc[start:end]
            assert table.span_text(start, end) == span.text
            assert (table.idx[start], table.end_char(end)) == (span.start_char, span.end_char)
    sentences = list(doc.sents)
    assert len(sentences) > 2 and doc.ents
    for sentence in sentences:
        assert table.ents_in(sentence) == list(sentence.ents)


def test_token_strings_are_remembered_per_vocabulary_and_bounded(doc, monkeypatch):
    import spacy

    TokenTable(doc)
    remembered = token_table._STRINGS
    assert remembered.store is doc.vocab.strings and remembered
    other = spacy.blank("nb")("Helt andre ord her")
    assert TokenTable(other).words == ["Helt", "andre", "ord", "her"]
    assert remembered.store is other.vocab.strings  # a new vocabulary starts afresh
    TokenTable(doc)
    assert len(remembered) > 20
    monkeypatch.setattr(token_table._Strings, "limit", 20)
    small = Doc(doc.vocab, words=["Helt", "andre"])
    assert TokenTable(small).words == ["Helt", "andre"]
    assert len(remembered) < 10  # past the limit: forgotten, then filled from this doc


def _forms() -> list[str]:
    return list(dict.fromkeys([*countries.igo_and_capital_forms(), *actors.direct_forms()]))


def test_every_form_the_tables_match_passes_the_quick_rejection():
    forms = _forms()
    assert len(forms) > 1000
    for form in forms:
        for text in (form, f"{form}s", f"{form}'s", f"{form}-s", f"{form}'", f"guvernør {form}"):
            assert rb._may_be_known(text), text
            assert rb._may_be_known(text.upper()) and rb._may_be_known(text.lower()), text


@pytest.mark.parametrize(
    "text",
    [
        "Trond Moi og den",
        "Leger uten grenser",
        "Leger uten",
        "Det hvite hus",
        "FNs sikkerhetsråd",
        "Svenska Dagbladet",
        "Kong Harald",
        "Nord Koreas",
        "Recep Tayyip Erdogan",
        "russiske styrker angrep",
        "NTB meldte",
        "dpa",
        "regjeringen",
    ],
)
def test_quick_rejection_changes_no_answer(text, monkeypatch):
    answers = (rb.known_name.__wrapped__(text), rb.known_exactly.__wrapped__(text))
    monkeypatch.setattr(rb, "_may_be_known", lambda text: True)
    assert answers == (rb.known_name.__wrapped__(text), rb.known_exactly.__wrapped__(text))


# -- added for the events, attribution and syntax speed-ups -----------------------------------
# The event finder and the attribution step pick the words worth a closer look from the
# token table in one pass over the article; they must pick exactly the words the old
# word-by-word tests picked, and the table's answers must be spaCy's.


@pytest.fixture(scope="module")
def example_docs(nlp):
    from pathlib import Path

    import hendelse

    folder = Path(hendelse.__file__).parent / "examples"
    texts = [TEXT, *(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt")))]
    return [
        analyse(article_from_text(t, where="test", id=f"t{n}"), nlp) for n, t in enumerate(texts)
    ]


def test_token_table_tags_and_verbs_match_spacy(example_docs):
    from hendelse.extract.syntax import is_verb, is_verb_at

    for doc in example_docs:
        table = TokenTable(doc)
        assert [table.tag_of(token.i) for token in doc] == [token.tag_ for token in doc]
        assert [is_verb_at(table, token.i) for token in doc] == [is_verb(token) for token in doc]


def test_possible_triggers_are_the_words_the_full_lexicon_test_finds(example_docs):
    from hendelse.extract.events import FUNCTION_POS, EventFinder
    from hendelse.extract.lexicon import load_lexicon

    lexicon = load_lexicon()
    finder = EventFinder(lexicon)
    for doc in example_docs:
        table = TokenTable(doc)
        slow = [
            token.i
            for token in doc
            if not (token.is_punct or token.is_space or token.like_num)
            and token.pos_ not in FUNCTION_POS
            and lexicon.candidates(token.lemma_, token.lower_)
        ]
        assert slow and finder._possible_triggers(table) == slow


def test_cue_offsets_are_the_words_that_can_start_a_frame(example_docs):
    from hendelse.extract import attribution

    data = attribution.cues()
    for doc in example_docs:
        slow = [
            token.i
            for token in doc
            if token.lemma_.lower() in data["cue_words"] or token.lower_ in data["according_to"]
        ]
        assert slow and attribution.cue_offsets(TokenTable(doc)) == slow


def test_a_groups_clause_is_found_once_and_in_order(example_docs):
    from hendelse.extract.syntax import clause_tokens, is_verb, verb_group

    for doc in example_docs:
        for token in doc:
            if is_verb(token):
                group = verb_group(token)
                clause = clause_tokens(group)
                assert clause is clause_tokens(group)  # remembered by the group
                assert list(clause[: len(group.tokens)]) == group.tokens
                assert len({t.i for t in clause}) == len(clause)


def test_frames_are_filed_alike_for_the_words_asked_about(example_docs):
    from hendelse.extract import attribution
    from hendelse.extract.extractor import _paragraph_index, content_sentences
    from hendelse.extract.mentions import Entities
    from hendelse.extract.places import Places
    from hendelse.reader.sources import article_from_text

    found = 0
    for doc in example_docs:
        article = article_from_text(doc.text, where="test", id="test")
        table = TokenTable(doc)
        content = content_sentences(article, doc, table)
        places = Places(doc, content, table)
        entities = Entities(doc, content, article.published, places, table)
        paragraphs = _paragraph_index(article, content)
        every = attribution.attribute(content, entities, paragraphs, set(range(len(doc))))
        found += len(every)
        some = set(range(0, len(doc), 3))
        assert attribution.attribute(content, entities, paragraphs, some) == {
            i: frames for i, frames in every.items() if i in some
        }
    assert found > 50


def test_word_memo_answers_as_its_test_and_stays_bounded():
    from hendelse.extract.lexicon import WordMemo

    asked: list[str] = []

    def test(word: str) -> bool:
        asked.append(word)
        return word.startswith("a")

    memo = WordMemo(test, limit=5)
    for words in ({"a", "b", "ab"}, {"ab", "c"}, {"a", "b", "ab", "c", "ad", "e"}, {"ab", "ba"}):
        assert memo.among(words) == {w for w in words if test(w)}
        assert len(memo._seen) <= max(5, len(words))
    asked.clear()
    memo.among({"ab", "ba"})
    assert not asked  # remembered


def test_first_word_skips_whitespace_as_a_token_loop_does(example_docs):
    for doc in example_docs:
        table = TokenTable(doc)
        for start in range(len(doc)):
            for end in (start, start + 1, start + 3, len(doc)):
                slow = next((t.i for t in doc[start:end] if not t.is_space), None)
                assert table.first_word(start, end) == slow
