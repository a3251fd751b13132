"""The site in headless Chromium: what a journalist clicks through, and a hostile article that
must stay inert wherever it is shown."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
import zipfile

import pytest


def fetch_json(base: str, path: str):
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return json.load(r)


def test_home_page(web):
    web.goto("/")
    page = web.page
    assert page.title().startswith("roundtrace")
    assert page.locator("h1").inner_text() == "roundtrace"
    for text in (
        "DeepSeek's 2026 round",
        "whole data package (zip)",
        "SQLite database",
        "API guide",
    ):
        assert page.get_by_role("link", name=text).first.is_visible(), text
    page.get_by_role("link", name="DeepSeek's 2026 round").click()
    page.wait_for_url("**/rounds/deepseek-2026")
    assert page.locator("svg.rt-chart").is_visible()


def test_claims_table_with_facets(web):
    web.goto("/roundtrace/claims")
    page = web.page
    facets = page.locator(".facet-info")
    names = [facets.nth(i).get_attribute("data-column") for i in range(facets.count())]
    for name in ("predicate", "certainty", "qualifier", "currency", "role", "hedges"):
        assert name in names, names
    # technical columns are hidden from the default view, meaningful ones are shown
    assert page.locator("th.col-value_text").is_visible()
    assert page.locator("th.col-evidence").is_visible()
    assert not page.locator("th.col-evidence_start").is_visible()
    # pick a facet value: only valuation claims remain
    page.locator('.facet-info[data-column="predicate"] a', has_text="valuation").first.click()
    page.wait_for_url(re.compile(r"predicate=valuation"))
    cells = page.locator("td.col-predicate")
    assert cells.count() > 0
    assert {cells.nth(i).inner_text().strip() for i in range(cells.count())} == {"valuation"}
    # every evidence cell shows its value highlighted
    assert page.locator("td.col-evidence mark.rt-value").count() == cells.count()


def test_claim_with_highlighted_evidence(web):
    claim = fetch_json(
        web.base,
        "/roundtrace/claims.json?_shape=array&predicate=investment_amount&_size=1",
    )[0]
    web.goto(f"/roundtrace/claims/{claim['claim_id']}")
    page = web.page
    mark = page.locator("td.col-evidence mark.rt-value")
    assert mark.inner_text() == claim["value_text"]
    sentence = page.locator("td.col-evidence .rt-evidence").inner_text()
    assert sentence == claim["evidence"]
    page.locator("td.col-evidence a.rt-in-article").click()
    page.wait_for_url(f"**/articles/{claim['source_id']}#claim-{claim['claim_id']}")
    anchor = page.locator(f"#claim-{claim['claim_id']}")
    assert anchor.count() == 1
    assert claim["value_text"] in [
        m.inner_text() for m in page.locator(".rt-article-text mark.rt-value").all()
    ]


def test_round_page_chart(web):
    web.goto("/rounds/deepseek-2026")
    page = web.page
    svg = page.locator("svg.rt-chart")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box["width"] > 400 and box["height"] > 200
    history = fetch_json(web.base, "/roundtrace/round_term_history.json?_shape=array&limit=1000")
    charted = [
        h
        for h in history
        if h["term"] in ("valuation", "round_amount") and (h["usd_low"] or h["usd_high"])
    ]
    assert svg.locator("g.rt-point").count() == len(charted)
    dates = [t.text_content() for t in svg.locator("text.rt-date").all()]
    assert dates == sorted(d for d in dates if d != "date unknown") + ["date unknown"]
    assert "2026-05-02" in dates  # the dated (hostile test) article sits at its date
    tips = " ".join(t.text_content() for t in svg.locator("g.rt-point title").all())
    for h in charted:
        assert h["value_text"] in tips and h["published"] in tips
    for heading in ("Terms", "How the reported terms moved", "Investors", "Conflicts"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    assert page.get_by_role("cell", name="Tencent").first.is_visible()


def test_round_chart_works_without_javascript(web_nojs):
    web_nojs.goto("/rounds/deepseek-2026")
    page = web_nojs.page
    assert page.locator("svg.rt-chart g.rt-point").count() > 5
    assert page.locator("svg.rt-chart").is_visible()


def test_canned_query_with_a_parameter(web):
    web.goto("/roundtrace/entity_claims")
    page = web.page
    assert page.locator("table.rows-and-columns tbody tr").count() > 0  # defaults: tencent
    field = page.locator('input[name="entity"]')
    field.fill("阿里巴巴")
    page.locator('form.sql input[type="submit"]').click()
    page.wait_for_url(re.compile(r"entity=%E9%98%BF"))
    objects = page.locator("td.col-object")
    assert objects.count() > 0
    assert "Alibaba" in {objects.nth(i).inner_text().strip() for i in range(objects.count())}


def test_search_query_with_hostile_text(web):
    for q in ('"', "AND OR (", "'", "腾讯"):
        web.goto("/roundtrace/search?q=" + urllib.request.quote(q))
    web.goto("/roundtrace/search?q=Tencent")
    assert web.page.locator("td.col-snippet mark", has_text="Tencent").count() > 0


def test_csv_download(web):
    web.goto("/")
    page = web.page
    with page.expect_download() as info:
        page.locator('a[href="/downloads/claims.csv"]').click()
    download = info.value
    assert download.suggested_filename == "claims.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert rows and {"claim_id", "predicate", "evidence"} <= set(rows[0])
    with page.expect_download() as info:
        page.get_by_role("link", name="whole data package (zip)").click()
    with zipfile.ZipFile(info.value.path()) as zf:
        assert "datapackage.json" in zf.namelist() and "claims.csv" in zf.namelist()


def test_api_page(web):
    web.goto("/api")
    page = web.page
    assert "_shape=array" in page.locator("pre.rt-example").inner_text()
    assert page.get_by_role("heading", name="claims", exact=True).is_visible()


HOSTILE_PAGES = [
    "/articles/900_hostile",
    "/rounds/deepseek-2026",
    "/roundtrace/claims?source_id=900_hostile",
    "/roundtrace/claims?_allcols=1&source_id=900_hostile",
    "/roundtrace/sources",
    "/roundtrace/sources/900_hostile",
    "/roundtrace/who_reported_what",
    "/roundtrace/term_history",
    "/roundtrace/round_term_history",
    "/roundtrace/round_conflicts",
    "/roundtrace/source_dossier?source_id=900_hostile",
    "/roundtrace/entity_claims?entity=anonymous-sources",
    "/roundtrace/search?q=pwned",
    "/roundtrace/claims?_search=pwned",
]


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_hostile_article_renders_inert(web, path):
    web.goto(path)
    page = web.page
    page.wait_for_timeout(150)  # give any onerror/onload handler a chance to fire
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("svg[onload]").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert "window.__pwned" in page.locator("body").inner_text()  # shown as text
    web.assert_clean()


def test_hostile_claim_rows_render_inert(web):
    ids = fetch_json(web.base, "/roundtrace/claims.json?_shape=array&source_id=900_hostile")
    assert ids
    for c in ids:
        web.goto(f"/roundtrace/claims/{c['claim_id']}")
        assert web.page.locator("mark.rt-value").inner_text() == c["value_text"]
    web.page.goto(web.base + "/articles/900_hostile")
    text = web.page.locator(".rt-article-text").inner_text()
    assert text.startswith("<script>window.__pwned='body';alert(1)</script> DeepSeek")
