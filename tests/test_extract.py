"""Event extraction through the whole pipeline, on short articles written for these tests.

Each test states one behaviour of the extractor in Norwegian news text:
roles in active and passive clauses, coordination, factuality, attribution
chains, time resolution, coreference and what is never an actor.
"""

from __future__ import annotations

import pytest

from hendelse.extract import Extractor
from hendelse.nlp.pipeline import analyse
from hendelse.reader.sources import article_from_text


@pytest.fixture(scope="module")
def extract(nlp):
    extractor = Extractor()

    def run(text: str, published: str | None = "2024-03-12T10:00:00+01:00") -> dict:
        article = article_from_text(text, where="test", id="test", published=published)
        record = extractor(article, analyse(article, nlp))
        for event in record["events"]:  # the contract: every span is a slice of the input
            for key in ("trigger", "sentence"):
                span = event[key]
                assert text[span["start"] : span["end"]] == span["text"]
        return record

    return run


def names(record: dict, roles: list[dict]) -> set[str]:
    entities = {e["id"]: e for e in record["entities"]}
    found = set()
    for role in roles:
        entity = entities[role["entity"]]
        found.add(entity["name"])
        found.update(m["text"] for m in entity["mentions"])
    return found


def only(record: dict, type_: str) -> dict:
    events = [e for e in record["events"] if e["type"] == type_]
    assert len(events) == 1, [(e["type"], e["sentence"]["text"]) for e in record["events"]]
    return events[0]


def test_active_roles(extract):
    record = extract("Politiet arresterte to menn i Bergen natt til søndag.")
    event = only(record, "COERCE")
    assert "Politiet" in names(record, event["actor"])
    assert any("menn" in n for n in names(record, event["recipient"]))
    place = {p["id"]: p for p in record["places"]}[event["location"]["place"]]
    assert place["name"] == "Bergen"
    assert event["factuality"] == "asserted"


def test_passive_agent_is_the_actor(extract):
    record = extract("To aktivister ble pågrepet av politiet i Oslo mandag.")
    event = only(record, "COERCE")
    assert "politiet" in names(record, event["actor"])
    assert any("aktivister" in n for n in names(record, event["recipient"]))


def test_coordinated_actors(extract):
    record = extract("Både Pyongyang og Moskva har nektet for at det er noen slik handel på gang.")
    event = only(record, "REJECT")
    entities = {e["id"]: e for e in record["entities"]}
    countries = {entities[a["entity"]]["country"] for a in event["actor"]}
    assert countries == {"PRK", "RUS"}
    assert {entities[a["entity"]]["sector"] for a in event["actor"]} == {"GOV"}


def test_visit_has_the_host_country_as_recipient(extract):
    record = extract("Statsminister Jonas Gahr Støre ankom den ukrainske byen Lviv tirsdag.")
    event = only(record, "CONSULT")
    assert event["mode"] == "visit"
    entities = {e["id"]: e for e in record["entities"]}
    assert [entities[r["entity"]]["country"] for r in event["recipient"]] == ["UKR"]
    assert event["time"]["value"] == "2024-03-12"
    assert event["time"]["weekday"] == "tuesday"


def test_meeting_between_equals_has_no_recipient(extract):
    record = extract("Jonas Gahr Støre og Ulf Kristersson møttes i Stockholm i går.")
    event = only(record, "CONSULT")
    assert event["recipient"] == []
    assert {"Jonas Gahr Støre", "Ulf Kristersson"} <= names(record, event["actor"])
    assert event["time"]["value"] == "2024-03-11"


@pytest.mark.parametrize(
    ("sentence", "factuality"),
    [
        ("Støre skal ha møte med Macron i Paris neste uke.", "planned"),
        ("Møtet mellom Støre og Macron ventes å skje onsdag.", "expected"),
        ("Russiske soldater skal ha drept tre sivile i landsbyen.", "reported"),
        ("Nord-Korea kan forsyne Russland med ammunisjon.", "possible"),
        ("Politiet arresterte ikke demonstrantene.", "negated"),
        ("Forrige gang Støre og Kristersson møttes var i 2019.", "historical"),
        ("Israel bombet Gaza natt til mandag.", "asserted"),
    ],
)
def test_factuality(extract, sentence, factuality):
    record = extract(sentence)
    assert record["events"], sentence
    assert record["events"][0]["factuality"] == factuality, record["events"][0]["explain"]


def test_denied_event_under_a_denial(extract):
    record = extract("Russland har nektet for at russiske soldater angrep sykehuset.")
    assault = only(record, "ASSAULT")
    assert assault["factuality"] == "denied"
    assert only(record, "REJECT")["factuality"] == "asserted"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Iran nekter for at landet har levert droner til Russland.", "IRN"),
        ("Irans utenriksdepartement avviser at landet har levert droner til Russland.", "IRN"),
        ("Norge har sendt nødhjelp til Sudan. Landet har også levert våpen til Ukraina.", "NOR"),
        ("Tyrkia kritiserte Sverige i fjor. Nå har landet levert våpen til Libya.", "TUR"),
    ],
)
def test_the_country_points_back_at_the_country_named(extract, text, country):
    record = extract(text)
    aid = [
        e
        for e in record["events"]
        if e["type"] == "AID" and "landet" in e["sentence"]["text"].lower()
    ]
    assert len(aid) == 1, [(e["type"], e["sentence"]["text"]) for e in record["events"]]
    entities = {e["id"]: e for e in record["entities"]}
    assert [entities[a["entity"]]["country"] for a in aid[0]["actor"]] == [country]


def test_landed_is_no_country(extract):
    record = extract("Flyet med statsministeren landet i Tromsø tirsdag kveld.")
    assert all(m["text"] != "landet" for e in record["entities"] for m in e["mentions"])


def test_attribution_chain_outermost_first(extract):
    record = extract(
        "Det japanske nyhetsbyrået Kyodo siterer en anonym russisk tjenesteperson på at "
        "Kim Jong-un skal møte Vladimir Putin i Vladivostok onsdag."
    )
    event = only(record, "CONSULT")
    entities = {e["id"]: e for e in record["entities"]}
    sources = [entities[a["entity"]] for a in event["attribution"]]
    assert [s["name"] for s in sources][:1] == ["Kyodo"]
    assert sources[1]["type"] == "GROUP" and sources[1]["country"] == "RUS"
    assert event["attribution"][0]["cue"]["text"] == "siterer"


def test_according_to(extract):
    record = extract("Ifølge NTB har Norge sendt nødhjelp til Sudan.")
    event = only(record, "AID")
    assert names(record, event["attribution"]) & {"NTB"}


def test_photo_credit_is_never_an_actor_or_source(extract):
    text = (
        " date 2024-03\n"
        "Kim besøkte Moskva\n\n"
        "Kim Jong-un besøkte Moskva tirsdag.\n\n"
        "BESØKTE: Kim Jong-un besøkte Moskva tirsdag. Foto: AP/Alexander Zemlianichenko\n"
    )
    record = extract(text, published=None)
    mentioned = {m["text"] for e in record["entities"] for m in e["mentions"]}
    assert "AP" not in mentioned
    assert not any("Zemlianichenko" in m for m in mentioned)
    event = only(record, "CONSULT")  # headline, body and caption are one visit
    assert len(event["mentions"]) == 2
    assert event["time"] == {
        "value": "2024-03",
        "granularity": "month",
        "weekday": "tuesday",
        "part": None,
        "span": event["time"]["span"],
    }


def test_event_coreference_merges_mentions(extract):
    record = extract(
        "Ifølge medier i Sverige er et møte mellom Støre og Kristersson planlagt i Luleå. "
        "Møtet ventes å skje onsdag ettermiddag. "
        "Støre skal også ha møte med Kristersson alene."
    )
    consults = [e for e in record["events"] if e["type"] == "CONSULT"]
    assert len(consults) == 1
    event = consults[0]
    assert len(event["mentions"]) == 2
    assert event["time"]["weekday"] == "wednesday" and event["time"]["part"] == "afternoon"
    assert event["time"]["value"] == "2024-03-13TAF"


def test_every_event_explains_itself(extract):
    record = extract("Israel bombet Gaza natt til mandag, opplyser palestinske myndigheter.")
    event = only(record, "ASSAULT")
    explain = event["explain"]
    assert explain["entry"].startswith("bombe (verb) assault.yaml#")
    assert explain["matched_by"] == "lemma"
    assert explain["actor"] == "subject"
    assert "factuality" in explain
    assert event["attribution"], "opplyser attributes the attack"
