"""Read the Norwegian Dependency Treebank (NDT/NorNE) and turn it into spaCy docs.

The NDT files hold one token a line with ten tab-separated columns::

    ID FORM LEMMA POS POS FEATS HEAD DEPREL _ name=<BIO tag>

and a blank line between sentences. The sentences of one file are running
text, so consecutive sentences are joined into multi-sentence docs: the
parser then learns where sentences end, which the project needs on news
text. Headlines end with a ``|`` token in NDT; it is kept as a line break
(a whitespace token) so the model learns that a line break ends a headline
instead of learning to cut sentences before capitalised names.

The text is detokenised with ordinary Norwegian spacing rules ("Oslo, 12.",
«sitat») so that the training text looks like the news text the model
will read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

HEADLINE_MARK = "|"
NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "»", "…", "%", "'"}
NO_SPACE_AFTER = {"(", "[", "«"}


class NDTFormatError(ValueError):
    """A line of an NDT file that cannot be read; the message names file and line."""


@dataclass
class NDTToken:
    form: str
    lemma: str
    pos: str
    feats: list[str]
    head: int  # 1-based index into the sentence, 0 for the root
    deprel: str
    ner: str  # BIO tag such as "B-PER" or "O"


@dataclass
class NDTSentence:
    tokens: list[NDTToken] = field(default_factory=list)
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class TagScheme:
    """The mapping of NDT tags to spaCy attributes (``data/ndt_tags.yaml``)."""

    upos: dict[str, str]
    proper_noun_feature: str
    auxiliary_lemmas: frozenset[str]
    numeral_words: frozenset[str]
    features: dict[str, tuple[str, str]]

    def to_upos(self, token: NDTToken) -> str:
        upos = self.upos.get(token.pos, "X")
        if token.pos == "subst" and self.proper_noun_feature in token.feats:
            return "PROPN"
        if token.pos == "verb" and token.lemma.lower() in self.auxiliary_lemmas:
            return "AUX"
        if token.pos == "det" and "kvant" in token.feats:
            lemma = token.lemma.lower()
            if lemma in self.numeral_words or re.fullmatch(r"[\d.,]+", token.form):
                return "NUM"
        return upos

    def to_morph(self, token: NDTToken) -> str:
        pairs: dict[str, list[str]] = {}
        for value in token.feats:
            key, mapped = self.features.get(value, ("Ndt", _safe(value)))
            pairs.setdefault(key, [])
            if mapped not in pairs[key]:
                pairs[key].append(mapped)
        return "|".join(f"{k}={','.join(sorted(v))}" for k, v in sorted(pairs.items()))


def _safe(value: str) -> str:
    """Make an NDT value usable as a spaCy morph value (no '=', '|', ',')."""
    return re.sub(r"[=|,<>+/]", "_", value).strip("_") or "x"


@cache
def load_tag_scheme() -> TagScheme:
    text = resources.files("hendelse.nlp").joinpath("data/ndt_tags.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return TagScheme(
        upos=dict(data["upos"]),
        proper_noun_feature=data["proper_noun_feature"],
        auxiliary_lemmas=frozenset(data["auxiliary_lemmas"]),
        numeral_words=frozenset(w.lower() for w in data["numeral_words"]),
        features={str(k): (v[0], str(v[1])) for k, v in data["features"].items()},
    )


def read_ndt(path: Path) -> Iterator[NDTSentence]:
    """Yield the sentences of one NDT file, checking each line's shape."""
    sentence = NDTSentence(source=str(path), line=1)
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n")
            if not line.strip():
                if sentence.tokens:
                    yield sentence
                sentence = NDTSentence(source=str(path), line=number + 1)
                continue
            if line.startswith("#"):
                continue
            sentence.tokens.append(_parse_line(line, path, number, len(sentence.tokens)))
    if sentence.tokens:
        yield sentence


def _parse_line(line: str, path: Path, number: int, position: int) -> NDTToken:
    cols = line.split("\t")
    where = f"{path}:{number}"
    if len(cols) != 10:
        raise NDTFormatError(f"{where}: expected 10 tab-separated columns, found {len(cols)}")
    ident, form, lemma, pos, _pos2, feats, head, deprel, _, misc = cols
    if not ident.isdigit() or int(ident) != position + 1:
        raise NDTFormatError(f"{where}: token id {ident!r} should be {position + 1}")
    if not head.isdigit():
        raise NDTFormatError(f"{where}: head {head!r} is not a number")
    ner = "O"
    for item in misc.split("|"):
        if item.startswith("name="):
            ner = item[len("name=") :]
    if ner != "O" and not re.fullmatch(r"[BI]-[A-Z_]+", ner):
        raise NDTFormatError(f"{where}: entity tag {ner!r} is not O, B-X or I-X")
    return NDTToken(
        form=form,
        lemma=lemma,
        pos=pos,
        feats=[] if feats == "_" else feats.split("|"),
        head=int(head),
        deprel=deprel,
        ner=ner,
    )


def _fix_bio(tags: list[str]) -> list[str]:
    """Repair I- tags that follow O or another type (they start an entity)."""
    fixed: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        fixed.append(tag)
        previous = tag
    return fixed


def sentences_to_doc(vocab: Vocab, sentences: list[NDTSentence]) -> Doc:
    """Build one spaCy doc with gold annotation from consecutive sentences."""
    scheme = load_tag_scheme()
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    pos: list[str] = []
    morphs: list[str] = []
    lemmas: list[str] = []
    heads: list[int] = []
    deps: list[str] = []
    ents: list[str] = []
    sent_starts: list[bool] = []
    quote_open = False
    for s_index, sentence in enumerate(sentences):
        offset = len(words)
        for i, tok in enumerate(sentence.tokens):
            headline_end = tok.form == HEADLINE_MARK and tok.pos == "clb"
            head = offset + tok.head - 1 if tok.head else offset + i
            if headline_end:
                words.append("\n")
                tags.append("_SP")
                pos.append("SPACE")
                morphs.append("")
                lemmas.append("\n")
            else:
                words.append(tok.form)
                tags.append(tok.pos)
                pos.append(scheme.to_upos(tok))
                morphs.append(scheme.to_morph(tok))
                lemmas.append(tok.lemma.removeprefix("$") if tok.pos != "subst" else tok.lemma)
            heads.append(head)
            deps.append("ROOT" if tok.head == 0 else tok.deprel)
            ents.append(tok.ner)
            sent_starts.append(i == 0)
        # spacing: decided once the whole sentence is known
        for i in range(offset, len(words)):
            nxt = words[i + 1] if i + 1 < len(words) else None
            word = words[i]
            if word == "\n":
                spaces.append(False)
                continue
            if word == '"':
                quote_open = not quote_open
            if nxt is None:
                spaces.append(s_index < len(sentences) - 1)
            elif (
                nxt == "\n"
                or nxt in NO_SPACE_BEFORE
                or word in NO_SPACE_AFTER
                or (word == '"' and quote_open)
                or (nxt == '"' and quote_open)
            ):
                spaces.append(False)
            else:
                spaces.append(True)
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        tags=tags,
        pos=pos,
        morphs=morphs,
        lemmas=lemmas,
        heads=heads,
        deps=deps,
        ents=_fix_bio(ents),
        sent_starts=sent_starts,
    )


def group_sentences(sentences: Iterable[NDTSentence], per_doc: int) -> Iterator[list[NDTSentence]]:
    batch: list[NDTSentence] = []
    for sentence in sentences:
        batch.append(sentence)
        if len(batch) >= per_doc:
            yield batch
            batch = []
    if batch:
        yield batch


def convert_files(paths: Iterable[Path], per_doc: int = 10) -> DocBin:
    """Convert NDT files to a DocBin, ``per_doc`` sentences to a doc (per file)."""
    vocab = Vocab()
    docbin = DocBin(store_user_data=False)
    for path in paths:
        for group in group_sentences(read_ndt(path), per_doc):
            docbin.add(sentences_to_doc(vocab, group))
    return docbin


# The standard split (UD Norwegian-Bokmål): per source prefix, the last file of
# the training part and of the development part, in name order.
SPLIT_ENDS: dict[str, tuple[str, str]] = {
    "ap": ("ap012_0002", "ap014_0002"),
    "bt": ("bt005_0001", "bt005_0005"),
    "db": ("db013_0004", "db014_0002"),
    "kk": ("kk006_0000", "kk007_0000"),
    "sp-bm": ("sp-bm001", "sp-bm002"),
    "vg": ("vg002_0003", "vg002_0004"),
    "blogg-bm": ("blogg-bm003_0000", "blogg-bm003_0002"),
    "nou": ("nou004_0000", "nou004_0001"),
    "st": ("st005_0000", "st005_0002"),
}


def _prefix(stem: str) -> str:
    for prefix in sorted(SPLIT_ENDS, key=len, reverse=True):
        if stem.startswith(prefix):
            return prefix
    raise NDTFormatError(f"{stem}: file name has no known NDT source prefix")


def split_files(folder: Path) -> dict[str, list[Path]]:
    """Assign the NDT files of ``folder`` to train/dev/test by the standard split."""
    split: dict[str, list[Path]] = {"train": [], "dev": [], "test": []}
    for path in sorted(folder.glob("*.conll")):
        stem = path.stem
        train_end, dev_end = SPLIT_ENDS[_prefix(stem)]
        # an end without a file number ("sp-bm001") covers all its files
        if stem <= train_end or stem.startswith(train_end):
            split["train"].append(path)
        elif stem <= dev_end or stem.startswith(dev_end):
            split["dev"].append(path)
        else:
            split["test"].append(path)
    return split
