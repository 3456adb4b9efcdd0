"""The web server under load: p50, p99 and errors at 50 concurrent connections.

    python scripts/bench_serve.py                      # build the store, serve, measure
    python scripts/bench_serve.py --db /tmp/bench.duckdb --seconds 30 --json serve.json
    python scripts/bench_serve.py --db /tmp/bench.duckdb --requests typical

The store (``--db``, built when it does not exist or holds fewer than
``--events`` events): the articles of ``--corpus`` (default: the NorQuAD news
sample in ../shared, else the bundled examples) are read and extracted once
with the real pipeline; then their records are stored again and again under
new article ids (``ID~1``, ``ID~2``, …) with :meth:`Store.put_many` until the
store holds ``--events`` events. Copy *k* is given the publication date
``--first-day`` + *k* days (record and article alike), so that events spread
over months as in a real archive; the events' own times are as extracted.
It is a store of realistic rows, not of realistic variety: every copy has
the same texts, actors and places.

The server is ``hendelse serve`` in a subprocess (its own process, as in
use). The load comes from wrk (Debian: ``apt-get install wrk``), which is
written in C and so leaves the two cores of the development machine to the
server (a Python load generator needed more CPU than the server it
measured): for each endpoint in turn (the event list, the map, the
timeline) ``--connections`` connections send requests one after the other
for ``--seconds`` seconds. Latency is from sending a request to having read
the whole answer (wrk's percentiles); an error is a socket error, a timeout
(30 s) or any status but 2xx. A warm-up run of ``--warmup`` seconds per
endpoint comes first and is not counted.

Which requests (``--requests``):

- ``distinct`` (the default): many users each asking something of their
  own. wrk's Lua script draws every request at random: each filter (a type,
  a quad class, a factuality, a country, a month) is given or not, with a
  value drawn from the store's commonest ones, and a page (the list), the
  interval and split (the timeline); 29,000 to 585,000 different requests
  per endpoint (``distinct_requests`` in the report). The warm-up
  draws with another seed. The server's answer cache then answers only the
  requests drawn again (``cache_hit_rate``, counted from its ``x-cache``
  header); ``--cache 0`` makes the server compute every one.
- ``typical``: 19–38 fixed requests per endpoint with typical filters,
  cycled through; before the warm-up every one is asked until the server
  answers it from its cache, so this measures the cache: what clicking
  through the pages sends.

*First answer* is one client's time for 20 requests (``distinct``: drawn
like the load's; ``typical``: each request), nothing cached: what the first
user of a filter waits. ``--workers N`` measures N server processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "news" / "norquad-news-dev.jsonl"
ENDPOINTS = ("/api/events", "/api/map", "/api/stats/timeline")


# -- the store --------------------------------------------------------------------


def extract_corpus(corpus: Path) -> list[tuple[dict, object]]:
    """(record, article) for every readable article of the corpus, extracted once."""
    from hendelse.extract import Extractor
    from hendelse.nlp.pipeline import analyse_many, load
    from hendelse.reader import ArticleError, read_paths

    articles = [a for a in read_paths([corpus], None) if not isinstance(a, ArticleError)]
    nlp, extractor = load(), Extractor()
    started = time.monotonic()
    out = [
        (extractor(article, doc), article)
        for article, doc in zip(articles, analyse_many(articles, nlp), strict=True)
    ]
    print(f"extracted {len(out)} articles in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return out


def build_store(db: Path, corpus: Path, events: int, first_day: dt.date) -> None:
    """Store copies of the corpus's records under new ids until ``events`` are stored."""
    import copy
    from dataclasses import replace

    from hendelse.store.db import Store, content_hash

    extracted = extract_corpus(corpus)
    per_copy = sum(len(record.get("events") or []) for record, _ in extracted)
    if not per_copy:
        raise SystemExit(f"{corpus}: its articles give no events; use another --corpus")
    db.unlink(missing_ok=True)
    stored = 0
    started = time.monotonic()
    with Store.open(db) as store:
        number = 0
        while stored < events:
            number += 1
            day = (first_day + dt.timedelta(days=number)).isoformat()
            batch = []
            for record, article in extracted:
                new_id = f"{article.id}~{number}"
                twin = replace(article, id=new_id, published=day)
                doc = copy.deepcopy(record)
                doc["article"] = {**doc["article"], "id": new_id, "published": day}
                batch.append((doc, twin, content_hash(twin)))
            stored += store.put_many(batch, extractor="bench_serve copy")
            print(f"\rcopy {number}: {stored} events", end="", file=sys.stderr)
    print(f"\nstored {stored} events in {time.monotonic() - started:.0f} s", file=sys.stderr)


def event_count(db: Path) -> int:
    import duckdb

    if not db.exists():
        return 0
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM events").fetchone()[0]


def store_values(db: Path, *, types: int, countries: int, factualities: int = 0) -> dict:
    """The store's commonest event types, actor countries and factualities (that many
    of each, commonest first) and every month with articles (in order)."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:

        def column(statement: str) -> list[str]:
            return [value for (value,) in con.execute(statement).fetchall()]

        def commonest(table: str, name: str, limit: int) -> list[str]:
            return column(
                f"SELECT {name} FROM {table} WHERE {name} IS NOT NULL "
                f"GROUP BY {name} ORDER BY count(*) DESC, {name} LIMIT {limit}"
            )

        return {
            "types": commonest("events", "type", types),
            "factualities": commonest("events", "factuality", factualities),
            "countries": commonest("event_actors", "country", countries),
            "months": column(
                "SELECT DISTINCT strftime(published_first, '%Y-%m') AS m FROM articles "
                "WHERE published_first IS NOT NULL ORDER BY m"
            ),
        }


def typical_requests(db: Path) -> dict[str, list[str]]:
    """Requests a user of the pages would send: no filter, a type, a quad class, a
    factuality, a country, a month, a later page; combined as the pages combine them."""
    common = store_values(db, types=4, countries=3)
    types, countries, months = common["types"], common["countries"], common["months"][:4]
    filters: list[dict[str, str]] = [{}]
    filters += [{"type": t} for t in types]
    filters += [{"quad": q} for q in ("verbal conflict", "material conflict", "verbal cooperation")]
    filters += [{"factuality": "asserted"}, {"factuality": "planned"}]
    filters += [{"country": c} for c in countries]
    filters += [{"since": m, "until": m} for m in months]
    filters += [{"type": types[0], "since": months[0]}, {"q": "regjeringen"}]
    requests: dict[str, list[str]] = {path: [] for path in ENDPOINTS}
    for f in filters:
        requests["/api/events"].append(f"/api/events?{urlencode(f)}")
        requests["/api/map"].append(f"/api/map?{urlencode({**f, 'limit': 1000})}")
        for interval in ("day", "week"):
            query = urlencode({**f, "interval": interval})
            requests["/api/stats/timeline"].append(f"/api/stats/timeline?{query}")
    requests["/api/events"] += [f"/api/events?offset={n}" for n in (50, 100, 150)]
    return requests


@dataclass(frozen=True)
class Choice:
    """One part of a drawn request: given with probability ``p``, as one of ``values``
    (each already ``name=value`` in URL form)."""

    p: float
    values: tuple[str, ...]


def distinct_requests(db: Path) -> dict[str, list[Choice]]:
    """What the ``distinct`` load draws each endpoint's requests from: the filters of
    the pages with the store's commonest values, a page of the list, the timeline's
    interval and split."""
    common = store_values(db, types=12, countries=8, factualities=4)
    types, factualities = common["types"], common["factualities"]
    countries, months = common["countries"], common["months"]
    quads = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")

    def values(name: str, items: list[str] | tuple[str, ...]) -> tuple[str, ...]:
        return tuple(urlencode({name: item}) for item in items)

    filters = [
        Choice(0.5, values("type", types)),
        Choice(0.4, values("quad", quads)),
        Choice(0.4, values("factuality", factualities)),
        Choice(0.4, values("country", countries)),
        Choice(0.5, tuple(urlencode({"since": m, "until": m}) for m in months)),
    ]
    pages = Choice(0.7, values("offset", [str(50 * n) for n in range(1, 20)]))
    return {
        "/api/events": [*filters, pages],
        "/api/map": [*filters, Choice(1.0, ("limit=1000",))],
        "/api/stats/timeline": [
            *filters,
            Choice(1.0, ("interval=day", "interval=week")),
            Choice(0.5, ("by=factuality",)),
        ],
    }


def combinations(choices: list[Choice]) -> int:
    """How many different requests ``choices`` can draw."""
    return math.prod(len(c.values) + (c.p < 1) for c in choices)


def draw(path: str, choices: list[Choice], rng: random.Random) -> str:
    """One request drawn as the Lua script draws them (for the one-client answers)."""
    parts = [rng.choice(c.values) for c in choices if rng.random() < c.p]
    return f"{path}?{'&'.join(parts)}"


# -- the server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int, extra: list[str]) -> subprocess.Popen:
    hendelse = Path(sys.executable).with_name("hendelse")
    process = subprocess.Popen(
        [str(hendelse), "serve", "--db", str(db), "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats/summary", timeout=10).is_success:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


# -- the load ---------------------------------------------------------------------

#: wrk's script (``typical``): cycle through the requests, each connection from another one.
CYCLE_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
setup = function(thread) thread:set("offset", counter * 7); counter = counter + 1 end
init = function(args) i = offset or 0 end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""
#: wrk's script (``distinct``): draw every request; count the server's cache hits.
DRAW_SCRIPT = """
local path = %(path)s
local choices = {%(choices)s}
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end
init = function(args)
  math.randomseed(%(seed)d * 1000 + number)
  hits, answers = 0, 0
end
request = function()
  local parts = {}
  for _, choice in ipairs(choices) do
    if math.random() < choice.p then
      table.insert(parts, choice.values[math.random(#choice.values)])
    end
  end
  return wrk.format("GET", path .. "?" .. table.concat(parts, "&"))
end
response = function(status, headers, body)
  answers = answers + 1
  if headers["x-cache"] == "hit" then hits = hits + 1 end
end
done = function(summary, latency, requests)
  local h, n = 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    n = n + thread:get("answers")
  end
  io.write(string.format("cache hits: %%d of %%d\\n", h, n))
end
"""


def cycle_script(urls: list[str]) -> str:
    return CYCLE_SCRIPT % {"paths": ", ".join(json.dumps(u) for u in urls)}


def draw_script(path: str, choices: list[Choice], seed: int) -> str:
    lua = ", ".join(
        f"{{p = {c.p}, values = {{{', '.join(json.dumps(v) for v in c.values)}}}}}" for c in choices
    )
    return DRAW_SCRIPT % {"path": json.dumps(path), "choices": lua, "seed": seed}


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * _UNIT_MS[unit]


def run_wrk(base: str, lua: str, connections: int, seconds: float) -> dict:
    """One wrk run with the Lua script ``lua``; its requests, rate, percentiles, errors
    and (when the script counts them) the share answered from the server's cache."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s",
             "--latency", "-s", script.name, base],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.M))
    requests = int(re.search(r"(\d+) requests in", output)[1])
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match[1])
    result = {
        "requests": requests,
        "per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50_ms": round(_ms(percentiles["50"]), 1),
        "p90_ms": round(_ms(percentiles["90"]), 1),
        "p99_ms": round(_ms(percentiles["99"]), 1),
        "error_rate": round(errors / requests, 4) if requests else None,
    }
    if (match := re.search(r"cache hits: (\d+) of (\d+)", output)) and int(match[2]):
        result["cache_hit_rate"] = round(int(match[1]) / int(match[2]), 3)
    return result


def warm_cache(base: str, urls: list[str], workers: int) -> list[float]:
    """Ask for every request until the server answers it from its cache (each worker
    process keeps its own, and a new connection may reach any of them); without a
    cache (no ``x-cache`` header) each is asked once. Returns the milliseconds of each
    first answer: one client, nothing cached, what the first user of a filter waits."""
    first: list[float] = []
    for url in urls:
        streak = 0
        began = time.perf_counter()
        response = httpx.get(base + url, timeout=600)
        first.append((time.perf_counter() - began) * 1000)
        while "x-cache" in response.headers and streak < 2 * workers:
            response = httpx.get(base + url, timeout=600)
            streak = streak + 1 if response.headers["x-cache"] == "hit" else 0
    return first


def one_client(base: str, urls: list[str]) -> list[float]:
    """The milliseconds of each request asked alone, one after the other."""
    times = []
    for url in urls:
        began = time.perf_counter()
        httpx.get(base + url, timeout=600).raise_for_status()
        times.append((time.perf_counter() - began) * 1000)
    return times


def measure_typical(
    base: str, db: Path, connections: int, seconds: float, warmup: float, workers: int
) -> list[dict]:
    """Each endpoint's fixed typical requests, cycled through, all cached first."""
    results = []
    for path, urls in typical_requests(db).items():
        first = sorted(warm_cache(base, urls, workers))
        if warmup:
            run_wrk(base, cycle_script(urls), connections, warmup)
        result = {"endpoint": path, **run_wrk(base, cycle_script(urls), connections, seconds)}
        result["first_answer_median_ms"] = round(first[len(first) // 2], 1)
        result["first_answer_max_ms"] = round(first[-1], 1)
        result["distinct_requests"] = len(urls)
        results.append(result)
        print(json.dumps(result), file=sys.stderr)
    return results


def measure_distinct(
    base: str, db: Path, connections: int, seconds: float, warmup: float, seed: int
) -> list[dict]:
    """Each endpoint's requests drawn at random by wrk (see :func:`distinct_requests`)."""
    results = []
    rng = random.Random(seed)
    for path, choices in distinct_requests(db).items():
        first = sorted(one_client(base, [draw(path, choices, rng) for _ in range(20)]))
        if warmup:
            run_wrk(base, draw_script(path, choices, seed + 1), connections, warmup)
        script = draw_script(path, choices, seed + 2)
        result = {"endpoint": path, **run_wrk(base, script, connections, seconds)}
        result["first_answer_median_ms"] = round(first[len(first) // 2], 1)
        result["first_answer_max_ms"] = round(first[-1], 1)
        result["distinct_requests"] = combinations(choices)
        results.append(result)
        print(json.dumps(result), file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/hendelse-bench-serve.duckdb"))
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--first-day", type=dt.date.fromisoformat, default=dt.date(2023, 1, 1))
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=1, help="hendelse serve --workers")
    parser.add_argument("--cache", type=int, default=512, help="hendelse serve --cache (0: off)")
    parser.add_argument(
        "--requests",
        choices=("distinct", "typical"),
        default="distinct",
        help="distinct: drawn at random, mostly new; typical: a few fixed ones, cached",
    )
    parser.add_argument("--seed", type=int, default=1, help="Of the distinct requests.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    parser.add_argument("--build-only", action="store_true", help="Build the store and stop.")
    args = parser.parse_args()

    if not args.build_only and shutil.which("wrk") is None:
        raise SystemExit("needs wrk for the load: apt-get install wrk (Debian)")
    corpus = args.corpus or (
        DEFAULT_CORPUS if DEFAULT_CORPUS.exists() else REPO / "src" / "hendelse" / "examples"
    )
    if event_count(args.db) < args.events:
        build_store(args.db, corpus, args.events, args.first_day)
    events = event_count(args.db)
    if args.build_only:
        print(f"{args.db}: {events} events")
        return
    load_before = os.getloadavg()[0]
    port = free_port()
    options = ["--workers", str(args.workers), "--cache", str(args.cache)]
    server = start_server(args.db, port, options)
    try:
        base = f"http://127.0.0.1:{port}"
        if args.requests == "typical":
            results = measure_typical(
                base, args.db, args.connections, args.seconds, args.warmup, args.workers
            )
        else:
            results = measure_distinct(
                base, args.db, args.connections, args.seconds, args.warmup, args.seed
            )
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    report = {
        "db": str(args.db),
        "events": events,
        "connections": args.connections,
        "seconds": args.seconds,
        "workers": args.workers,
        "cache": args.cache,
        "requests": args.requests,
        "load_average_before": load_before,
        "cpus": os.cpu_count(),
        "load_average_after": os.getloadavg()[0],
        "results": results,
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
