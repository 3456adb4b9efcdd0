"""Score stored predictions: ``python -m hendelse.evaluate GOLD… --predictions DIR``.

The predictions folder holds one "hendelse/1" record per case, named by the
case id: ``<doc>.json`` for an article, ``<doc>@v1.json`` … for its variants.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console

from hendelse.evaluate.gold import GoldError
from hendelse.evaluate.scorer import evaluate_paths, predict_from_folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hendelse.evaluate", description=__doc__)
    parser.add_argument("gold", nargs="+", type=Path, help="gold files or folders")
    parser.add_argument(
        "--predictions", required=True, type=Path, help="folder of <case id>.json records"
    )
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    parser.add_argument("--summary", action="store_true", help="print the summary tables only")
    args = parser.parse_args(argv)
    try:
        report = evaluate_paths(args.gold, predict_from_folder(args.predictions))
    except GoldError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    report.print(Console(), details=not args.summary)
    if args.json:
        args.json.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
