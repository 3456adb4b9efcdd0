"""The evaluation report: numbers, per-event outcomes, and a Rich printer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

#: The attributes scored on matched pairs, in report order.
ATTRIBUTES: tuple[str, ...] = ("location", "time", "factuality", "attribution")


@dataclass
class Counts:
    """True positives, false positives and false negatives, with P/R/F1.

    A ratio is None when its denominator is zero (nothing to measure).
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class Tally:
    """How many of the scored items were right."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy}


@dataclass
class GoldEventResult:
    """What became of one gold event: matched (to which predicted event) or missed."""

    case: str
    gold_id: str
    required: bool
    types: list[str]
    matched: bool
    predicted: str | None = None
    predicted_type: str | None = None
    #: Scored attributes only: name -> right or wrong.
    attributes: dict[str, bool] = field(default_factory=dict)
    #: Why an attribute is wrong, or for a missed event why nearby predictions did not match.
    details: list[str] = field(default_factory=list)


@dataclass
class FalsePositive:
    case: str
    predicted: str
    type: str | None
    reason: str
    sentence: str | None = None


@dataclass
class CheckFailure:
    """A failed entity, place or not_actors check."""

    case: str
    kind: str  # "entity", "place" or "not_actor"
    name: str
    detail: str


@dataclass
class Report:
    """Everything the scorer found; ``to_dict()`` is the JSON form, ``print()`` the table form."""

    cases: list[str] = field(default_factory=list)
    events: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=dict)
    attributes: dict[str, Tally] = field(
        default_factory=lambda: {name: Tally() for name in ATTRIBUTES}
    )
    optional_matched: int = 0
    optional_missed: int = 0
    gold_events: list[GoldEventResult] = field(default_factory=list)
    false_positives: list[FalsePositive] = field(default_factory=list)
    #: Entity, place and not_actors checks, separate from the event scores.
    checks: dict[str, Tally] = field(default_factory=dict)
    check_failures: list[CheckFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def type_counts(self, event_type: str) -> Counts:
        return self.by_type.setdefault(event_type, Counts())

    def check(self, name: str) -> Tally:
        return self.checks.setdefault(name, Tally())

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": list(self.cases),
            "events": self.events.to_dict(),
            "by_type": {t: c.to_dict() for t, c in sorted(self.by_type.items())},
            "attributes": {name: t.to_dict() for name, t in self.attributes.items()},
            "optional": {"matched": self.optional_matched, "missed": self.optional_missed},
            "gold_events": [asdict(r) for r in self.gold_events],
            "false_positives": [asdict(f) for f in self.false_positives],
            "checks": {name: t.to_dict() for name, t in self.checks.items()},
            "check_failures": [asdict(f) for f in self.check_failures],
            "warnings": list(self.warnings),
        }

    def print(self, console: Console | None = None, *, details: bool = True) -> None:
        """Print the report as tables; ``details=False`` keeps only the summary tables."""
        print_report(self, console or Console(), details=details)


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _tally(t: Tally) -> tuple[str, str]:
    return f"{t.correct}/{t.total}", _ratio(t.accuracy)


def _tally_table(title: str, what: str, tallies: dict[str, Tally]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(what)
    table.add_column("correct/total", justify="right")
    table.add_column("accuracy", justify="right")
    for name, tally in tallies.items():
        table.add_row(name, *_tally(tally))
    return table


def print_report(report: Report, console: Console, *, details: bool = True) -> None:
    n_cases = len(report.cases)
    summary = Table(title=f"Events ({n_cases} case{'s' * (n_cases != 1)})", title_justify="left")
    for column in ("", "P", "R", "F1", "TP", "FP", "FN"):
        summary.add_column(column, justify="left" if not column else "right")

    def add_counts(table: Table, label: str, c: Counts, style: str | None = None) -> None:
        table.add_row(
            label,
            _ratio(c.precision),
            _ratio(c.recall),
            _ratio(c.f1),
            str(c.tp),
            str(c.fp),
            str(c.fn),
            style=style,
        )

    add_counts(summary, "all", report.events, "bold")
    for event_type, counts in sorted(report.by_type.items()):
        add_counts(summary, event_type, counts)
    console.print(summary)
    console.print(
        f"optional gold events: {report.optional_matched} matched (not counted), "
        f"{report.optional_missed} missed (not counted)"
    )

    console.print(_tally_table("Attributes on matched pairs", "attribute", report.attributes))
    if report.checks:
        console.print(_tally_table("Entities, places, not_actors", "check", report.checks))

    if details:
        _print_details(report, console)

    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)


def _print_details(report: Report, console: Console) -> None:
    events = Table(title="Gold events", title_justify="left")
    for column in ("case", "gold", "req", "types", "outcome", "predicted", "attributes", "notes"):
        events.add_column(column, overflow="fold")
    for r in report.gold_events:
        if r.matched:
            outcome = "[green]matched[/]"
        elif r.required:
            outcome = "[red]missed[/]"
        else:
            outcome = "[dim]missed (optional)[/]"
        attrs = " ".join(
            f"[green]{name}[/]" if ok else f"[red]{name}✗[/]" for name, ok in r.attributes.items()
        )
        predicted = f"{r.predicted} {r.predicted_type}" if r.predicted else ""
        events.add_row(
            r.case,
            r.gold_id,
            "yes" if r.required else "no",
            ",".join(r.types),
            outcome,
            predicted,
            attrs,
            "; ".join(r.details),
        )
    console.print(events)

    if report.false_positives:
        fps = Table(title="False positives", title_justify="left")
        for column in ("case", "predicted", "type", "reason", "sentence"):
            fps.add_column(column, overflow="fold")
        for f in report.false_positives:
            fps.add_row(f.case, f.predicted, f.type or "", f.reason, f.sentence or "")
        console.print(fps)

    if report.check_failures:
        failures = Table(title="Failed checks", title_justify="left")
        for column in ("case", "kind", "name", "detail"):
            failures.add_column(column, overflow="fold")
        for f in report.check_failures:
            failures.add_row(f.case, f.kind, f.name, f.detail)
        console.print(failures)
