"""The Datasette site (metadata.yml + datasette-plugins/) over real builds, without a browser:
canned queries, names in metadata.yml, security headers, safe search, the plugin pages, downloads
and a hostile article that must come out escaped everywhere."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import sqlite3
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from datasette.app import Datasette
from hypothesis import given, settings
from hypothesis import strategies as st

from roundtrace import site
from roundtrace.paths import ARTICLES_DIR, ENTITIES_FILE, PLUGINS_DIR, ROOT
from roundtrace.pipeline import build

HOSTILE_DIR = ROOT / "tests" / "corpora" / "hostile"
META = site.load_metadata()
TABLES = META["databases"][site.DB]["tables"]
QUERIES = META["databases"][site.DB]["queries"]
# The canned queries that list many rows take `limit`, with these defaults (README, /api and
# the queries' descriptions say so).
LIMITED = sorted(n for n, q in QUERIES.items() if "limit" in q.get("params", []))
LIMIT_DEFAULTS = {
    "entity_claims": 100,
    "round_conflicts": 100,
    "round_term_history": 100,
    "search": 50,  # of claims, and of articles
    "who_reported_what": 100,
}
HOSTILE_STRINGS = [
    '"',
    "*",
    "AND OR",
    "(",
    "'",
    "腾讯 阿里巴巴",
    "Ünïcödé ß",
    '"Tencent',
    "a:b",
    "NEAR(a b)",
    "-x",
    "\x00",
    "^",
    "OR",
    '""',
    "\\",
    "%",
    "👍",
]


def make_ds(dist: Path, template_dir: Path = site.TEMPLATES_DIR) -> Datasette:
    return Datasette(
        [],
        immutables=[str(dist / "roundtrace.db")],
        metadata=json.loads((dist / "metadata.json").read_text()),
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(template_dir),
        settings=site.SETTINGS,
        inspect_data=(
            json.loads((dist / "inspect.json").read_text())
            if (dist / "inspect.json").exists()
            else None
        ),
        static_mounts=[("downloads", str(dist))],
    )


@pytest.fixture(scope="session")
def seed_site(seed_dist):
    if not (seed_dist / site.ZIP_NAME).exists():
        site.write_zip(seed_dist)
    return seed_dist


@pytest.fixture
def ds(seed_site):
    return make_ds(seed_site)


@pytest.fixture(scope="session")
def hostile_dist(tmp_path_factory) -> Path:
    """The seeds plus the hostile article (tests/corpora/hostile)."""
    articles = tmp_path_factory.mktemp("hostile") / "articles"
    shutil.copytree(ARTICLES_DIR, articles)
    for f in HOSTILE_DIR.glob("*.md"):
        shutil.copy(f, articles / f.name)
    out = articles.parent / "dist"
    build(articles, out, ENTITIES_FILE, progress=False)
    site.write_zip(out)
    return out


@pytest.fixture(scope="session")
def crowded_dist(seed_site, tmp_path_factory) -> Path:
    """The seed build with every claim copied 20 more times (new claim ids; same article, round,
    entities and words), its term_history and conflict_claims rows too and the full-text index
    rebuilt: every query that takes `limit` then has more rows than its default."""
    out = tmp_path_factory.mktemp("crowded")
    shutil.copy(seed_site / "roundtrace.db", out / "roundtrace.db")
    shutil.copy(seed_site / "metadata.json", out / "metadata.json")
    conn = sqlite3.connect(out / "roundtrace.db")
    for table in ("claims", "term_history", "conflict_claims"):
        cols = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
        select = ", ".join(
            "t.claim_id || '~' || n.i" if c == "claim_id" else f"t.[{c}]" for c in cols
        )
        conn.execute(
            f"with n(i) as (select 1 union all select i + 1 from n where i < 20) "
            f"insert into [{table}] select {select} from [{table}] t, n"
        )
    conn.execute("insert into claims_fts(claims_fts) values ('rebuild')")
    conn.commit()
    conn.close()
    return out


def db_columns(dist: Path) -> dict[str, set[str]]:
    conn = sqlite3.connect(dist / "roundtrace.db")
    names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    cols = {n: {r[1] for r in conn.execute(f"pragma table_info([{n}])")} for n in names}
    conn.close()
    return cols


# --- canned queries ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
async def test_canned_query_runs_bare_and_returns_rows(ds, name):
    q = QUERIES[name]
    assert q.get("title") and q.get("description"), f"{name}: needs a title and a description"
    page = await ds.client.get(f"/roundtrace/{name}")
    assert page.status_code == 200, f"{name} opened bare: {page.status_code}"
    r = await ds.client.get(f"/roundtrace/{name}.json?_shape=array")
    assert r.status_code == 200, r.text[:500]
    rows = r.json()
    assert rows, f"{name} returns no rows with its defaults on the seed data"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_query_params_are_declared_and_defaulted(name):
    q = QUERIES[name]
    used = set(re.findall(r"(?<![:\w]):(\w+)", q["sql"]))
    assert used == set(q.get("params", [])), f"{name}: params {q.get('params')} vs SQL {used}"
    for p in used:
        assert re.search(rf"nullif\(trim\(:{p}\), ''\)", q["sql"]), f"{name}: :{p} has no default"


async def test_canned_query_parameters_change_the_answer(ds):
    async def rows(path):
        r = await ds.client.get(path)
        assert r.status_code == 200, r.text[:300]
        return r.json()

    alibaba = await rows("/roundtrace/entity_claims.json?_shape=array&entity=阿里巴巴")
    assert alibaba and any(r["object"] == "Alibaba" for r in alibaba)
    by_name = await rows("/roundtrace/entity_claims.json?_shape=array&entity=ALIBABA")
    assert {r["claim_id"] for r in by_name} == {r["claim_id"] for r in alibaba}
    default = await rows("/roundtrace/who_reported_what.json?_shape=array")
    assert default and all(r["claim_id"] for r in default)
    for rnd in await rows("/roundtrace/rounds.json?_shape=array&round_id__not=deepseek-2026"):
        other = await rows(
            f"/roundtrace/who_reported_what.json?_shape=array&round_id={rnd['round_id']}"
        )
        assert {r["claim_id"] for r in other}.isdisjoint(r["claim_id"] for r in default)
    history = await rows("/roundtrace/round_term_history.json?_shape=array&round_id=deepseek-2026")
    assert {"valuation", "round_amount"} <= {r["term"] for r in history}
    assert all(r["published"] for r in history)  # a date or "date unknown", never empty
    figures = await rows("/roundtrace/independent_reports.json?_shape=array")
    twenty = [
        f
        for f in figures
        if f["term"] == "valuation" and f["amount_low"] == 2e10 and f["amount_high"] == 2e10
    ]
    assert twenty and twenty[0]["independent_reports"] >= 2
    assert twenty[0]["independent_reports"] <= twenty[0]["articles"]
    dossier = await rows("/roundtrace/source_dossier.json?_shape=array")
    assert {"article", "claim"} <= {r["kind"] for r in dossier}


def limit_default(name: str) -> int:
    sql = QUERIES[name]["sql"]
    found = set(re.findall(r"coalesce\(nullif\(trim\(:limit\), ''\), (\d+)\)", sql))
    assert len(found) == 1, f"{name}: limit read with defaults {found}"
    return int(found.pop())


def first(name: str, rows: list, n: int) -> list:
    """The first n rows of a limited query's full answer (search: of claims, then of articles)."""
    if name != "search":
        return rows[:n]
    return [r for r in rows if r["kind"] == "claim"][:n] + [
        r for r in rows if r["kind"] == "article"
    ][:n]


@pytest.mark.parametrize("name", LIMITED)
async def test_canned_query_limit_parameter_and_its_default(crowded_dist, name):
    """A query that lists many rows answers with the first `limit` rows of its one order: the
    documented default when the parameter is missing or empty, the number asked for otherwise,
    on the HTML page as in the JSON."""
    default = LIMIT_DEFAULTS[name]
    assert limit_default(name) == default
    assert "limit" in QUERIES[name]["description"], f"{name}: describe the limit parameter"
    assert f"default {default}" in QUERIES[name]["description"], name
    ds = make_ds(crowded_dist)

    async def rows(query: str = "") -> list[dict]:
        r = await ds.client.get(f"/roundtrace/{name}.json?_shape=objects{query}")
        assert r.status_code == 200, r.text[:500]
        assert not r.json()["truncated"]
        return r.json()["rows"]

    everything = await rows("&limit=1000")
    assert len(first(name, everything, 10_000)) == len(everything)
    assert len(first(name, everything, default)) >= default  # the default must cut
    assert await rows() == first(name, everything, default)
    assert await rows("&limit=") == first(name, everything, default)
    assert await rows("&limit=+7+") == first(name, everything, 7)
    assert await rows("&limit=250") == first(name, everything, 250)
    page = await ds.client.get(f"/roundtrace/{name}?limit=7")
    assert page.status_code == 200
    assert page.text.count("<tr>") - 1 == len(first(name, everything, 7))  # minus the header
    form = r'<label for="(qp\d+)">limit</label> <input type="text" id="\1" name="limit" value="7">'
    assert re.search(form, page.text)
    bare = await ds.client.get(f"/roundtrace/{name}")
    assert bare.text.count("<tr>") - 1 == len(first(name, everything, default))
    bad = await ds.client.get(f"/roundtrace/{name}.json?limit=many")
    assert bad.status_code == 400  # not a number: an error, not a silent default


def test_readme_lists_every_canned_query_and_parameter():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    para = re.search(r"\*\*Canned queries\*\*.*?\n\n", readme, re.DOTALL).group(0)
    for name, q in QUERIES.items():
        assert f"`{name}`" in para, name
        for p in q.get("params", []):
            assert f"`{p}`" in para, (name, p)
    limited = re.search(r"list many rows\s+\(([^)]*)\)\s+also\s+take\s+`limit`", para).group(1)
    assert sorted(re.findall(r"`(\w+)`", limited)) == LIMITED == sorted(LIMIT_DEFAULTS)
    for default in set(LIMIT_DEFAULTS.values()):
        assert f"default {default}" in para, default


# --- metadata.yml names ---------------------------------------------------------------------


def test_every_name_in_metadata_exists_in_the_db(seed_site):
    cols = db_columns(seed_site)
    conn = sqlite3.connect(seed_site / "roundtrace.db")
    problems = []
    for table, conf in TABLES.items():
        if table not in cols:
            problems.append(f"table {table}")
            continue
        have = cols[table]
        for facet in conf.get("facets", []):
            col = facet["array"] if isinstance(facet, dict) else facet
            if col not in have:
                problems.append(f"{table}: facet {facet}")
            elif isinstance(facet, dict):
                (bad,) = conn.execute(
                    f"select count(*) from [{table}] where [{col}] is not null and "
                    f"(not json_valid([{col}]) or json_type([{col}]) != 'array')"
                ).fetchone()
                if bad:
                    problems.append(f"{table}: array facet {col} has {bad} non-array values")
        for key in ("sort", "sort_desc", "label_column"):
            if key in conf and conf[key] not in have:
                problems.append(f"{table}: {key} {conf[key]}")
        for col in conf.get("plugins", {}).get("hidden_columns", {}).get("columns", []):
            if col not in have:
                problems.append(f"{table}: hidden column {col}")
        for col in conf.get("columns", {}):
            if col not in have:
                problems.append(f"{table}: column {col}")
    conn.close()
    assert not problems, problems


async def test_configured_facets_and_sorts_are_applied(ds):
    data = (await ds.client.get("/roundtrace/claims.json")).json()
    assert {"predicate", "certainty", "qualifier", "currency", "role", "hedges"} <= set(
        data["facet_results"]
    )
    assert data["human_description_en"] == "sorted by published descending"
    entities = (await ds.client.get("/roundtrace/entities.json")).json()
    assert {"type", "aliases"} <= set(entities["facet_results"])
    sources = (await ds.client.get("/roundtrace/sources.json")).json()
    assert "publisher" in sources["facet_results"]
    conflicts = (await ds.client.get("/roundtrace/conflicts.json")).json()
    assert "kind" in conflicts["facet_results"]


def th_columns(page: str) -> list[str]:
    return re.findall(r'<th [^>]*data-column="([^"]+)"', page)


async def test_technical_columns_are_left_out_of_the_default_html_view(ds):
    hidden = TABLES["claims"]["plugins"]["hidden_columns"]["columns"]
    page = (await ds.client.get("/roundtrace/claims")).text
    shown = th_columns(page)
    assert {"claim_id", "value_text", "evidence", "published"} <= set(shown)
    assert not set(hidden) & set(shown)
    for col in hidden:  # left out server-side: no header, no cell, not merely styled away
        assert f'class="col-{col} ' not in page and f'class="col-{col}"' not in page, col
    assert page.count('<td class="col-evidence ') == page.count("<tr>") - 1 > 0
    # the small-screen column labels follow the shown columns
    assert re.findall(r'nth-of-type\(\d+\):before \{ content: "([^"]+)"', page) == shown
    assert '<details class="rt-column-meanings">' in page  # column meanings folded away
    assert "evidence_start</dt>" in page  # ... and every column's meaning is still there
    # every column is one link away (above the table and in the actions menu)
    assert 'href="/roundtrace/claims?_allcols=1">show all columns</a>' in page
    assert "Show all columns (11 technical columns hidden)" in page
    everything = (await ds.client.get("/roundtrace/claims?_allcols=1")).text
    assert set(hidden) <= set(th_columns(everything))
    assert '<td class="col-evidence_start type-int">' in everything
    assert "technical columns not shown" not in everything
    assert "Hide technical columns" in everything
    chosen = (await ds.client.get("/roundtrace/claims?_col=predicate&_col=evidence_start")).text
    assert th_columns(chosen) == ["claim_id", "predicate", "evidence_start"]
    by_offset = (await ds.client.get("/roundtrace/claims?_sort=evidence_start")).text
    assert "evidence_start" in th_columns(by_offset) and "value_start" not in th_columns(by_offset)
    # JSON, the page's CSV export and row pages keep every column
    data = (await ds.client.get("/roundtrace/claims.json?_shape=array")).json()
    assert set(hidden) <= set(data[0])
    csv_url = re.search(r'href="(/roundtrace/claims\.csv\?[^"]*)"', page).group(1)
    csv = await ds.client.get(csv_url.replace("&amp;", "&"))
    assert set(hidden) <= set(csv.text.splitlines()[0].split(","))
    row = (await ds.client.get(f"/roundtrace/claims/{data[0]['claim_id']}")).text
    assert set(hidden) <= set(th_columns(row))
    # the other tables with technical columns
    sources = (await ds.client.get("/roundtrace/sources")).text
    assert "text" not in th_columns(sources) and "label" in th_columns(sources)
    assert "text" in th_columns((await ds.client.get("/roundtrace/sources?_allcols=1")).text)


FAST_ROWS_PAGES = [
    "/roundtrace/claims",
    "/roundtrace/claims?_allcols=1&source_id=900_hostile",
    "/roundtrace/sources?_allcols=1",
    "/roundtrace/sources/900_hostile",
    "/roundtrace/rounds",
    "/roundtrace/conflicts",
    "/roundtrace/who_reported_what",
    "/roundtrace/search?q=pwned",
    "/roundtrace/source_dossier?source_id=900_hostile",
    "/roundtrace/round_overview",
]


@pytest.mark.parametrize("path", FAST_ROWS_PAGES)
async def test_rows_rendered_in_python_match_datasettes_templates(hostile_dist, tmp_path, path):
    """templates/_table.html and query.html (fast_rows.py) make the same pages as Datasette's
    own row loops, escaping included (the hostile article)."""
    plain = tmp_path / "templates"
    shutil.copytree(site.TEMPLATES_DIR, plain)
    (plain / "_table.html").unlink()
    (plain / "query.html").unlink()

    def normal(html: str) -> str:
        html = re.sub(r"Queries took [0-9.]+ms", "", html)
        return re.sub(r">\s+<", "><", html).strip()

    fast = await make_ds(hostile_dist).client.get(path)
    slow = await make_ds(hostile_dist, plain).client.get(path)
    assert fast.status_code == slow.status_code == 200
    assert "<tbody>" in fast.text and fast.text.count("<tr>") > 1
    assert normal(fast.text) == normal(slow.text)


# --- plugins ----------------------------------------------------------------------------------


def load_plugin(name: str):
    spec = importlib.util.spec_from_file_location(f"rt_plugin_{name}", PLUGINS_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fts_conn():
    search = load_plugin("search")
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(body)")
    conn.execute("insert into t values ('Tencent and Alibaba in talks'), ('腾讯 阿里巴巴')")
    conn.create_function("escape_fts", 1, search.escape_fts)
    return conn


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escape_fts_accepts_any_text(fts_conn, text):
    fts_conn.execute("select count(*) from t where t match escape_fts(?)", [text]).fetchone()


def test_escape_fts_keeps_phrases_and_words_literal(fts_conn):
    def hits(q):
        sql = "select count(*) from t where t match escape_fts(?)"
        return fts_conn.execute(sql, [q]).fetchone()[0]

    assert hits("Tencent") == 1 and hits("tencent alibaba") == 1
    assert hits('"Tencent and Alibaba"') == 1 and hits('"Alibaba Tencent"') == 0
    assert hits("Tencent OR nothing") == 0  # OR is a word, not an operator
    assert hits("腾讯") == 1


@pytest.mark.parametrize("q", HOSTILE_STRINGS)
async def test_search_with_hostile_strings_answers_200(ds, q):
    for path in (
        "/roundtrace/search",
        "/roundtrace/search.json",
        "/roundtrace/claims",
        "/roundtrace/sources.json",
    ):
        key = "q" if "search" in path else "_search"
        r = await ds.client.get(path, params={key: q, "_shape": "array"})
        assert r.status_code == 200, (path, q, r.text[:300])


SEARCH_REFERENCE = """
select * from (
  select 'claim' as kind, s.label as article, c.predicate, c.value_text,
    snippet(claims_fts, 1, char(2), char(3), '…', 24) as snippet, c.source_id, c.claim_id,
    bm25(claims_fts) as score
  from claims_fts
  join claims c on c.rowid = claims_fts.rowid
  join sources s on s.source_id = c.source_id
  where claims_fts match escape_fts(coalesce(nullif(trim(:q), ''), 'Tencent'))
  order by score, c.rowid
  limit 500
)
union all
select * from (
  select 'article', s.label, null, null, snippet(sources_fts, -1, char(2), char(3), '…', 24),
    s.source_id, null, bm25(sources_fts)
  from sources_fts
  join sources s on s.rowid = sources_fts.rowid
  where sources_fts match escape_fts(coalesce(nullif(trim(:q), ''), 'Tencent'))
  order by bm25(sources_fts), s.rowid
  limit 500
)
"""


@pytest.mark.parametrize("limit", ["500", "3", "1", ""])
def test_search_ranks_in_the_index_first_with_the_same_results(seed_site, limit):
    """The canned search takes the best `limit` rows of each list (claims, articles) from the
    full-text index before joining; it must answer exactly what ranking every joined match would
    (ties broken by rowid)."""
    sql = QUERIES["search"]["sql"]
    n = int(limit or limit_default("search"))
    conn = sqlite3.connect(seed_site / "roundtrace.db")
    conn.create_function("escape_fts", 1, load_plugin("search").escape_fts)
    found, cut = 0, 0  # rows found; lists cut at the limit (the small limits must cut some)
    for q in ["", "Tencent", "billion", "腾讯", "valuation Alibaba", '"', "nothing-like-this"]:
        got = conn.execute(sql, {"q": q, "limit": limit}).fetchall()
        want = conn.execute(SEARCH_REFERENCE.replace("limit 500", f"limit {n}"), {"q": q})
        assert got == want.fetchall(), q
        found += len(got)
        cut += sum(1 for kind in ("claim", "article") if [r[0] for r in got].count(kind) == n)
    conn.close()
    assert found and (cut or n > 3)


async def test_search_highlights_matches(ds):
    r = await ds.client.get("/roundtrace/search?q=Tencent")
    assert r.status_code == 200 and "<mark>Tencent</mark>" in r.text
    rows = (await ds.client.get("/roundtrace/search.json?_shape=array&q=Tencent")).json()
    assert {"claim", "article"} == {r["kind"] for r in rows}


async def test_security_headers(ds):
    for path in (
        "/",
        "/roundtrace/claims",
        "/roundtrace/claims.json",
        "/rounds/deepseek-2026",
        "/api",
        "/downloads/datapackage.json",
        "/no-such-page",
    ):
        r = await ds.client.get(path)
        csp = r.headers["content-security-policy"]
        for directive in (
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "script-src 'self' 'unsafe-inline'",
        ):
            assert directive in csp, (path, directive)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_claim_evidence_is_highlighted_and_links_to_its_article(ds):
    claim = (
        await ds.client.get(
            "/roundtrace/claims.json?_shape=array&predicate=valuation&_size=1&_sort=claim_id"
        )
    ).json()[0]
    page = (await ds.client.get(f"/roundtrace/claims/{claim['claim_id']}")).text
    assert f'<mark class="rt-value">{claim["value_text"]}</mark>' in page
    assert f'href="/articles/{claim["source_id"]}#claim-{claim["claim_id"]}"' in page
    table = (await ds.client.get("/roundtrace/claims")).text
    assert table.count('<mark class="rt-value">') >= 10
    query = (await ds.client.get("/roundtrace/who_reported_what")).text
    assert '<mark class="rt-value">' in query and 'href="/articles/' in query


async def test_cells_link_articles_and_rounds_through_one_render_cell_hook(ds):
    from datasette.plugins import pm

    # each render_cell implementation costs every cell of every page (cells.py)
    impls = [i.plugin_name for i in pm.hook.render_cell.get_hookimpls()]
    assert [n for n in impls if n.endswith(".py")] == ["cells.py"], impls
    source = (await ds.client.get("/roundtrace/sources.json?_shape=array&_size=1")).json()[0]
    sources = (await ds.client.get("/roundtrace/sources")).text
    assert f'<a href="/articles/{source["source_id"]}">{source["label"]}</a>' in sources
    rounds = (await ds.client.get("/roundtrace/rounds?round_id=deepseek-2026")).text
    assert '<a href="/rounds/deepseek-2026">' in rounds
    query = (await ds.client.get("/roundtrace/entity_claims")).text
    assert '<td class="col-round_id"><a href="/rounds/' in query


async def test_round_page(ds):
    r = await ds.client.get("/rounds/deepseek-2026")
    assert r.status_code == 200
    html = r.text
    assert (
        '<svg class="rt-chart"' in html
        and "<script" not in html.split("<svg")[1].split("</svg>")[0]
    )
    for text in (
        "Terms",
        "Investors",
        "Conflicts",
        "Tencent",
        "Alibaba",
        "date unknown",
        "$20 billion",
        "roughly $10 billion",
    ):
        assert text in html, text
    history = (
        await ds.client.get("/roundtrace/round_term_history.json?_shape=array&limit=1000")
    ).json()
    charted = [
        h
        for h in history
        if h["term"] in ("valuation", "round_amount") and (h["usd_low"] or h["usd_high"])
    ]
    assert html.count('<g class="rt-point"') == len(charted)
    assert (await ds.client.get("/rounds/no-such-round")).status_code == 404


async def test_round_chart_places_figures_at_their_dates(ds, hostile_dist):
    hostile = make_ds(hostile_dist)
    html = (await hostile.client.get("/rounds/deepseek-2026")).text
    svg = html.split('<svg class="rt-chart"')[1].split("</svg>")[0]
    assert ">2026-05-02</text>" in svg and ">date unknown</text>" in svg
    assert "about $60 billion" in svg and "2026-05-02</title>" in svg
    assert svg.index(">2026-05-02</text>") < svg.index(">date unknown</text>")


async def test_article_page(ds):
    claims = (
        await ds.client.get(
            "/roundtrace/claims.json?_shape=array&source_id=003_0c3553c70a9bc4f4&_size=max"
        )
    ).json()
    r = await ds.client.get("/articles/003_0c3553c70a9bc4f4")
    assert r.status_code == 200
    for c in claims:
        assert f'id="claim-{c["claim_id"]}"' in r.text
    assert '<mark class="rt-value">200 billion RMB</mark>' in r.text
    assert (await ds.client.get("/articles/nope")).status_code == 404


async def test_api_page_lists_tables_columns_and_examples(ds):
    html = (await ds.client.get("/api")).text
    for text in (
        "_shape=array",
        "curl ",
        "next_url",
        "1000 ms",
        "claims",
        "evidence_start",
        "Where the USD figures come from",
        "roundtrace-datapackage.zip",
    ):
        assert text in html, text
    assert "claims_fts" not in html
    for default in set(LIMIT_DEFAULTS.values()):  # the canned queries' limit
        assert f"default {default}" in html, default
    for name in LIMITED:
        assert re.search(rf"/{name}\.json\?_shape=array(&amp;\w+=…)*&amp;limit=…</code>", html)
    # tables with their own page size in metadata.yml are named with it
    sizes = {t: c["size"] for t, c in site.metadata()["databases"]["roundtrace"]["tables"].items()
             if c.get("size")}
    assert sizes
    for table, size in sizes.items():
        assert f"{size} for <code>{table}</code>" in html, table
        page = (await ds.client.get(f"/roundtrace/{table}.json?_shape=objects")).json()
        assert len(page["rows"]) <= size
    menu = (await ds.client.get("/")).text
    assert 'href="/api"' in menu


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


async def test_home_page_links_resolve(ds):
    parser = Links()
    parser.feed((await ds.client.get("/")).text)
    local = sorted({h for h in parser.hrefs if h.startswith("/")})
    assert "/downloads/roundtrace-datapackage.zip" in local and "/roundtrace.db" in local
    for href in local:
        r = await ds.client.get(href)
        assert r.status_code == 200, href


async def test_downloads(ds, seed_site):
    z = await ds.client.get(f"/downloads/{site.ZIP_NAME}")
    assert z.status_code == 200
    with zipfile.ZipFile(io.BytesIO(z.content)) as zf:
        names = zf.namelist()
        descriptor = json.loads(zf.read("datapackage.json"))
        assert names == ["datapackage.json"] + sorted(r["path"] for r in descriptor["resources"])
        assert zf.read("claims.csv") == (seed_site / "claims.csv").read_bytes()
    first = (seed_site / site.ZIP_NAME).read_bytes()
    site.write_zip(seed_site)
    assert (seed_site / site.ZIP_NAME).read_bytes() == first  # deterministic
    db = await ds.client.get("/roundtrace.db")
    assert db.status_code == 200 and db.content.startswith(b"SQLite format 3")
    csv = await ds.client.get("/downloads/claims.csv")
    assert csv.status_code == 200 and csv.text.startswith("claim_id,")


def test_serve_command_uses_the_templates(tmp_path):
    from roundtrace.serve import command

    args = command(tmp_path, "127.0.0.1", 8001)
    assert args[args.index("--template-dir") + 1] == str(site.TEMPLATES_DIR)
    assert (site.TEMPLATES_DIR / "roundtrace_round.html").is_file()


# --- the hostile article ----------------------------------------------------------------------

RAW = ("<script>window.__pwned", "<img src=x", "<svg onload", 'href="javascript:', "<b>update")


async def test_hostile_article_is_escaped_everywhere(hostile_dist):
    hds = make_ds(hostile_dist)
    claim_ids = [
        r["claim_id"]
        for r in (
            await hds.client.get("/roundtrace/claims.json?_shape=array&source_id=900_hostile")
        ).json()
    ]
    assert claim_ids, "the hostile article must yield claims"
    paths = [
        "/articles/900_hostile",
        "/rounds/deepseek-2026",
        "/roundtrace/claims?source_id=900_hostile",
        "/roundtrace/claims?_allcols=1&source_id=900_hostile",
        "/roundtrace/sources",
        "/roundtrace/sources/900_hostile",
        "/roundtrace/mentions?source_id=900_hostile",
        "/roundtrace/who_reported_what",
        "/roundtrace/term_history",
        "/roundtrace/round_term_history",
        "/roundtrace/round_conflicts",
        "/roundtrace/independent_reports",
        "/roundtrace/source_dossier?source_id=900_hostile",
        "/roundtrace/entity_claims?entity=anonymous-sources",
        "/roundtrace/search?q=pwned",
        "/roundtrace/claims?_search=pwned",
        *[f"/roundtrace/claims/{c}" for c in claim_ids],
    ]
    for path in paths:
        r = await hds.client.get(path)
        assert r.status_code == 200, path
        for raw in RAW:
            assert raw not in r.text, (path, raw)
    article = (await hds.client.get("/articles/900_hostile")).text
    assert "&lt;script&gt;window.__pwned=&#39;body&#39;" in article
