"""Present an analysed article: JSON for machines, Rich tables for people."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from spacy.tokens import Doc, Span

from hendelse.reader.article import Article

ENTITY_STYLES = {
    "PER": "bold cyan",
    "ORG": "bold magenta",
    "GPE_LOC": "bold green",
    "GPE_ORG": "bold yellow",
    "LOC": "green",
    "PROD": "blue",
    "EVT": "red",
    "DRV": "dim cyan",
    "MISC": "dim",
}


def span_dict(start: int, end: int, text: str) -> dict[str, Any]:
    """The contract's span: offsets into the article text plus the text itself."""
    return {"start": start, "end": end, "text": text[start:end]}


def _sentences(doc: Doc) -> list[Span]:
    return [s for s in doc.sents if s.text.strip()]


def doc_to_dict(article: Article, doc: Doc) -> dict[str, Any]:
    text = article.text
    return {
        "article": {
            "id": article.id,
            "title": article.title,
            "published": article.published,
            "source": article.source,
            "url": article.url,
            "origin": article.origin,
        },
        "blocks": [{"kind": b.kind, **span_dict(b.start, b.end, text)} for b in article.blocks],
        "sentences": [
            {
                **span_dict(s.start_char, s.end_char, text),
                "tokens": [
                    {
                        "i": t.i,
                        "text": t.text,
                        "start": t.idx,
                        "end": t.idx + len(t.text),
                        "lemma": t.lemma_,
                        "tag": t.tag_,
                        "pos": t.pos_,
                        "morph": str(t.morph),
                        "head": t.head.i,
                        "dep": t.dep_,
                    }
                    for t in s
                    if not t.is_space
                ],
            }
            for s in _sentences(doc)
        ],
        "entities": [
            {"label": e.label_, **span_dict(e.start_char, e.end_char, text)} for e in doc.ents
        ],
    }


def highlighted(sent: Span) -> Text:
    """The sentence with its entities coloured and labelled."""
    out = Text()
    cursor = sent.start_char
    base = sent.doc.text
    for ent in sent.ents:
        out.append(base[cursor : ent.start_char])
        out.append(ent.text, style=ENTITY_STYLES.get(ent.label_, "bold"))
        out.append(f"[{ent.label_}]", style="dim")
        cursor = ent.end_char
    out.append(base[cursor : sent.end_char])
    return out


def print_doc(console: Console, article: Article, doc: Doc, *, show_tokens: bool = True) -> None:
    title = article.title or article.id
    console.rule(f"[bold]{title}[/]  [dim]{article.origin}  published {article.published or '?'}")
    kinds = {b.start: b.kind for b in article.blocks}
    for number, sent in enumerate(_sentences(doc), start=1):
        first = next(t for t in sent if not t.is_space)
        kind = kinds.get(first.idx)
        label = Text(f"{number:>3} ", style="dim")
        if kind and kind not in ("lead", "paragraph"):
            label.append(f"{kind} ", style="italic yellow")
        console.print(label + highlighted(sent))
        if show_tokens:
            table = Table(box=None, pad_edge=False, show_edge=False, header_style="dim")
            for column in ("#", "token", "lemma", "tag", "pos", "morph", "head", "dep", "ent"):
                table.add_column(column)
            for t in sent:
                if t.is_space:
                    continue
                ent = f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else ""
                table.add_row(
                    str(t.i), t.text, t.lemma_, t.tag_, t.pos_, str(t.morph),
                    f"{t.head.i} {t.head.text}", t.dep_, ent,
                )  # fmt: skip
            console.print(table)
            console.print()
    if doc.ents:
        table = Table(title="Entities", title_justify="left", box=None, header_style="dim")
        table.add_column("label")
        table.add_column("text")
        table.add_column("offsets", justify="right")
        for ent in doc.ents:
            style = ENTITY_STYLES.get(ent.label_, "bold")
            table.add_row(
                Text(ent.label_, style=style), ent.text, f"{ent.start_char}–{ent.end_char}"
            )
        console.print(table)
    console.print()
