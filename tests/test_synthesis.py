"""Cross-source synthesis on real builds: rounds, independent reports, conflicts, term history
and reference facts (issue 4, "Must show")."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from support import run_cli

from roundtrace.curation import load_reference_facts, load_rounds, parse_label, round_labels
from roundtrace.errors import InputError
from roundtrace.extract import Citation
from roundtrace.paths import ARTICLES_DIR, ENTITIES_FILE, ROOT
from roundtrace.pipeline import build
from roundtrace.registry import Registry
from roundtrace.synthesize import independence_key

CORPORA = ROOT / "tests" / "corpora"
DEVSET = ROOT / "tests" / "devset" / "articles"


def rows(dist: Path, name: str) -> list[dict]:
    with open(dist / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _build(articles: Path, out: Path) -> Path:
    build(articles, out, ENTITIES_FILE, progress=False)
    return out


@pytest.fixture(scope="module")
def founder_dist(tmp_path_factory) -> Path:
    """The seeds plus one article giving the founder's share as about 20 billion yuan."""
    arts = tmp_path_factory.mktemp("founder") / "articles"
    shutil.copytree(ARTICLES_DIR, arts)
    for p in (CORPORA / "founder_share").glob("*.md"):
        shutil.copy(p, arts / p.name)
    return _build(arts, arts.parent / "dist")


@pytest.fixture(scope="module")
def relay_dist(tmp_path_factory) -> Path:
    return _build(CORPORA / "relay", tmp_path_factory.mktemp("relay") / "dist")


@pytest.fixture(scope="module")
def devset_dist(tmp_path_factory) -> Path:
    return _build(DEVSET, tmp_path_factory.mktemp("devset") / "dist")


def conflicts_with_claims(dist: Path) -> list[tuple[dict, list[tuple[dict, str]]]]:
    claims = {c["claim_id"]: c for c in rows(dist, "claims")}
    links: dict[str, list[tuple[dict, str]]] = {}
    for link in rows(dist, "conflict_claims"):
        links.setdefault(link["conflict_id"], []).append(
            (claims[link["claim_id"]], link["position"])
        )
    return [(x, links.get(x["conflict_id"], [])) for x in rows(dist, "conflicts")]


def find(dist: Path, kind: str, **positions: str) -> list[dict]:
    """Conflicts of `kind` having, for each position given, a claim with that value_text."""
    out = []
    for x, members in conflicts_with_claims(dist):
        if x["kind"] != kind:
            continue
        if all(
            any(c["value_text"] == text and p == pos for c, p in members)
            for pos, text in positions.items()
        ):
            out.append(x)
    return out


# ---------------------------------------------------------------------------------------------
# rounds
def test_seeds_yield_exactly_one_deepseek_round(seed_dist):
    rounds = [r for r in rows(seed_dist, "rounds") if r["company_id"] == "deepseek"]
    assert len(rounds) == 1
    r = rounds[0]
    assert r["round_id"] == "deepseek-2026"
    assert r["label"] == "DeepSeek's first outside funding round (2026)"
    assert r["curated"] == "true"
    assert r["article_count"] == "5" and r["undated_article_count"] == "5"
    assert r["first_reported"] == "" and r["last_reported"] == ""  # no date is guessed
    funding = {"valuation", "round_amount", "investment_amount", "investor", "round_status"}
    for c in rows(seed_dist, "claims"):
        if c["subject_id"] == "deepseek" and c["predicate"] in funding:
            assert c["round_id"] == "deepseek-2026", c
        if c["predicate"] in ("founded", "founder", "product_release"):
            assert c["round_id"] == ""


def test_round_envelopes_and_best_value_exclude_earlier_figures(seed_dist):
    r = next(r for r in rows(seed_dist, "rounds") if r["round_id"] == "deepseek-2026")
    # "roughly $3 billion" / "roughly $10 billion" are framed as earlier: not current terms
    assert float(r["valuation_usd_low"]) == 20e9
    assert "20" in r["best_valuation"]  # "$20 billion" (or an "above $20 billion" variant)
    assert int(r["best_valuation_support"]) >= 2
    assert int(r["investor_count"]) == len(
        [i for i in rows(seed_dist, "round_investors") if i["round_id"] == "deepseek-2026"]
    )
    founder = next(
        i for i in rows(seed_dist, "round_investors") if i["investor_id"] == "liang-wenfeng"
    )
    assert founder["amounts_reported"] == '["200 billion RMB"]'
    assert founder["article_count"] == "1" and founder["independent_report_count"] == "1"


def test_founder_article_joins_the_one_deepseek_round(founder_dist):
    rounds = [r for r in rows(founder_dist, "rounds") if r["company_id"] == "deepseek"]
    assert [r["round_id"] for r in rounds] == ["deepseek-2026"]
    assert rounds[0]["article_count"] == "6" and rounds[0]["first_reported"] == "2026-06-05"


def test_company_with_several_rounds_is_split_by_time_and_label(devset_dist):
    rounds = [r for r in rows(devset_dist, "rounds") if r["company_id"] == "moonshot-ai"]
    assert len(rounds) >= 2
    series_b = [r for r in rounds if r["first_reported"].startswith("2024-02")]
    assert series_b and series_b[0]["round_label"] == "Series B"
    claims = rows(devset_dist, "claims")
    of = {
        c["source_id"]: c["round_id"]
        for c in claims
        if c["subject_id"] == "moonshot-ai" and c["round_id"]
    }
    assert of["d28_moonshot_2024_36kr_zh"] != of["d10_moonshot_talks_example_wire"]
    # the curated DeepSeek round takes the 2026 articles only; the 2025 list is another round
    deepseek = {r["round_id"] for r in rows(devset_dist, "rounds") if r["company_id"] == "deepseek"}
    assert "deepseek-2026" in deepseek and len(deepseek) == 2


# ---------------------------------------------------------------------------------------------
# independence
def test_relay_corpus_counts_five_articles_and_two_independent_reports(relay_dist):
    rounds = rows(relay_dist, "rounds")
    assert len(rounds) == 1
    r = rounds[0]
    assert r["company_id"] == "zhipu-ai"
    assert r["article_count"] == "5"
    assert r["independent_report_count"] == "2"
    groups = {s["source_id"]: s["independence_group"] for s in rows(relay_dist, "sources")}
    assert sorted(set(groups.values())) == ["report:caixin", "report:reuters"]
    assert sum(g == "report:reuters" for g in groups.values()) == 4
    # four relays repeating Reuters' $12 billion count once, Caixin's once
    assert r["best_valuation_support"] == "2"
    tencent = next(i for i in rows(relay_dist, "round_investors") if i["investor_id"] == "tencent")
    assert tencent["independent_report_count"] == "2"
    assert int(tencent["article_count"]) > 2


def test_independence_key_prefers_the_credited_publication():
    pubs = {"reuters", "bloomberg", "ithome"}

    def cite(party, cue, start):
        return Citation("t", "s", party, cue, "x", start, start + 1)

    assert independence_key("s", [], pubs) == "article:s"
    assert independence_key("s", [], pubs, "bloomberg") == "report:bloomberg"
    assert independence_key("s", [cite("unnamed", "said", 0)], pubs) == "article:s"
    both = [cite("bloomberg", "reported", 5), cite("ithome", "original_source", 90)]
    assert independence_key("s", both, pubs, "reuters") == "report:ithome"


def test_counts_never_say_sources():
    for name in ("rounds", "round_investors", "conflicts", "term_history"):
        text = (ROOT / "schema" / f"{name}.schema.yaml").read_text(encoding="utf-8")
        names = re.findall(r"- name: (\w+)", text)
        assert not [n for n in names if "source_count" in n or n == "sources"], name


# ---------------------------------------------------------------------------------------------
# conflicts
def test_seed_003_founder_commitment_is_an_internal_inconsistency(seed_dist):
    found = find(
        seed_dist, "internal_inconsistency", part="200 billion RMB", whole="50 billion RMB"
    )
    assert len(found) == 1
    x = found[0]
    assert x["round_id"] == "deepseek-2026" and x["object_id"] == "liang-wenfeng"
    assert x["explanation"] == (
        "China Daily Brief says Liang Wenfeng commits 200 billion RMB, more than the "
        "50 billion RMB it gives for the whole round."
    )


def test_seed_003_founder_commitment_is_a_magnitude_outlier_where_others_give_it(
    seed_dist, founder_dist
):
    assert not find(seed_dist, "magnitude_outlier")  # nobody else gives the founder's share
    found = find(
        founder_dist,
        "magnitude_outlier",
        outlier="200 billion RMB",
        majority="about 20 billion yuan",
    )
    assert len(found) == 1
    x = found[0]
    assert x["object_id"] == "liang-wenfeng" and x["predicate"] == "investment_amount"
    assert "10 times" in x["explanation"] and "unit slip" in x["explanation"]
    assert find(
        founder_dist, "internal_inconsistency", part="200 billion RMB", whole="50 billion RMB"
    )
    # the outlier does not also count as a plain disagreement
    others = [
        x
        for x, members in conflicts_with_claims(founder_dist)
        if x["kind"] == "disjoint_ranges"
        and any(c["value_text"] == "200 billion RMB" for c, _ in members)
    ]
    assert others == []


def test_seed_001_earlier_valuation_is_superseded_not_an_error(seed_dist):
    found = find(
        seed_dist, "superseded", earlier="roughly $10 billion", later="exceeding $20 billion"
    )
    assert len(found) == 1
    assert "not an error" in found[0]["explanation"]
    for x, members in conflicts_with_claims(seed_dist):
        texts = {c["value_text"] for c, _ in members}
        if "roughly $10 billion" in texts:
            assert x["kind"] == "superseded"


def test_seed_004_release_dates_contradict_the_reference(seed_dist):
    facts = {f["fact_id"]: f for f in rows(seed_dist, "reference_facts")}
    assert facts["deepseek-v3-release"]["value"] == "2024-12"
    assert facts["deepseek-r1-release"]["value"] == "2025-01"
    assert all(f["citation_url"].startswith("https://") for f in facts.values())
    hits = {}
    for x, members in conflicts_with_claims(seed_dist):
        if x["kind"] == "contradicts_reference":
            ((claim, pos),) = members
            assert pos == "claim" and claim["source_id"].startswith("004_")
            hits[x["reference_fact_id"]] = (claim["date_value"], x["explanation"])
    assert hits["deepseek-v3-release"][0] == "2025-02"
    assert hits["deepseek-r1-release"][0] == "2025-06"
    assert "December 2024" in hits["deepseek-v3-release"][1]
    assert "January 2025" in hits["deepseek-r1-release"][1]


@pytest.mark.parametrize("which", ["seed_dist", "founder_dist", "relay_dist", "devset_dist"])
def test_every_conflict_links_its_claims_and_explains_itself_in_a_sentence(which, request):
    dist = request.getfixturevalue(which)
    claims = {c["claim_id"]: c for c in rows(dist, "claims")}
    pairs = conflicts_with_claims(dist)
    if which != "relay_dist":
        assert pairs
    for x, members in pairs:
        assert members, x
        assert int(x["claim_count"]) == len(members)
        assert int(x["article_count"]) == len({c["source_id"] for c, _ in members})
        assert all(c["claim_id"] in claims for c, _ in members)
        if x["round_id"]:
            assert all(c["round_id"] == x["round_id"] for c, _ in members)
        e = x["explanation"]
        assert not e[0].islower() and e.endswith(".") and len(e.split()) >= 8, e
        assert re.search(r"\b(says|say|gives|changed|names)\b", e), e
        assert "source" not in e.lower().replace("original source", "")
    ids = [x["conflict_id"] for x, _ in pairs]
    assert len(ids) == len(set(ids))


def test_relay_corpus_has_no_false_disagreement(relay_dist):
    # "about $1.5 billion" (Reuters, relayed four times) and "about $1.4 billion" (Caixin)
    # are the same figure within rounding; the relays agree with each other
    assert [x for x in rows(relay_dist, "conflicts") if x["predicate"] == "round_amount"] == []


# ---------------------------------------------------------------------------------------------
# term history
def test_term_history_dates_each_figure_or_says_it_is_unknown(seed_dist, relay_dist):
    claims = rows(seed_dist, "claims")
    money = {
        c["claim_id"]
        for c in claims
        if c["round_id"] and c["predicate"] in ("valuation", "round_amount", "investment_amount")
    }
    hist = rows(seed_dist, "term_history")
    assert {h["claim_id"] for h in hist} == money
    for h in hist:
        assert h["date_known"] == "false" and h["published"] == ""
        assert h["reported_on"] == "date unknown"
    earlier = [h for h in hist if h["time_frame"] == "earlier"]
    assert earlier and all(h["sets_current_terms"] == "false" for h in earlier)
    flagged = next(h for h in hist if h["value_text"] == "200 billion RMB")
    assert "internal_inconsistency" in flagged["conflict_kinds"]
    dated = rows(relay_dist, "term_history")
    assert dated and all(h["date_known"] == "true" for h in dated)
    assert all(h["reported_on"] == h["published"] for h in dated)
    assert all(float(h["usd_mid"]) > 0 for h in dated)


# ---------------------------------------------------------------------------------------------
# curated inputs
@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(ENTITIES_FILE)


def test_round_labels_are_read_in_english_and_chinese():
    assert round_labels("raised $1bn in a Series B round") == ["B"]
    assert round_labels("完成超10亿美元的B轮融资") == ["B"]
    assert round_labels("完成B+轮融资；Pre-A轮") == ["B+", "pre-A"]
    assert round_labels("a seed round, then 天使轮") == ["seed", "angel"]
    assert round_labels("SERIES of events; IDEA轮") == []


def test_round_labels_prefilter_changes_no_result(seed_dist):
    """round_labels skips texts with none of the literals a label needs: same labels as the
    plain scan on every claim's evidence and every article of the seeds."""
    from roundtrace import curation

    texts = [row["evidence"] for row in rows(seed_dist, "claims")]
    texts += [row["text"] for row in rows(seed_dist, "sources")]
    texts += ["种子轮", "種子round", "Angel funding", "pre-Series A", "A轮", "seed funding"]
    assert any(round_labels(t) for t in texts)
    for t in texts:
        plain = [curation.label_key(m) for m in curation._LABEL_RX.finditer(t)]
        assert round_labels(t) == plain, t
    assert parse_label("Series C+") == "C+" and parse_label("b") == "B"


def test_curated_round_format(tmp_path, registry):
    p = tmp_path / "rounds.yml"
    p.write_text(
        "- id: ms-b\n  company: moonshot-ai\n  label: Moonshot Series B\n"
        "  match: {before: 2025-01-01, label: B轮}\n"
        "- id: ms-late\n  company: moonshot-ai\n  match: {after: 2025-01-01}\n",
        encoding="utf-8",
    )
    a, b = load_rounds(p, registry)
    assert (a.round_id, a.before, a.match_label, a.label) == (
        "ms-b",
        "2025-01-01",
        "B",
        "Moonshot Series B",
    )
    assert (b.after, b.before, b.label) == ("2025-01-01", None, None)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "- id: r1\n  company: deepseek\n  macth: {}\n",
            "rounds.yml:1: unknown round key(s): macth",
        ),
        ("- id: r1\n  company: deepseek\n  match: {after: soon}\n", "rounds.yml:1: match.after"),
        ("- id: r1\n  company: deepseek\n- id: r1\n  company: deepseek\n", "rounds.yml:3: dup"),
        ("- id: r1\n  company: deepseek\n  match: {label: Round 7}\n", "rounds.yml:1: match.label"),
    ],
)
def test_bad_curated_rounds_name_file_and_line(tmp_path, registry, text, message):
    p = tmp_path / "rounds.yml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rounds(p, registry)
    assert message in str(err.value)


def test_unknown_entity_in_reference_facts_names_file_and_line(tmp_path, registry):
    good = (ROOT / "seeds" / "reference_facts.yml").read_text(encoding="utf-8")
    facts = load_reference_facts(ROOT / "seeds" / "reference_facts.yml", registry)
    assert {f.fact_id for f in facts} >= {"deepseek-v3-release", "deepseek-r1-release"}
    bad = good.replace("object: deepseek-r1", "object: deepseek-r2")
    line = bad.splitlines().index("  object: deepseek-r2")
    first_line_of_entry = max(
        i for i, t in enumerate(bad.splitlines()[:line]) if t.startswith("- id:")
    )
    p = tmp_path / "reference_facts.yml"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_reference_facts(p, registry)
    assert f"reference_facts.yml:{first_line_of_entry + 1}: object: unknown entity id" in str(
        err.value
    )


def test_cli_build_fails_cleanly_on_a_bad_reference_fact(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "entities.yml").write_bytes(ENTITIES_FILE.read_bytes())
    (seeds / "reference_facts.yml").write_text(
        "- id: f1\n  subject: deepsek\n  predicate: founded\n  value: 2023\n"
        "  citation: {title: T, url: 'https://example.org'}\n",
        encoding="utf-8",
    )
    proc = run_cli(
        "build", "--entities", str(seeds / "entities.yml"), "--out", str(tmp_path / "out")
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "reference_facts.yml:1: subject: unknown entity id 'deepsek'" in proc.stderr
