"""The extractor's shortcuts give the answers of the slow ways they replace.

``extract/tokens.py`` reads token attributes, span texts, sentence entities
and span roots from plain lists; ``resolve_bridge.known_name`` rejects most
texts by their folded letters before it asks the tables; the mention, place
and event finders test words from per-article lists and per-process memories
before they make a spaCy ``Token``. Each must answer exactly as spaCy and the
full look-ups do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from hendelse.extract import mentions
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
        assert list(table.children[i]) == [child.i for child in token.children]
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
    return list(dict.fromkeys([*countries.table_forms("igos", "capitals"), *actors.direct_forms()]))


def test_every_form_the_tables_match_passes_the_quick_rejection():
    forms = _forms()
    assert len(forms) > 1000
    for form in forms:
        for text in (form, f"{form}s", f"{form}'s", f"{form}-s", f"{form}'"):
            assert rb._may_be_known(text), text
            assert rb._may_be_known(text.upper()) and rb._may_be_known(text.lower()), text
        for name in (form, form.upper()):
            if name[:1].isupper():  # the knowledge base reads a name after a title
                assert rb._may_be_known(f"guvernør {name}"), name
                assert rb._may_be_known(f"GUVERNØR {name}"), name


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
        "guvernør Oleg Kozjemjako",
        "Statsminister Erna Solberg",
        "USAs president",
        "NTB scanpix",
        "Det har vært",
    ],
)
def test_quick_rejection_changes_no_answer(text, monkeypatch):
    answers = (rb.known_name.__wrapped__(text), rb.known_exactly.__wrapped__(text))
    monkeypatch.setattr(rb, "_may_be_known", lambda text: True)
    assert answers == (rb.known_name.__wrapped__(text), rb.known_exactly.__wrapped__(text))


# -- entities (extract/mentions.py, resolve_bridge.py, resolve/actors.py) ----------


def _tokenised_texts(nlp) -> list[Doc]:
    """The gold and example articles, tokenised: real runs of words."""
    root = Path(__file__).resolve().parents[1]
    paths = [*(root / "gold").glob("*.txt"), *(root / "src/hendelse/examples").glob("*.txt")]
    return [nlp.make_doc(path.read_text("utf-8")) for path in sorted(paths)]


def test_a_runs_letters_are_its_words_letters(nlp, monkeypatch):
    """``rb.may_be_known_words`` walks each word's letters instead of the text's: the
    same letters wherever ``mentions._known_run`` relies on it, and the same answers."""
    words = ["Det", "\u030ahvite", "Å", "ø\u0338", "hus"]
    glued = Doc(nlp.vocab, words=words, spaces=[False, True, False, False, False])
    checked, passed = 0, []
    for doc in [*_tokenised_texts(nlp), glued]:
        table = TokenTable(doc)
        idx = table.idx
        for start in range(len(doc)):
            for stop in range(start + 1, min(start + 4, len(doc)) + 1):
                if table.space[stop - 1]:
                    break
                text, words = table.span_text(start, stop), table.words[start:stop]
                joined = range(start + 1, stop)
                if all(words[k - start][0].isascii() or idx[k] > table.end_char(k) for k in joined):
                    assert rb._letters(text) == "".join(map(rb._letters, words)), text
                    ends_known = rb._walk(rb._known_endings(), rb._letters(text)) is True
                    assert rb.may_be_known_words(words) == ends_known, text
                    assert ends_known or not rb._may_be_known(text), text
                    checked += 1
                assert mentions._known_run(table, start, stop) == rb.known_name(text), text
                if rb.may_be_known_words(words):  # the runs the extractor looks up
                    passed.append(text)
    assert checked > 20_000
    # the quick rejection of the texts that get that far changes no answer
    answers = [rb.known_name.__wrapped__(text) for text in passed]
    assert sum(answers) > 10
    monkeypatch.setattr(rb, "_may_be_known", lambda text: True)
    assert answers == [rb.known_name.__wrapped__(text) for text in passed]


def test_folding_never_joins_across_an_ascii_character_or_a_space():
    """Why the letters of a run are its words' letters: every character folds alone,
    and none combines with an ASCII character after it or anything after a space."""
    marks = [chr(c) for c in range(0x300, 0x370)] + ["\u1161", "\u11a8", "\u3099"]
    for code in [*range(0x3000), *range(0x1100, 0x1200), *range(0xAC00, 0xAC40)]:
        char = chr(code)
        for after in ("a", "'"):
            assert rb._letters(char + after) == rb._letters(char) + rb._letters(after)
        for mark in marks[::10]:
            assert rb._letters(f"{char} {mark}") == rb._letters(char) + rb._letters(mark)


def test_root_of_a_span_from_the_token_table(doc, nlp):
    """``TokenTable.root`` finds ``Span.root`` from the table's heads, no Span made."""
    root = Path(__file__).resolve().parents[1]
    examples = sorted((root / "src/hendelse/examples").glob("*.txt"))
    articles = [article_from_text(p.read_text("utf-8"), where=p.name, id=p.stem) for p in examples]
    for parsed in [doc, *(analyse(article, nlp) for article in articles)]:
        table = TokenTable(parsed)
        for start in range(len(parsed)):
            for end in range(start, min(start + 8, len(parsed)) + 1):
                assert table.root(start, end) == parsed[start:end].root.i


def test_known_longer_and_earlier_names_as_the_texts_say(nlp):
    """Runs whose last word ends no known name are skipped before any run is tried."""

    def longer(table: TokenTable, start: int, end: int, limit: int) -> int:
        best = end
        for stop in range(end + 1, min(end + 3, limit) + 1):
            if table.punct[stop - 1] or table.space[stop - 1]:
                break
            if rb.known_name(table.span_text(start, stop)):
                best = stop
        return best

    def earlier(table: TokenTable, start: int, end: int) -> int:
        for begin in (start - 1, start - 2):
            if begin < 0 or not table.words[begin][:1].isupper():
                break
            if rb.known_name(table.span_text(begin, end)):
                return begin
        return start

    found = 0
    for doc in _tokenised_texts(nlp):
        table = TokenTable(doc)
        for start in range(len(doc)):
            for end in range(start + 1, min(start + 2, len(doc)) + 1):
                expected = longer(table, start, end, len(doc))
                assert mentions._known_longer_name(table, start, end, len(doc)) == expected
                found += expected > end
                assert mentions._known_earlier_start(table, start, end, 0) == earlier(
                    table, start, end
                )
    assert found > 10


class _Everything(frozenset):
    """A set that has every string: the slow path of a quick rejection."""

    def __contains__(self, item: object) -> bool:
        return True


def _words_and_names(nlp) -> list[str]:
    words = {token.text for doc in _tokenised_texts(nlp) for token in doc}
    words |= {variant for word in list(words) for variant in (word.lower(), f"{word}s")}
    return sorted(words | set(_forms()) | {"Bogotá", "Støre", "‘Kim’ Jong‐un", "Hamas`", " x "})


def test_known_exactly_asks_only_about_the_knowledge_bases_forms(nlp, monkeypatch):
    words = _words_and_names(nlp)
    quick = [rb.known_exactly.__wrapped__(word) for word in words]
    assert {"ORG"} <= set(quick)
    monkeypatch.setattr(rb, "exact_forms", lambda: _Everything())
    assert quick == [rb.known_exactly.__wrapped__(word) for word in words]


def test_titles_and_actor_nouns_by_their_last_letters(nlp, monkeypatch):
    """A word can end with a listed head only if it ends with one's last four letters."""
    words = _words_and_names(nlp)
    nouns = [
        f"{prefix}{noun}{ending}"
        for noun in ("minister", "soldat", "leder", "talsperson", "politi", "sjef")
        for prefix in ("", "vise", "forsvars", "eks-", "opprørs")
        for ending in ("", "en", "ene", "er", "s")
    ]
    words += nouns
    quick = [(actors.resolve_title(w), actors.actor_noun(w)) for w in words]
    assert sum(title is not None for title, _ in quick) > 50
    monkeypatch.setattr(actors, "_title_tails", lambda: _Everything())
    monkeypatch.setattr(actors, "_noun_tails", lambda: _Everything())
    actors.resolve_title.cache_clear()  # the answers are remembered per word
    actors.actor_noun.cache_clear()
    assert quick == [(actors.resolve_title(w), actors.actor_noun(w)) for w in words]
    actors.resolve_title.cache_clear()
    actors.actor_noun.cache_clear()


def test_ascii_names_fold_the_quick_way(nlp):
    """``actors.normalise``, ``_clean_query`` and ``_word`` skip the Unicode steps for
    ASCII text, which they leave as it is."""
    import unicodedata

    def normalise(text: str) -> str:
        text = unicodedata.normalize("NFKC", text)
        text = text.translate(actors._DASHES).translate(actors._QUOTES).casefold()
        text = text.translate(actors._LETTERS)
        text = actors.strip_combining(unicodedata.normalize("NFKD", text))
        return actors._SPACE.sub(" ", actors._DROP.sub("", text)).strip()

    def clean_query(name: str) -> str:
        text = unicodedata.normalize("NFKC", name).translate(actors._DASHES)
        return " ".join(text.translate(actors._QUOTES).split()).strip(' ,;:«»"')

    def word(text: str) -> str:
        return unicodedata.normalize("NFKC", text).translate(actors._DASHES).strip().lower()

    texts = _words_and_names(nlp) + [chr(c) * 2 for c in range(128)] + ["A`B C-D_E/F.G"]
    for text in texts:
        assert actors.normalise(text) == normalise(text), text
        assert actors._clean_query(text) == clean_query(text), text
        assert actors._word(text) == word(text), text


def test_compounds_of_listed_words_by_their_endings(nlp):
    """``mentions._compound_of`` looks a word's endings up instead of trying every head."""
    heads_lists = [mentions._nonactor_words(), mentions._people_words()]
    words = _words_and_names(nlp)
    words += [
        f"{rest}{head}" for heads in heads_lists for head in heads for rest in ("", "ab", "abc")
    ]
    for heads in heads_lists:
        for word in words:
            slow = any(word.endswith(h) and len(word) - len(h) >= 3 for h in heads if len(h) >= 4)
            assert mentions._compound_of(word, heads) == slow, word


def test_names_normalise_the_quick_way_in_ascii(nlp):
    import re
    import unicodedata

    def slow(text: str) -> str:
        text = actors.strip_combining(unicodedata.normalize("NFKD", text.casefold()))
        return re.sub(r"[\s\-‐–]+", " ", text).strip()

    for text in _words_and_names(nlp) + [chr(c) * 2 for c in range(128)]:
        assert mentions.normalise(text) == slow(text), text


# -- places (extract/places.py) and the gazetteer's remembered readings ------------

PLACE_TEXT = """Angrep mot byen Sumy og Hmeimim-basen

Russiske styrker angrep i natt byen Sumy og kibbutzen Be'eri, sa guvernøren i \
Kharkiv oblast. Ramstein flybase og Vostotsjnyj kosmodrom ble også nevnt. \
Japans befolkning og Polens grense er ikke i Moskvas plan, sa Liv Øyen i Oslo \
sentrum. Flyktningleiren Moria på Lesbos ligger nær Mytilene. EU og NATO møtes \
i Brussel 12. mars.
"""


@pytest.fixture(scope="module")
def place_doc(nlp):
    return analyse(article_from_text(PLACE_TEXT, where="test", id="test"), nlp)


def test_place_word_lists_match_the_token_tests(place_doc):
    """The words Places picks from the token table once per article are the ones
    its per-word tests on ``Token`` objects let through."""
    from hendelse.extract import places

    table = TokenTable(place_doc)
    nouns = [
        t.i
        for t in place_doc
        if (t.pos_ in ("NOUN", "PROPN") or t.text[:1].isupper())
        and ("-" in t.text[1:] or places.place_noun(t.lemma_, t.lower_) is not None)
    ]
    lone = [
        t.i
        for t in place_doc
        if t.text[:1].isupper()
        and not t.is_punct
        and not t.like_num
        and (
            t.pos_ == "PROPN"
            or t.ent_type_
            or any(c.dep_ == "FLAT" for c in t.children)
            or rb.country_of_name(t.text)
        )
    ]
    assert table.initial_upper == [t.text[:1].isupper() for t in place_doc]
    assert places._noun_words(table) == nouns and len(nouns) > 5
    assert places._lone_capitalised_words(table) == lone and len(lone) > 10
    assert places._within(nouns, 3, 20) == [i for i in nouns if 3 <= i < 20]


PLACE_NAMES = [
    "Moskva", "Moskvas", "Khasan", "Tsjeljabinsk", "Vostotsjnyj", "Nizjnij Novgorod",
    "Donetsk oblast", "byen Khasan", "regionen Primorskij Kraj", "Hmeimim-basen",
    "Skottland", "Norges", "Georgia", "EU", "Jonas Gahr Støre", "Ørland", "Florida",
    "Salzburg", "Texas", "Lesbos", "Moria", "Saky flybase", "Bjørgen", "Sjtsjekino",
]  # fmt: skip


def test_remembered_readings_score_as_the_first_lookup(monkeypatch):
    """A name's readings are remembered apart from the context: a later lookup of
    the name with any context scores as a first lookup with that context does."""
    from hendelse.resolve import gazetteer

    contexts = [
        None,
        gazetteer.PlaceContext(countries=("RUS",)),
        gazetteer.PlaceContext(feature="admin1", article_countries=("UKR", "USA")),
        gazetteer.PlaceContext(nearby=((59.9, 10.7), (43.1, 131.9)), feature="city"),
    ]
    gaz = gazetteer.default()
    for name in PLACE_NAMES:
        for context in contexts:
            gaz._read.clear()
            gaz._remembered.clear()
            first = gaz.candidates(name, context=context)
            assert gaz.candidates(name, context=context) == first, (name, context)
        assert name.strip() in gaz._read
    monkeypatch.setattr(gazetteer.Gazetteer, "ROWS_REMEMBERED", 5)
    for name in PLACE_NAMES:
        gaz.resolve(name)
        assert len(gaz._read) <= 5  # bounded: forgotten past the limit


def test_name_keys_of_ascii_text_fold_as_the_general_path():
    """``name_key``'s byte-table path for ASCII text gives the key the general
    (Unicode) path gives the same text."""
    import random
    import string
    import unicodedata

    from hendelse.resolve import gazetteer

    def general(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text.casefold()).translate(gazetteer._SPECIAL)
        return " ".join(gazetteer._COMBINING.sub("", folded).split())

    draw = random.Random(5)
    texts = [*PLACE_NAMES, "Rostov-na-Donu", "O'Brien", "St. Petersburg", " x -- y ", ""]
    texts += ["".join(draw.choices(string.printable, k=draw.randint(1, 20))) for _ in range(3000)]
    for text in texts:
        if text.isascii():
            assert gazetteer.name_key(text) == general(text), text


# -- events, attribution and syntax (extract/events.py, attribution.py, syntax.py) --
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
    """All of them but words that cannot match (every entry needs a word the article lacks)."""
    from hendelse.extract.events import FUNCTION_POS, EventFinder
    from hendelse.extract.lexicon import load_lexicon

    lexicon = load_lexicon()
    finder = EventFinder(lexicon)
    dropped = 0
    for doc in example_docs:
        table = TokenTable(doc)
        slow = [
            token.i
            for token in doc
            if not (token.is_punct or token.is_space or token.like_num)
            and token.pos_ not in FUNCTION_POS
            and lexicon.candidates(token.lemma_, token.lower_)
        ]
        fast = finder._possible_triggers(table)
        assert fast and set(fast) <= set(slow) and fast == sorted(fast)
        for i in set(slow) - set(fast):
            assert finder._match(i, table, doc) is None
            dropped += 1
    assert dropped > 20


def test_candidates_are_decided_by_the_lemma_or_the_form_alone(example_docs):
    """``candidates(lemma, form)`` is not empty exactly when ``by_lemma_alone(lemma)`` or
    ``by_form_alone(form)`` holds: on the examples' words, and on every entry's forms
    as words of their own, as compounds and as too short compounds, in both places."""
    from hendelse.extract.lexicon import inflections, irregular_verbs, load_lexicon

    lexicon = load_lexicon()
    pairs = {(token.lemma_, token.lower_) for doc in example_docs for token in doc}
    words = {"zzz", *irregular_verbs()}
    for entry in lexicon.entries:
        for form in {entry.head, *inflections(entry.head, entry.pos)}:
            words |= {form, f"stor{form}", f"xy{form}", f"Fred{form}"}
    pairs |= {(word, "zzz") for word in words} | {("zzz", word) for word in words}
    pairs |= {(word, word) for word in words}
    for lemma, form in pairs:
        fast = lexicon.by_lemma_alone(lemma) or lexicon.by_form_alone(form)
        assert fast == bool(lexicon.candidates(lemma, form)), (lemma, form)


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


def test_a_clause_from_the_token_table_is_the_clause_from_the_parse(example_docs):
    from hendelse.extract.syntax import is_clause_head, is_clause_head_at, is_verb, verb_group

    found = 0
    for doc in example_docs:
        table = TokenTable(doc)
        assert [is_clause_head_at(table, t.i) for t in doc] == [is_clause_head(t) for t in doc]
        for token in doc:
            if is_verb(token):
                fast = verb_group(token).clause_offsets(table)
                assert fast == verb_group(token).clause_offsets()
                assert [t.i for t in verb_group(token).clause] == list(fast)
                found += len(fast) > 2
    assert found > 100


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


# -- time expressions (extract/timex.py) ------------------------------------------
# The screen writes the rules' word lists as prefix trees, which match the same strings
# as the rules' flat alternations: it must start where the flat screen starts.


def test_trie_screen_starts_where_the_flat_screen_does():
    import json
    import re

    from hendelse.extract.timex import _screen, timex_data

    from .conftest import shared_path

    data = timex_data()
    flat = _screen([rule.pattern.pattern for rule in data.screened])
    repo = Path(__file__).resolve().parents[1]
    texts = [path.read_text(encoding="utf-8") for path in repo.glob("gold/*.txt")]
    news = shared_path("data", "news", "norquad-news-dev.jsonl")
    texts += [json.loads(line)["text"] for line in news.read_text(encoding="utf-8").splitlines()]
    lines = [s for text in texts for s in re.split(r"(?<=[.!?\n])\s+", text) if s]
    lines += [rule.example for rule in data.rules if rule.example]
    # every listed word alone, inside a longer word and in front of one
    lines += [f"{w} og x{w} og {w}x {w.upper()}" for words in data.words.values() for w in words]
    matched = 0
    for line in lines:
        fast, slow = data.screen.search(line), flat.search(line)
        assert (fast.start() if fast else None) == (slow.start() if slow else None), line
        matched += slow is not None
    assert len(lines) > 4_000 and matched > 1_000


# -- morphological features (extract/syntax.py) ------------------------------------


def test_morphological_features_read_as_spacy_gives_them(example_docs):
    """``syntax.feature`` parses the analysis's text instead of ``MorphAnalysis.get``."""
    from hendelse.extract.syntax import feature

    for doc in example_docs:
        for token in doc:
            fields = {feat.split("=")[0] for feat in str(token.morph).split("|") if feat}
            for field in (*fields, "Voice", "VerbForm", "Tense", "Case", "Definite"):
                assert list(feature(token, field)) == token.morph.get(field)


def test_morphological_features_with_several_values_read_as_spacy_gives_them():
    """A field may hold several values ("PronType=Int,Rel"): each is its own value."""
    import spacy

    from hendelse.extract.syntax import feature

    morphs = ["PronType=Int,Rel|Number=Sing", "Voice=Pass|VerbForm=Part", "", "Case=Acc,Nom"]
    doc = Doc(spacy.blank("nb").vocab, words=["hva", "tatt", "og", "dem"], morphs=morphs)
    for token in doc:
        for field in ("PronType", "Number", "Voice", "VerbForm", "Case", "Tense"):
            assert list(feature(token, field)) == token.morph.get(field), (token.text, field)
    assert feature(doc[0], "PronType") == ("Int", "Rel")


# -- entities: noun candidates and name runs (extract/mentions.py, resolve_bridge.py) -
# The noun pass of the mention finder tests only the nouns a per-word answer picks, and
# the per-word answers are read from bounded memos.


def _mentions_of(doc: Doc) -> list[tuple]:
    from hendelse.extract.places import Places

    table = TokenTable(doc)
    content = list(doc.sents)
    found = mentions.Entities(doc, content, None, Places(doc, content, table), table)
    return [(m.start, m.end, m.kind, m.label, m.entity, m.title) for m in found.mentions]


def test_noun_candidates_leave_out_no_mention(example_docs, nlp, monkeypatch):
    """The same mentions as when the noun pass tests every noun and every word that may
    be a pronoun, as it did before the candidates were picked."""
    gold = sorted((Path(__file__).resolve().parents[1] / "gold").glob("*.txt"))
    articles = [article_from_text(p.read_text("utf-8"), where=p.name, id=p.stem) for p in gold]
    docs = [*example_docs, *(analyse(article, nlp) for article in articles)]
    picked = [_mentions_of(doc) for doc in docs]
    kinds = [kind for found in picked for _, _, kind, *_ in found]
    assert kinds.count("group") > 100 and kinds.count("pronoun") > 30

    def every_noun(tokens: TokenTable) -> list[int]:
        pairs = enumerate(zip(tokens.lower, tokens.pos, strict=True))
        return [i for i, (w, tag) in pairs if tag in ("NOUN", "PROPN") or w in every_pointer]

    every_pointer = mentions._PRONOUNS | mentions.THE_COUNTRY | {"to"}

    monkeypatch.setattr(mentions, "_noun_candidates", every_noun)
    assert picked == [_mentions_of(doc) for doc in docs]


def test_memo_answers_as_its_function_and_stays_bounded(monkeypatch):
    asked: list[str] = []

    def upper(word: str) -> str:
        asked.append(word)
        return word.upper()

    memo = rb._Memo(upper)
    monkeypatch.setattr(memo, "limit", 3)
    for word in ["a", "b", "a", "c", "d", "e", "a"]:
        assert memo[word] == word.upper()
        assert len(memo) <= 3
    assert asked == ["a", "b", "c", "d", "e", "a"]  # "a" forgotten when the memo filled


def test_runs_from_a_word_no_known_name_starts_with_are_not_known(nlp):
    """``mentions._may_start_known_run`` turns a word away only when no text of it and
    the words after it passes the quick rejection of ``known_name``."""
    turned_away = asked = 0
    for doc in _tokenised_texts(nlp):
        table = TokenTable(doc)
        for start in range(len(doc) - 1):
            asked += 1
            if mentions._may_start_known_run(table, start):
                continue
            turned_away += 1
            for stop in range(start + 2, min(start + 5, len(doc)) + 1):
                assert not rb._may_be_known(table.span_text(start, stop)), table.words[start]
    assert turned_away > asked / 4
    # the words of known names do start them
    for name in ("Leger uten grenser", "Det hvite hus", "Svenska Dagbladet"):
        assert rb.known_name(name)
        table = TokenTable(nlp.make_doc(name))
        assert mentions._may_start_known_run(table, 0), name
    # a title, which the tables read past ("Talsmann Ola Nordmann"), begins no form
    assert "talsmann" not in rb._known_beginnings() and rb.may_start_known["Talsmann"]


# -- places, the token table and the extractor's glue (extract/places.py, extractor.py,
# reader/article.py) ----------------------------------------------------------------


def test_place_nouns_by_their_last_letters(nlp, monkeypatch):
    """``places._place_noun_of`` looks only at words that end as a place noun form or
    ending does; the answers are those of trying every word."""
    from hendelse.extract import places

    words = _words_and_names(nlp) + [w for w in PLACE_TEXT.split() if w.isalpha()]
    words += [f"{prefix}{form}" for form in places._noun_forms() for prefix in ("", "a", "grense")]
    pairs = [(word, word.lower()) for word in words]
    pairs += zip(words, reversed(words), strict=True)  # a lemma and another word's form
    quick = [places._place_noun_of.__wrapped__(lemma, form) for lemma, form in pairs]
    assert sum(noun is not None for noun in quick) > 100
    monkeypatch.setattr(places, "_noun_tails", lambda: _Everything())
    assert quick == [places._place_noun_of.__wrapped__(lemma, form) for lemma, form in pairs]


def test_block_index_is_the_position_of_the_block_found():
    from hendelse.reader.article import Article, Block

    blocks = [Block("headline", 0, 5), Block("paragraph", 7, 12), Block("paragraph", 7, 12)]
    article = Article("x" * 14, blocks=blocks)
    for offset in range(-1, 15):
        block = article.block_at(offset)
        expected = article.blocks.index(block) if block is not None else -1
        assert article.block_index_at(offset) == expected


def test_common_place_nouns_from_the_token_table(place_doc, example_docs):
    """``places._common_place_noun`` reads the table as the ``Token`` test read spaCy."""
    from hendelse.extract import places

    def slow(token) -> dict | None:
        if token.pos_ not in ("NOUN", "PROPN") or not token.is_alpha:
            return None
        if not (token.text.islower() or token.is_sent_start):
            return None
        facts = places.place_noun(token.lemma_, token.lower_)
        return None if facts is None or facts["feature"] == "country" else facts

    found = 0
    for doc in [place_doc, *example_docs]:
        table = TokenTable(doc)
        for token in doc:
            facts = places._common_place_noun(table, token.i)
            assert facts == slow(token), token.text
            found += facts is not None
    assert found > 5


# -- lexicon suffix scans (extract/lexicon.py) ---------------------------------------


def test_lexicon_suffix_scans_by_their_last_letters(nlp, monkeypatch):
    """``by_lemma_alone`` and ``by_form_alone`` scan the suffixes only of words that end
    as some compound ending does; the answers are those of scanning every word."""
    from hendelse.extract.lexicon import load_lexicon

    lexicon = load_lexicon()
    words = _words_and_names(nlp)
    words += [f"{prefix}{end}" for end in lexicon._by_ending for prefix in ("", "ab", "stor")]
    words += [f"{word}x" for word in words]
    quick = [(lexicon.by_lemma_alone(word), lexicon.by_form_alone(word)) for word in words]
    assert sum(lemma or form for lemma, form in quick) > 300
    monkeypatch.setattr(lexicon, "_ending_tails", _Everything())
    assert quick == [(lexicon.by_lemma_alone(word), lexicon.by_form_alone(word)) for word in words]


# -- titles and actor nouns (resolve/actors.py, extract/resolve_bridge.py) ----------
# ``title_or_actor_noun`` turns a noun away when no word that ``title`` and
# ``actor_noun`` look up is, starts or ends as a listed word.


def test_nouns_turned_away_are_neither_titles_nor_actor_nouns(example_docs):
    listed = [*actors._titles()[0], *actors._nouns()]
    real = {(t.lemma_.lower(), t.lower_) for doc in example_docs for t in doc}
    words = set(real) | {(t.lemma_, t.text) for doc in example_docs for t in doc}
    for word in listed:  # listed words, compounds and inflections of them, near misses
        for made in (word, f"stats{word}", f"vise{word}", f"{word}en", f"{word}ene", word[1:]):
            words |= {(made, made), (word, made), (made[:-1], made)}
    turned_away = []
    for lemma, form in sorted(words):
        if not any(map(actors.may_be_role_word, rb._title_words(lemma, form))):
            turned_away.append((lemma, form))
            assert rb.title(lemma, form) is None, (lemma, form)
            assert rb.actor_noun(lemma, form) is None, (lemma, form)
        assert rb.title_or_actor_noun[lemma, form] == (
            rb.title(lemma, form) is not None or rb.actor_noun(lemma, form) is not None
        )
    assert len(real.intersection(turned_away)) > len(real) / 4


# -- country and IGO names (resolve/countries.py, extract/resolve_bridge.py) ---------
# ``country_of_name`` and ``igo_of_name`` turn a text away when its letters are not
# those of a form the tables match (with a genitive "s").


def _country_texts(nlp) -> set[str]:
    """Runs of one to three words of the gold and example articles, and every form the
    tables match, in other cases, in the genitive and in quotes."""
    texts = set()
    for doc in _tokenised_texts(nlp):
        words = [t.text for t in doc]
        for size in (1, 2, 3):
            texts |= {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
    for form in countries.table_forms("names", "capitals", "igos"):
        for text in (form, f"{form}s", f"{form}'s", f"{form}-s", f"{form}'", f"«{form}»"):
            texts |= {text, text.upper(), text.lower(), text.title()}
    return texts


def test_names_turned_away_name_no_country_capital_or_igo(nlp):
    turned_away = found = 0
    for text in sorted(_country_texts(nlp)):
        letters = rb._letters(text)
        for kinds, lookups in (
            (("names", "capitals"), (countries.lookup_name, countries.lookup_capital)),
            (("igos",), (countries.lookup_igo,)),
        ):
            if letters not in rb._letters_of_forms(*kinds):
                turned_away += 1
                assert all(lookup(text) is None for lookup in lookups), text
            else:
                found += any(lookup(text) is not None for lookup in lookups)
        assert rb.country_of_name(text) == rb.country_of_name.__wrapped__(text)
    assert turned_away > 20_000 and found > 1_000
