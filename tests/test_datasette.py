"""A real Datasette over the built database, with the project's metadata and plugins."""

import json

import pytest
from datasette.app import Datasette

from roundtrace import schema
from roundtrace.paths import PLUGINS_DIR
from roundtrace.site import SETTINGS, TEMPLATES_DIR


@pytest.fixture
def ds(seed_dist):
    meta = json.loads((seed_dist / "metadata.json").read_text())
    return Datasette(
        [],
        immutables=[str(seed_dist / "roundtrace.db")],
        metadata=meta,
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        settings=SETTINGS,
        inspect_data=json.loads((seed_dist / "inspect.json").read_text()),
        static_mounts=[("downloads", str(seed_dist))],
    )


async def test_home_tables_json_and_csv(ds):
    assert (await ds.client.get("/")).status_code == 200
    page = await ds.client.get("/roundtrace/claims")
    assert page.status_code == 200 and "valuation" in page.text
    data = (await ds.client.get("/roundtrace/claims.json?_shape=array&_size=max")).json()
    assert any(r["predicate"] == "valuation" for r in data)
    csv = await ds.client.get("/roundtrace/claims.csv")
    assert csv.status_code == 200 and csv.text.startswith("claim_id,")
    dl = await ds.client.get("/downloads/datapackage.json")
    assert dl.status_code == 200 and dl.json()["name"] == "roundtrace"


async def test_column_descriptions_come_from_schema(ds):
    meta = (await ds.client.get("/-/metadata.json")).json()
    cols = meta["databases"]["roundtrace"]["tables"]["claims"]["columns"]
    assert cols["usd_basis"] == schema.resource("claims").field("usd_basis")["description"]
    page = await ds.client.get("/roundtrace/claims")
    assert "Where the USD figures come from" in page.text


async def test_sql_api_is_read_only(ds):
    r = await ds.client.get("/roundtrace.json?sql=delete+from+claims&_shape=array")
    assert r.status_code == 400
    r = await ds.client.get("/roundtrace.json?sql=select+count(*)+as+n+from+claims&_shape=array")
    assert r.json()[0]["n"] > 0
