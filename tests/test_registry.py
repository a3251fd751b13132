"""Entity registry: curated names and aliases, matched fast and exactly."""

from pathlib import Path

import pytest

from roundtrace.errors import InputError
from roundtrace.paths import ENTITIES_FILE
from roundtrace.registry import Registry


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load(ENTITIES_FILE)


def ids(reg: Registry, text: str) -> list[str]:
    return [m.entity_id for m in reg.find(text)]


def test_english_and_chinese_aliases(reg):
    text = "腾讯与阿里巴巴洽谈投资深度求索，宁德时代参投。Tencent Holdings and Alibaba Group."
    assert ids(reg, text) == ["tencent", "alibaba", "deepseek", "catl", "tencent", "alibaba"]


def test_traditional_variants_are_generated(reg):
    # the registry lists 宁德时代 and 腾讯; traditional forms come from conversion
    assert ids(reg, "寧德時代與騰訊") == ["catl", "tencent"]


def test_offsets_are_exact_and_longest_alias_wins(reg):
    text = "The China National Artificial Intelligence Fund joined."
    (m,) = reg.find(text)
    assert m.entity_id == "china-national-ai-fund"
    assert text[m.start : m.end] == m.surface == "China National Artificial Intelligence Fund"


def test_acronyms_are_case_sensitive_and_words_bounded(reg):
    assert ids(reg, "the FT reported") == ["financial-times"]
    assert ids(reg, "a soft launch, left and jd") == []
    assert ids(reg, "Uberisation of rides") == []


def test_registry_errors_name_the_line(tmp_path: Path):
    bad = tmp_path / "entities.yml"
    bad.write_text(
        "- id: ok\n  name: OK\n  type: company\n- id: Bad Id\n  name: X\n  type: company\n"
    )
    with pytest.raises(InputError) as err:
        Registry.load(bad)
    assert err.value.line == 4 and "lower-case slug" in err.value.message
    bad.write_text("- id: a\n  name: A\n  type: company\n- id: a\n  name: B\n  type: fund\n")
    with pytest.raises(InputError) as err:
        Registry.load(bad)
    assert err.value.line == 4 and "duplicate entity id" in err.value.message
    bad.write_text("- id: a\n  name: A\n  type: planet\n")
    with pytest.raises(InputError, match="type must be one of"):
        Registry.load(bad)
