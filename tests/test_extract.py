"""Claim rules on sentences written for these tests (not taken from the seeds or the dev set).

Each rule gets English and Chinese examples. The registry is the real one; names that are not
in it (made-up funds and outlets) must come out as discovered entities.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from roundtrace.extract import Citation, Claim, Extraction, Mention, extract
from roundtrace.ingest import Article
from roundtrace.paths import ENTITIES_FILE
from roundtrace.registry import Registry
from roundtrace.text import sentence_spans


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load(ENTITIES_FILE)


def _article(
    body: str, lang: str = "en", published: str | None = "2026-05-20", title: str | None = None
) -> Article:
    return Article(
        source_id="t_0000000000000000",
        file="t.md",
        path=Path("t.md"),
        url="https://example.org/t",
        publisher=None,
        published=published,
        language=lang,
        title=title,
        retrieved=None,
        notes=None,
        body=body,
        body_sha256="0" * 64,
        body_line=1,
    )


def run(reg: Registry, body: str, lang: str = "en", published: str | None = "2026-05-20"):
    return extract(_article(body, lang, published), reg)


def name_of(reg: Registry, ex: Extraction, eid: str | None) -> str | None:
    if eid is None:
        return None
    if eid in reg.entities:
        return reg.entities[eid].name
    return next(d.name for d in ex.discovered if d.entity_id == eid)


def investors(reg: Registry, ex: Extraction) -> dict[tuple[str, str], str]:
    return {
        (name_of(reg, ex, c.subject_id), name_of(reg, ex, c.object_id)): c.role
        for c in ex.claims
        if c.predicate == "investor"
    }


def money(reg: Registry, ex: Extraction) -> list[tuple]:
    return [
        (c.predicate, name_of(reg, ex, c.subject_id), c.value_text, c.time_frame)
        for c in ex.claims
        if c.predicate in ("valuation", "round_amount", "investment_amount")
    ]


def one(ex: Extraction, predicate: str, value: str | None = None) -> Claim:
    found = [
        c
        for c in ex.claims
        if c.predicate == predicate and (value is None or c.value_text == value)
    ]
    assert len(found) == 1, found
    return found[0]


def test_records_keep_their_public_fields():
    assert {"claim_id", "predicate", "subject_id", "object_id", "role", "certainty"} <= set(
        Claim.__dataclass_fields__
    )
    assert {"party_id", "cue", "evidence"} <= set(Citation.__dataclass_fields__)
    assert {"entity_id", "surface", "start", "end"} <= set(Mention.__dataclass_fields__)
    assert {"claims", "discovered", "focal_id"} <= set(Extraction.__dataclass_fields__)


# --- investors and roles ------------------------------------------------------------------------
def test_led_by_and_list_after_other_investors(reg):
    ex = run(
        reg,
        "Zhipu AI has raised $400 million in a round co-led by Tencent and Sequoia Capital. "
        "Other investors included Accel, the Harbourline Growth Fund and Kestrel Ventures.",
    )
    inv = investors(reg, ex)
    assert inv[("Zhipu AI", "Tencent")] == "lead"
    assert inv[("Zhipu AI", "Sequoia Capital")] == "lead"
    assert inv[("Zhipu AI", "Accel")] == "participant"
    assert inv[("Zhipu AI", "Harbourline Growth Fund")] == "participant"
    assert inv[("Zhipu AI", "Kestrel Ventures")] == "participant"
    assert {d.name for d in ex.discovered} >= {"Harbourline Growth Fund", "Kestrel Ventures"}
    assert all(not d.curated for d in ex.discovered)


def test_talks_weighing_and_negation(reg):
    ex = run(
        reg,
        "StepFun is in talks to raise 3 billion yuan, according to people familiar with the "
        "matter. Meituan and Xiaomi are in talks to invest, while Baidu is weighing whether to "
        "join. ByteDance is not among the investors.",
    )
    inv = investors(reg, ex)
    assert inv[("StepFun", "Meituan")] == "in_talks"
    assert inv[("StepFun", "Xiaomi")] == "in_talks"
    assert inv[("StepFun", "Baidu")] == "considering"
    assert ("StepFun", "ByteDance") not in inv


def test_raiser_in_talks_is_not_an_investor(reg):
    ex = run(reg, "OpenAI is discussing a share sale at around $700 billion, people said.")
    assert not [c for c in ex.claims if c.predicate == "investor"]
    c = one(ex, "valuation")
    assert c.subject_id == "openai" and c.amount_low == 7e11


def test_existing_backers_in_an_appositive(reg):
    ex = run(
        reg,
        "Perplexity closed a $500 million round led by Accel. SoftBank and Nvidia, Perplexity's "
        "earlier backers, did not take part this time. Google also holds a stake.",
    )
    inv = investors(reg, ex)
    assert inv[("Perplexity", "Accel")] == "lead"
    assert inv[("Perplexity", "SoftBank Group")] == "existing"
    assert inv[("Perplexity", "NVIDIA")] == "existing"
    assert inv[("Perplexity", "Google")] == "existing"


def test_investees_after_invested_in(reg):
    ex = run(
        reg,
        "MiniMax is raising money again. Tencent, which has already invested in Baichuan and "
        "StepFun, is expected to lead.",
    )
    inv = investors(reg, ex)
    assert inv[("Baichuan Intelligence", "Tencent")] == "existing"
    assert inv[("StepFun", "Tencent")] == "existing"


def test_chinese_roles_and_discovered_names(reg):
    ex = run(
        reg,
        "零一万物宣布完成新一轮融资，由星河远景基金领投，小米、顺为资本跟投，海潮创投参投。"
        "美团此前已是零一万物的股东。百度未参与本轮融资。",
        lang="zh-Hans",
    )
    inv = investors(reg, ex)
    assert inv[("01.AI", "星河远景基金")] == "lead"
    assert inv[("01.AI", "Xiaomi")] == "participant"
    assert inv[("01.AI", "Shunwei Capital")] == "participant"
    assert inv[("01.AI", "海潮创投")] == "participant"
    assert inv[("01.AI", "Meituan")] == "existing"
    assert ("01.AI", "Baidu") not in inv


def test_chinese_talks_considering_and_investor_list(reg):
    ex = run(
        reg,
        "据知情人士透露，百川智能正洽谈新一轮融资。腾讯正在与百川智能洽谈投资，小米考虑参投。"
        "本轮投资方包括联想创投、江南产业投资基金和北辰资本等机构。",
        lang="zh-Hans",
    )
    inv = investors(reg, ex)
    assert inv[("Baichuan Intelligence", "Tencent")] == "in_talks"
    assert inv[("Baichuan Intelligence", "Xiaomi")] == "considering"
    for name in ("Lenovo Capital", "江南产业投资基金", "北辰资本"):
        assert inv[("Baichuan Intelligence", name)] in ("unspecified", "participant"), name


# --- money typing, subjects and time frames -----------------------------------------------------
def test_commitments_and_bullet_contributions(reg):
    ex = run(
        reg,
        "Moonshot AI's new round is taking shape:\n"
        "- Size: about $1 billion\n"
        "- Alibaba: ~4 billion yuan (~$550 million)\n"
        "- Yang Zhilin (founder): ~1 billion yuan\n"
        "Tencent is committing $200 million of its own, the people said.",
    )
    inv = {
        (name_of(reg, ex, c.object_id), c.value_text)
        for c in ex.claims
        if c.predicate == "investment_amount"
    }
    assert inv == {
        ("Alibaba", "~4 billion yuan"),
        ("Yang Zhilin", "~1 billion yuan"),
        ("Tencent", "$200 million"),
    }
    assert all(c.subject_id == "moonshot-ai" for c in ex.claims if c.predicate != "round_status")
    glossed = one(ex, "investment_amount", "~4 billion yuan")
    assert glossed.usd_basis == "stated" and glossed.stated_usd_text == "(~$550 million)"
    assert one(ex, "round_amount").value_text == "about $1 billion"


def test_chinese_contributions(reg):
    ex = run(
        reg,
        "据财新报道，智谱完成约60亿元融资，其中珠海华发集团出资约20亿元，美团拟投资5亿元。",
        lang="zh-Hans",
    )
    got = {
        (name_of(reg, ex, c.object_id), c.value_text)
        for c in ex.claims
        if c.predicate == "investment_amount"
    }
    assert got == {("Zhuhai Huafa Group", "约20亿元"), ("Meituan", "5亿元")}
    assert one(ex, "round_amount").value_text == "约60亿元"
    assert all(c.attributed_to == "caixin" for c in ex.claims if c.predicate in ("round_amount",))


def test_raise_at_and_pre_money_are_valuations(reg):
    ex = run(
        reg,
        "Mistral AI is raising €2 billion at a €14 billion valuation. It last raised at €6 billion "
        "in 2024. xAI is seeking $15 billion at $230 billion before the investment.",
    )
    got = set(money(reg, ex))
    assert ("round_amount", "Mistral AI", "€2 billion", "target") in got
    assert ("valuation", "Mistral AI", "€14 billion", "current") in got
    assert ("valuation", "Mistral AI", "€6 billion", "earlier") in got
    assert ("round_amount", "xAI", "$15 billion", "target") in got
    assert ("valuation", "xAI", "$230 billion", "current") in got


def test_other_companies_get_their_own_subject(reg):
    ex = run(
        reg,
        "DeepSeek is in talks to raise $5 billion. For comparison, Zhipu AI was valued at "
        "$3 billion last year, and MiniMax at $4 billion when Tencent led its financing.",
    )
    got = set(money(reg, ex))
    assert ("round_amount", "DeepSeek", "$5 billion", "target") in got
    assert ("valuation", "Zhipu AI", "$3 billion", "earlier") in got
    assert ("valuation", "MiniMax", "$4 billion", "earlier") in got
    assert investors(reg, ex)[("MiniMax", "Tencent")] == "lead"


def test_distractors_are_not_funding_figures(reg):
    ex = run(
        reg,
        "StepFun's revenue reached 900 million yuan, and its fund manager oversees assets under "
        "management of $2 billion. 阶跃星辰的基金规模超过100亿元。",
    )
    assert money(reg, ex) == []


def test_bound_words_around_a_mark(reg):
    ex = run(reg, "Analysts expect xAI's valuation to climb past the $300 billion mark.")
    c = one(ex, "valuation")
    assert c.value_text == "past the $300 billion mark"
    assert c.qualifier == "lower_bound" and c.amount_low == 3e11 and c.amount_high is None
    assert ex_text_ok(c)


def ex_text_ok(c: Claim) -> bool:
    return c.evidence_start < c.value_start < c.value_end <= c.evidence_end


def test_forecast_is_speculative(reg):
    ex = run(
        reg,
        "Perplexity raised $100 million at an $8 billion valuation, the company said. A broker "
        "wrote that it could be worth $40 billion by the end of 2028.",
    )
    c = one(ex, "valuation", "$40 billion")
    assert c.time_frame == "forecast" and c.certainty == "speculative"
    assert one(ex, "valuation", "$8 billion").certainty == "confirmed"


# --- attribution and certainty ------------------------------------------------------------------
def test_relay_is_attributed_to_the_outlet_not_its_sources(reg):
    ex = run(
        reg,
        "Baichuan Intelligence is seeking 8 billion yuan at a 40 billion yuan valuation, the "
        "Harbour Post reported, citing people familiar with the matter. Tencent would lead, "
        "according to the report.",
    )
    pub = next(d for d in ex.discovered if d.name == "Harbour Post")
    assert pub.type == "publication" and not pub.curated
    for c in ex.claims:
        if c.predicate in ("valuation", "round_amount", "investor"):
            assert c.attributed_to == pub.entity_id, c
            assert c.certainty == "reported"


def test_people_familiar_and_anaphora(reg):
    ex = run(
        reg,
        "Zhipu AI is in talks to raise $1 billion, according to two people familiar with the "
        "plans. Alibaba is expected to lead, one of the people said.",
    )
    for c in ex.claims:
        if c.predicate in ("round_amount", "investor"):
            assert c.attributed_to == "anonymous-sources"
            assert c.certainty == "reported"


def test_company_announcement_is_confirmed_and_background_is_unattributed(reg):
    ex = run(
        reg,
        "Mistral AI said on Monday it had raised €1 billion led by Bpifrance. The company was "
        "valued at €6 billion in 2024.",
    )
    rnd = one(ex, "round_amount")
    assert rnd.attributed_to == "mistral-ai" and rnd.certainty == "confirmed"
    old = one(ex, "valuation")
    assert old.time_frame == "earlier" and old.attributed_to is None
    assert old.certainty == "confirmed"


def test_chinese_attribution_and_hedges(reg):
    ex = run(
        reg,
        "据晚点LatePost报道，月之暗面正洽谈新一轮融资，估值约50亿美元。知情人士称，腾讯拟领投。"
        "坊间传闻其估值可达100亿美元。",
        lang="zh-Hans",
    )
    v = one(ex, "valuation", "约50亿美元")
    assert v.attributed_to == "latepost" and v.certainty == "reported"
    assert investors(reg, ex)[("Moonshot AI", "Tencent")] in ("lead", "in_talks")
    rumour = one(ex, "valuation", "100亿美元")
    assert rumour.certainty == "speculative"


def test_denied_report(reg):
    ex = run(
        reg,
        "DeepSeek denied a report that it would raise 30 billion yuan. The report, published by "
        "the Harbour Post, said the round would value it at 600 billion yuan.",
    )
    for c in ex.claims:
        if c.predicate in ("valuation", "round_amount"):
            assert c.certainty == "denied", c
            assert name_of(reg, ex, c.attributed_to) == "Harbour Post"


def test_offsets_index_the_text(reg):
    body = (
        "據彭博報導，零一萬物洽談融資，金額至少2億美元。\n"
        "Kimi maker Moonshot raised $1B+ at $3B."
    )
    ex = run(reg, body, lang="zh-Hant")
    assert ex.claims
    for c in ex.claims:
        assert body[c.evidence_start : c.evidence_end] == c.evidence
        if c.value_start is not None:
            assert body[c.value_start : c.value_end] == c.value_text
    for m in ex.mentions:
        assert body[m.start : m.end] == m.surface


# --- linear cost ---------------------------------------------------------------------------------
def test_cost_is_linear_on_adversarial_text(reg):
    import time

    nasty = ("Aaaa Bbbb, " * 400 + "led by " + "Cccc " * 400 + "。、" * 400 + "$1" * 200) * 2
    t = time.perf_counter()
    run(reg, nasty)
    small = time.perf_counter() - t
    t = time.perf_counter()
    run(reg, nasty * 4)
    big = time.perf_counter() - t
    assert big < max(0.5, small * 12)


def test_no_catastrophic_patterns():
    from roundtrace import cues

    for name in dir(cues):
        pat = getattr(cues, name)
        if isinstance(pat, re.Pattern):
            assert not re.search(r"\([^()]*[+*]\)[+*]", pat.pattern), name


# --- companies that are not in the registry -----------------------------------------------------
def test_unknown_raiser_is_discovered_english(reg):
    ex = run(
        reg,
        "Two-year-old Quillfeather Labs (羽笔实验室) has raised $12 million at a $90 million "
        "valuation, the company said. Birchmoor Capital led the round, with Ostrava Ventures and "
        "Linden Equity participating. Rival Tallowick AI was valued at $40 million in 2024.",
    )
    disc = {d.name: d.type for d in ex.discovered}
    assert disc["Quillfeather Labs"] == "company"
    assert name_of(reg, ex, ex.focal_id) == "Quillfeather Labs"
    got = set(money(reg, ex))
    assert ("round_amount", "Quillfeather Labs", "$12 million", "current") in got
    assert ("valuation", "Quillfeather Labs", "$90 million", "current") in got
    assert ("valuation", "Tallowick AI", "$40 million", "earlier") in got
    inv = investors(reg, ex)
    assert inv[("Quillfeather Labs", "Birchmoor Capital")] == "lead"
    assert inv[("Quillfeather Labs", "Ostrava Ventures")] == "participant"
    assert inv[("Quillfeather Labs", "Linden Equity")] == "participant"


def test_unknown_raiser_is_discovered_chinese(reg):
    ex = run(
        reg,
        "杭州人工智能初创公司青禾智算近日宣布完成逾1.5亿元A轮融资，本轮由Birchmoor Capital领投，"
        "老股东白鹭资本、松涛创投继续跟投，投后估值8亿元。竞争对手蓝鲸智能在2024年的融资中估值为5亿元。",
        lang="zh-Hans",
    )
    assert name_of(reg, ex, ex.focal_id) == "青禾智算"
    got = set(money(reg, ex))
    assert ("round_amount", "青禾智算", "逾1.5亿元", "current") in got  # figure glued to 'A轮'
    assert ("valuation", "青禾智算", "8亿元", "current") in got
    assert ("valuation", "蓝鲸智能", "5亿元", "earlier") in got
    inv = investors(reg, ex)
    assert inv[("青禾智算", "Birchmoor Capital")] == "lead"
    assert inv[("青禾智算", "白鹭资本")] in ("participant", "existing")
    assert inv[("青禾智算", "松涛创投")] in ("participant", "existing")


def test_traditional_chinese_cues(reg):
    ex = run(
        reg,
        "據知情人士透露，智譜正尋求以至多300億元的估值融資20億元，騰訊有意領投。",
        lang="zh-Hant",
    )
    got = set(money(reg, ex))
    assert ("valuation", "Zhipu AI", "至多300億元", "target") in got or (
        "valuation", "Zhipu AI", "至多300億元", "current") in got
    assert any(p == "round_amount" and v == "20億元" for p, _, v, _ in got)
    assert investors(reg, ex)[("Zhipu AI", "Tencent")] in ("lead", "in_talks")


# --- A. the raising company outside the registry --------------------------------------------
def test_press_release_raiser_with_long_appositive_is_focal(reg):
    ex = run(
        reg,
        "MUNICH, March 3, 2026 /Example Wire/ -- Vellum Robotics, the Munich-based maker of "
        "autonomous inspection drones for offshore wind farms and pipelines, today announced a "
        "€90 million Series B led by Accel. The financing values the company at €700 million. "
        "Vellum will use the money to hire engineers, and rival Anthropic is not involved.",
    )
    assert name_of(reg, ex, ex.focal_id) == "Vellum Robotics"
    got = set(money(reg, ex))
    assert ("round_amount", "Vellum Robotics", "€90 million", "current") in got
    assert ("valuation", "Vellum Robotics", "€700 million", "current") in got
    assert investors(reg, ex)[("Vellum Robotics", "Accel")] == "lead"
    # 'Vellum' alone is the same company (a short form of a name with a generic last word)
    vellum = next(d for d in ex.discovered if d.name == "Vellum Robotics")
    assert "Vellum" in vellum.aliases


def test_headline_names_the_focal_company(reg):
    body = (
        "Anthropic and OpenAI have set the pace, and Anthropic remains the benchmark. "
        "Brightwing Labs is in talks to raise $300 million, people familiar with the matter said."
    )
    assert name_of(reg, extract(_article(body), reg), extract(_article(body), reg).focal_id) == (
        "Anthropic"
    )
    ex = extract(_article(body, title="Brightwing Labs in talks to raise $300 million"), reg)
    assert name_of(reg, ex, ex.focal_id) == "Brightwing Labs"
    assert ("round_amount", "Brightwing Labs", "$300 million", "target") in set(money(reg, ex))


def test_raiser_in_talks_with_appositive_beats_a_rival(reg):
    ex = run(
        reg,
        "Harrow Robotics, a four-year-old Denver start-up building robots for meat-packing "
        "plants, is in talks to raise $400 million to $500 million, people familiar said. "
        "Rival Figure AI was valued at $39 billion in September.",
    )
    got = set(money(reg, ex))
    assert ("round_amount", "Harrow Robotics", "$400 million to $500 million", "target") in got
    assert name_of(reg, ex, ex.focal_id) == "Harrow Robotics"


def test_traditional_chinese_raiser_with_english_gloss(reg):
    ex = run(
        reg,
        "台灣人工智能初創企業雲帆智能（Yunfan AI）今日宣布完成5億新台幣A輪融資，"
        "由華登國際投資（華登）領投，淡馬錫跟投。公司表示，融資後估值約40億新台幣。",
        lang="zh-Hant",
    )
    disc = {d.name: d for d in ex.discovered}
    assert "雲帆智能" in disc and "Yunfan AI" in disc["雲帆智能"].aliases
    assert name_of(reg, ex, ex.focal_id) == "雲帆智能"
    inv = investors(reg, ex)
    assert inv[("雲帆智能", "華登國際投資")] == "lead"
    assert inv[("雲帆智能", "Temasek")] == "participant"
    assert one(ex, "round_amount").certainty == "confirmed"


# --- B. digests: each item names its own company --------------------------------------------
def test_digest_items_reset_subject_and_attribution(reg):
    ex = run(
        reg,
        "**THIS WEEK**\n\n"
        "- **MiniMax.** The Shanghai lab is raising $600 million at a $4 billion valuation, "
        "The Information reported.\n"
        "- **Tallis Health.** The London start-up raised a $40 million Series A led by "
        "Balderton, with Accel participating. It is now valued at $300 million.\n"
        "- **Paris.** Lyon-based Orrery, which builds grid software, closed a €25 million round.\n",
    )
    got = set(money(reg, ex))
    assert ("valuation", "MiniMax", "$4 billion", "current") in got
    assert ("round_amount", "Tallis Health", "$40 million", "current") in got
    assert ("valuation", "Tallis Health", "$300 million", "current") in got
    assert ("round_amount", "Orrery", "€25 million", "current") in got
    assert one(ex, "valuation", "$300 million").attributed_to is None
    assert one(ex, "valuation", "$300 million").certainty == "confirmed"
    assert one(ex, "valuation", "$4 billion").attributed_to == "the-information"
    assert investors(reg, ex)[("Tallis Health", "Balderton")] == "lead"


def test_paragraph_about_another_company_drops_the_relayed_source(reg):
    ex = run(
        reg,
        "据晚点LatePost报道，月之暗面正在洽谈新一轮融资，估值约40亿美元。\n\n"
        "智谱此前完成了一轮融资，估值约200亿元。",
        lang="zh",
    )
    assert one(ex, "valuation", "约40亿美元").attributed_to == "latepost"
    zhipu = one(ex, "valuation", "约200亿元")
    assert name_of(reg, ex, zhipu.subject_id) == "Zhipu AI"
    assert zhipu.attributed_to is None


# --- C. denials -------------------------------------------------------------------------------
def test_company_pushes_back_on_an_outlet_report(reg):
    ex = run(
        reg,
        "Cohere has no plans to raise new money this year, a spokesperson said, pushing back on "
        "a Bloomberg report that the company was in talks to raise $1 billion at a $10 billion "
        "valuation.",
    )
    for v in ("$1 billion", "$10 billion"):
        c = next(c for c in ex.claims if c.value_text == v)
        assert (c.certainty, c.attributed_to) == ("denied", "bloomberg")


def test_later_denial_marks_the_report_denied(reg):
    ex = run(
        reg,
        "**June 2.** Reuters reports that StepFun is raising $500 million at a $3 billion "
        "valuation. StepFun calls the report \"untrue\".\n"
        "**June 9.** StepFun says it has closed a round of $300 million.\n",
    )
    assert one(ex, "valuation", "$3 billion").certainty == "denied"
    assert one(ex, "round_amount", "$500 million").certainty == "denied"
    closed = one(ex, "round_amount", "$300 million")
    assert closed.attributed_to != "reuters" and closed.certainty == "confirmed"


def test_chinese_denial_in_the_next_paragraph(reg):
    ex = run(
        reg,
        "据财新报道，百川智能正以约200亿元的估值进行新一轮融资。\n\n"
        "对此，百川智能回应称，上述消息不实。",
        lang="zh",
    )
    c = one(ex, "valuation", "约200亿元")
    assert (c.certainty, c.attributed_to) == ("denied", "caixin")


# --- E. figures that are not funding ----------------------------------------------------------
def test_stakes_contracts_unit_prices_and_markets_are_not_funding(reg):
    ex = run(
        reg,
        "Anthropic raised $5 billion. Google owns a 14% stake worth about $50 billion. "
        "It signed cloud contracts worth $20 billion. Its robots sell for about $40,000 each. "
        "Analysts say the market could reach $90 billion by 2030. The round brings its total "
        "funding to $30 billion. It also announced a $50 billion investment in US data centers.",
    )
    assert [v for _, _, v, _ in money(reg, ex)] == ["$5 billion"]


def test_chinese_holdings_orders_ad_spend_and_sector_totals_are_not_funding(reg):
    ex = run(
        reg,
        "智谱完成30亿元融资。腾讯持有约10%的股份，按300亿元估值计算，价值约30亿元。"
        "公司在手订单金额超过8亿元。月之暗面单月投放金额一度超过2亿元。"
        "2025年大模型公司披露的融资总额约为500亿元，累计融资超过100亿元。",
        lang="zh",
    )
    assert [v for _, _, v, _ in money(reg, ex)] == ["30亿元"]


# --- F. corrections -------------------------------------------------------------------------
def test_negated_figure_in_a_correction_is_not_a_claim(reg):
    ex = run(reg, "Correction: xAI raised $10 billion, not $12 billion, in the round.")
    assert [v for _, _, v, _ in money(reg, ex)] == ["$10 billion"]
    ex = run(reg, "智谱本轮融资金额为20亿元，而非30亿元。", lang="zh")
    assert [v for _, _, v, _ in money(reg, ex)] == ["20亿元"]


# --- G. one investor's money: 'MONEY from X' ---------------------------------------------------
def test_money_from_an_investor_is_its_contribution(reg):
    ex = run(
        reg,
        "Moonshot AI has drawn ¥2 billion from Wuxi Industrial Development Fund and a further "
        "¥800 million from Tencent, according to registration records.",
    )
    a = one(ex, "investment_amount", "¥2 billion")
    b = one(ex, "investment_amount", "¥800 million")
    assert name_of(reg, ex, a.object_id) == "Wuxi Industrial Development Fund"
    assert name_of(reg, ex, b.object_id) == "Tencent"
    assert not [c for c in ex.claims if c.predicate == "round_amount"]


def test_surname_refers_to_the_person_named_in_full(reg):
    ex = run(
        reg,
        "DeepSeek founder Liang Wenfeng has spoken to staff. Liang would put in ¥5 billion of "
        "his own money, Caixin reported.",
    )
    c = one(ex, "investment_amount", "¥5 billion")
    assert name_of(reg, ex, c.object_id) == "Liang Wenfeng"


# --- H. 'respectively' pairs lists ------------------------------------------------------------
def test_respectively_pairs_investors_with_figures(reg):
    ex = run(
        reg,
        "Anthropic is raising money. Amazon.com Inc. and Alphabet Inc., which agreed to invest "
        "up to $4 billion and up to $2 billion in the company respectively, are also expected "
        "to take part.",
    )
    a = one(ex, "investment_amount", "up to $4 billion")
    b = one(ex, "investment_amount", "up to $2 billion")
    assert (name_of(reg, ex, a.subject_id), name_of(reg, ex, a.object_id)) == (
        "Anthropic", "Amazon")
    assert name_of(reg, ex, b.object_id) == "Google"
    assert investors(reg, ex)[("Anthropic", "Amazon")] == "participant"
    ex = run(reg, "智谱新一轮融资中，腾讯和阿里巴巴分别出资10亿元和5亿元。", lang="zh")
    got = {(name_of(reg, ex, c.object_id), c.value_text) for c in ex.claims
           if c.predicate == "investment_amount"}
    assert got == {("Tencent", "10亿元"), ("Alibaba", "5亿元")}


# --- I. investor names with possessive owners and long lists -----------------------------------
def test_possessive_owner_is_not_part_of_the_investor_name(reg):
    ex = run(
        reg,
        "Mistral AI held talks with Bpifrance and Abu Dhabi's MGX about the round. Qatar's "
        "Lusail Capital also joined the round. SoftBank's Vision Fund 2 joined, alongside "
        "existing investors Accel, Lightspeed, Thornbury Partners and Nvidia.",
    )
    inv = investors(reg, ex)
    assert inv[("Mistral AI", "MGX")] == "in_talks"
    assert ("Mistral AI", "Lusail Capital") in inv
    assert ("Mistral AI", "SoftBank Group") in inv
    for name in ("Accel", "Lightspeed Venture Partners", "Thornbury Partners", "NVIDIA"):
        assert inv[("Mistral AI", name)] == "existing", name
    assert not any("'s" in d.name for d in ex.discovered)


# --- J. timelines, background rounds and Series labels ------------------------------------------
def test_series_label_is_a_round_and_background_stays_confirmed(reg):
    ex = run(
        reg,
        "Perplexity is in talks to raise at a $30 billion valuation, Bloomberg reported.\n\n"
        "Perplexity closed a $500 million Series E in 2025 led by Accel. Nvidia and SoftBank "
        "also took part in that round.",
        published="2026-05-20",
    )
    r = one(ex, "round_amount", "$500 million")
    assert (r.time_frame, r.certainty, r.attributed_to) == ("earlier", "confirmed", None)
    inv = {c.object_id: c for c in ex.claims if c.predicate == "investor"}
    assert inv["nvidia"].certainty == "confirmed" and inv["nvidia"].attributed_to is None


def test_rest_of_round_recipient_and_spokesperson_rules(reg):
    ex = run(
        reg,
        "Perplexity has raised $500 million, a Perplexity spokesperson confirmed. The round was "
        "led by Accel, according to the spokesperson, with Nvidia and Orchard Peak Capital "
        "making up the rest.",
    )
    inv = {c.object_id: c for c in ex.claims if c.predicate == "investor"}
    assert inv["accel"].role == "lead"
    assert (inv["accel"].attributed_to, inv["accel"].certainty) == ("perplexity", "confirmed")
    assert inv["nvidia"].role == "participant"
    assert any(d.name == "Orchard Peak Capital" for d in ex.discovered)
    # the company money goes *to* is not an investor of the one putting money in
    ex = run(reg, "微软自2019年以来累计向OpenAI投资约130亿美元。", lang="zh")
    assert ("Microsoft", "OpenAI") not in investors(reg, ex)


def test_chinese_past_month_and_forward_looking_by_then(reg):
    ex = run(
        reg,
        "据The Information报道，OpenAI正在洽谈新一轮融资，估值约7500亿美元。"
        "今年10月，OpenAI通过老股转让获得了5000亿美元的估值。"
        "市场人士预计，OpenAI或于2027年启动IPO，届时估值有望达到1万亿美元。",
        lang="zh",
        published="2026-12-10",
    )
    assert one(ex, "valuation", "5000亿美元").time_frame == "earlier"
    assert one(ex, "valuation", "5000亿美元").certainty == "confirmed"
    assert one(ex, "valuation", "1万亿美元").certainty == "speculative"


def test_interview_answer_takes_the_question_cue(reg):
    ex = run(
        reg,
        "We asked an analyst about Mistral AI.\n\n**Q: What is Mistral AI worth now?**\n\n"
        "A: On paper, €12 billion. Its revenue is about €300 million.\n\n"
        "**Q: 智谱的估值是多少？**\n\nA: 大约300亿元。",
    )
    got = set(money(reg, ex))
    assert ("valuation", "Mistral AI", "€12 billion", "current") in got
    assert len(got) == 2 and ("valuation", "Mistral AI", "300亿元", "current") not in got


def test_hedge_in_a_clause_about_another_company_does_not_apply(reg):
    ex = run(
        reg,
        "Perplexity raised $200 million. For comparison, Anthropic was valued at $183 billion "
        "this month, and OpenAI is in talks over a share sale at $500 billion.",
    )
    assert one(ex, "valuation", "$183 billion").certainty == "confirmed"
    assert one(ex, "valuation", "$500 billion").certainty == "reported"
    ex = run(
        reg,
        "智谱宣布完成新一轮融资。智谱投后估值约300亿元，而月之暗面据悉正在洽谈估值约40亿美元的融资。",
        lang="zh",
    )
    assert one(ex, "valuation", "约300亿元").certainty == "confirmed"
    assert one(ex, "valuation", "约40亿美元").certainty == "reported"


def test_a_new_role_phrase_starts_a_new_list(reg):
    ex = run(
        reg,
        "Lumen Labs today announced a $90 million Series B led by Accel, with participation from "
        "existing investors Index Ventures and Creandum, and new investors Alpha Wave Global and "
        "Samsung.",
    )
    inv = investors(reg, ex)
    assert inv[("Lumen Labs", "Index Ventures")] == "existing"
    assert inv[("Lumen Labs", "Alpha Wave Global")] == "participant"
    assert inv[("Lumen Labs", "Samsung")] == "participant"
    ex = run(reg, "DeepSeek is raising money. Tencent invested 1 billion yuan in DeepSeek in 2024.",
             published="2026-05-01")
    c = one(ex, "investment_amount")
    assert (c.role, c.time_frame) == ("existing", "earlier")


def test_may_invest_is_considering_in_both_languages(reg):
    ex = run(reg, "據彭博報道，月之暗面正洽談新一輪融資，估值約40億美元，騰訊及阿里巴巴或參投。",
             lang="zh-Hant")
    inv = investors(reg, ex)
    assert inv[("Moonshot AI", "Tencent")] == "considering"
    assert inv[("Moonshot AI", "Alibaba")] == "considering"
    ex = run(reg, "Moonshot AI is in talks to raise $1 billion. Tencent could also invest, "
                  "people familiar with the matter said.")
    assert investors(reg, ex)[("Moonshot AI", "Tencent")] == "considering"


def test_short_people_familiar_said(reg):
    ex = run(reg, "- Moonshot AI: valued at $4bn, people familiar said")
    c = one(ex, "valuation")
    assert (c.attributed_to, c.certainty) == ("anonymous-sources", "reported")


# --- investor subjects in multi-company articles -------------------------------------------------
def test_investor_subject_is_the_company_the_sentence_attaches_the_round_to(reg):
    ex = run(
        reg,
        "DeepSeek is in talks to raise $1 billion, The Information reported. Moonshot AI, backed "
        "by Tencent and Alibaba, was valued at $3.3 billion. MiniMax counts Alibaba, Tencent and "
        "Hillhouse among its shareholders. Baichuan raised 5 billion yuan in July 2025, with "
        "Alibaba, Tencent and Xiaomi taking part.",
    )
    inv = investors(reg, ex)
    assert inv[("Moonshot AI", "Tencent")] == "existing"
    assert inv[("MiniMax", "Hillhouse Investment")] == "existing"
    assert ("Baichuan Intelligence", "Xiaomi") in inv
    assert not any(s == "DeepSeek" for s, _ in inv)
    assert [c.attributed_to for c in ex.claims if c.subject_id != "deepseek"] == [None] * len(
        [c for c in ex.claims if c.subject_id != "deepseek"]
    )


def test_chinese_investor_subject_is_the_named_company(reg):
    ex = run(
        reg,
        "据晚点LatePost报道，DeepSeek正在洽谈新一轮融资。月之暗面的股东包括阿里巴巴、腾讯。"
        "MiniMax此前获得阿里巴巴、腾讯和高瓴的投资。百川智能的投资方有阿里巴巴、腾讯和小米。",
        lang="zh",
    )
    inv = investors(reg, ex)
    assert inv[("Moonshot AI", "Tencent")] == "existing"
    assert inv[("MiniMax", "Hillhouse Investment")] == "existing"
    assert ("Baichuan Intelligence", "Xiaomi") in inv
    assert ("MiniMax", "Baichuan Intelligence") not in inv  # 'X的投资方' names X as the investee
    assert not any(s == "DeepSeek" for s, _ in inv)


def test_with_a_list_after_a_long_clause_belongs_to_the_raiser(reg):
    ex = run(
        reg,
        "OpenAI is raising money. Thinking Machines Lab, founded by former OpenAI technology chief "
        "Mira Murati, raised a $2 billion seed round, with Andreessen Horowitz in the lead and "
        "NVIDIA and AMD joining.",
    )
    inv = investors(reg, ex)
    assert inv[("Thinking Machines Lab", "Andreessen Horowitz")] == "lead"
    assert ("Thinking Machines Lab", "AMD") in inv
    assert not any(s == "OpenAI" for s, _ in inv)


def test_paragraph_subject_carries_to_the_next_sentence(reg):
    ex = run(
        reg,
        "OpenAI is raising $40 billion, according to Reuters.\n\nMistral AI closed a €1.7 billion "
        "Series C in 2025. ASML led that deal, with NVIDIA and Bpifrance joining; Andreessen "
        "Horowitz and General Catalyst were among the other participants.\n\nIts rival Cohere "
        "is valued at $6.8 billion. It counts Nvidia among its backers.",
    )
    inv = investors(reg, ex)
    assert inv[("Mistral AI", "ASML")] == "lead"
    assert ("Mistral AI", "General Catalyst") in inv
    assert ("Cohere", "NVIDIA") in inv
    assert not any(s == "OpenAI" for s, _ in inv)
    ex = run(
        reg,
        "据晚点LatePost报道，DeepSeek正在洽谈新一轮融资，估值超过200亿美元。\n\n"
        "月之暗面去年完成10亿美元融资，估值25亿美元。该轮由阿里巴巴领投，腾讯跟投。",
        lang="zh",
    )
    inv = investors(reg, ex)
    assert inv[("Moonshot AI", "Alibaba")] == "lead"
    assert ("Moonshot AI", "Tencent") in inv
    assert not any(s == "DeepSeek" for s, _ in inv)
    v = next(c for c in ex.claims if c.predicate == "valuation" and c.subject_id == "moonshot-ai")
    assert (v.attributed_to, v.certainty) == (None, "confirmed")


def test_background_lists_raised_from_and_backers_in_that_round(reg):
    ex = run(
        reg,
        "xAI is in talks to raise $10 billion, CNBC reported.\n\n- xAI closed a $6 billion Series "
        "C in December 2024.\n- Backers in that round included Andreessen Horowitz, Sequoia "
        "Capital, Fidelity and AMD.",
    )
    inv = investors(reg, ex)
    assert inv[("xAI", "Sequoia Capital")] == "existing"
    assert ("xAI", "AMD") in inv
    ex = run(
        reg,
        "Safe Superintelligence has raised $2 billion. It was valued at $5 billion in September "
        "2024, when it raised $1 billion from Andreessen Horowitz, DST Global and SV Angel.",
    )
    inv = investors(reg, ex)
    assert inv[("Safe Superintelligence", "SV Angel")] == "existing"
    assert inv[("Safe Superintelligence", "DST Global")] == "existing"
    ex = run(reg, "Anthropic's backers include Google, Amazon and Spark Capital. Anthropic is "
                  "raising $5 billion.")
    assert ("Anthropic", "Spark Capital") in investors(reg, ex)


def test_discovers_people_and_digit_names_in_investor_lists(reg):
    ex = run(
        reg,
        "FLASH: Zorblax Robotics has raised $300 million at a $2 billion valuation, the company "
        "said. Quillon Ventures led the round; Harbor Light Capital, 9Yards and Tamsin Okafor "
        "participated. Zorblax was valued at $900 million in March.",
    )
    inv = investors(reg, ex)
    assert inv[("Zorblax Robotics", "Quillon Ventures")] == "lead"
    assert inv[("Zorblax Robotics", "9Yards")] == "participant"
    assert inv[("Zorblax Robotics", "Tamsin Okafor")] == "participant"
    assert inv[("Zorblax Robotics", "Harbor Light Capital")] == "participant"
    assert {c.subject_id for c in ex.claims if c.predicate == "valuation"} == {
        "x-zorblax-robotics"
    }
    ex = run(reg, "星河智能完成5亿元融资。本轮由8号资本领投，9天创投跟投。", lang="zh")
    assert {o for _, o in investors(reg, ex)} >= {"8号资本"}


def test_short_name_of_a_registry_company_is_that_company(reg):
    ex = run(
        reg,
        "Cognition AI has raised $400 million at a $10.2 billion valuation, the company said. "
        "Cognition was valued at around $4 billion in March.",
    )
    assert {c.subject_id for c in ex.claims if c.predicate == "valuation"} == {"cognition"}
    assert not any(d.name == "Cognition" for d in ex.discovered)
    ex = run(reg, "Sources said Zorblax was valued at $1 billion in 2024. Zorblax Robotics has "
                  "raised $300 million, the company said.")
    assert {c.subject_id for c in ex.claims if c.predicate != "round_status"} == {
        "x-zorblax-robotics"
    }
    assert not any(d.name == "Zorblax" for d in ex.discovered)
    ex = run(reg, "星河智能（Xinghe AI）完成5亿元融资。Xinghe此前估值20亿元。", lang="zh")
    assert len({c.subject_id for c in ex.claims if c.predicate in FUNDING_PREDICATES}) == 1


def test_existing_investors_returned(reg):
    ex = run(reg, "Kestrel Robotics has raised $80 million. Existing investors Index Ventures "
                  "and Accel returned.")
    inv = investors(reg, ex)
    assert inv[("Kestrel Robotics", "Accel")] == "existing"
    ex = run(reg, "Lumen Labs has raised $80 million led by Accel. Index Ventures also returned.")
    assert investors(reg, ex)[("Lumen Labs", "Index Ventures")] == "existing"


def test_past_round_participants_of_another_company_keep_their_role(reg):
    ex = run(
        reg,
        "OpenAI is raising $40 billion.\n\nAnthropic closed a $13 billion Series F in September "
        "2025. ICONIQ led it; the Qatar Investment Authority and GIC took part.\n\nOpenAI's "
        "earlier round, in 2024, was led by Thrive Capital, with Microsoft and NVIDIA taking part.",
        published="2025-11-02",
    )
    inv = investors(reg, ex)
    assert inv[("Anthropic", "GIC")] == "participant"
    assert inv[("Anthropic", "ICONIQ")] == "lead"
    assert inv[("OpenAI", "NVIDIA")] == "existing"  # the focal company's earlier backers
    ex = run(
        reg,
        "据报道，DeepSeek正在洽谈融资。\n\n"
        "百川智能于2024年7月完成50亿元A轮融资，阿里巴巴、腾讯和小米参投。",
        lang="zh",
        published="2025-11-02",
    )
    assert investors(reg, ex)[("Baichuan Intelligence", "Xiaomi")] == "participant"


def test_a_cue_right_before_the_next_figure_is_that_figures(reg):
    ex = run(reg, "Safe Superintelligence has raised a further $2 billion at a valuation of $32 "
                  "billion, the FT reported.")
    assert ("round_amount", "Safe Superintelligence", "$2 billion", "current") in money(reg, ex)
    assert ("valuation", "Safe Superintelligence", "$32 billion", "current") in money(reg, ex)
    ex = run(reg, "月之暗面再融资5亿美元，估值达40亿美元。", lang="zh")
    assert [p for p, *_ in money(reg, ex)] == ["round_amount", "valuation"]


def test_a_denial_in_another_clause_is_not_the_figures_source(reg):
    ex = run(
        reg,
        "xAI Reportedly Raises $10B at $200B Valuation; Musk Says Not Raising\n\n- Bloomberg "
        "reported that xAI has raised $10B at a $200B valuation, citing people familiar with the "
        "deal.\n- Musk replied hours later that xAI is not raising capital.",
    )
    c = one(ex, "valuation")
    assert c.attributed_to == "bloomberg"
    ex = run(reg, "月之暗面据报完成10亿美元融资；杨植麟表示消息不实。\n\n"
                  "据晚点LatePost报道，月之暗面完成10亿美元融资。", lang="zh")
    assert one(ex, "round_amount").attributed_to == "latepost"


def test_an_appositive_naming_a_shareholder_makes_it_existing(reg):
    ex = run(
        reg,
        "DeepSeek is raising money.\n\nMoonshot AI remains the most valuable of the pack. It was "
        "valued at $3.3 billion after a 2024 round in which Tencent joined Alibaba, its largest "
        "outside shareholder.",
        published="2025-11-24",
    )
    inv = investors(reg, ex)
    assert inv[("Moonshot AI", "Alibaba")] == "existing"
    assert inv[("Moonshot AI", "Tencent")] == "participant"
    assert {c.subject_id for c in ex.claims if c.predicate == "valuation"} == {"moonshot-ai"}
    ex = run(reg, "DeepSeek正在融资。\n\n月之暗面去年估值25亿美元，腾讯在2024年跟投，与阿里巴巴，"
                  "其最大外部股东，一同出资。", lang="zh")
    assert investors(reg, ex)[("Moonshot AI", "Alibaba")] == "existing"


def test_other_company_facts_do_not_inherit_the_focal_report(reg):
    ex = run(reg, "OpenAI is raising at a $500 billion valuation, The Information reported. "
                  "Anthropic is valued at $183 billion. It is also raising $5 billion. Anthropic "
                  "raised $13 billion at $183 billion in September.")
    for c in ex.claims:
        if c.subject_id == "anthropic" and c.predicate in FUNDING_PREDICATES:
            assert (c.attributed_to, c.certainty) == (None, "confirmed"), c
    ex = run(reg, "据晚点LatePost报道，DeepSeek估值超过200亿美元。月之暗面估值为40亿美元。"
                  "该公司还在寻求融资5亿美元。", lang="zh")
    other = [c for c in ex.claims if c.subject_id == "moonshot-ai"]
    assert len(other) == 2 and all(c.attributed_to is None for c in other)


FUNDING_PREDICATES = {"valuation", "round_amount", "investment_amount", "investor"}


def test_a_background_aside_does_not_take_the_current_round(reg):
    ex = run(
        reg,
        "DeepSeek is in talks to raise $2 billion at a $20 billion valuation, Reuters reported. "
        "Rival Moonshot AI was valued at $3.3 billion last year. Tencent is expected to lead the "
        "round, the people said. Alibaba is also in talks to invest.",
    )
    inv = investors(reg, ex)
    assert inv[("DeepSeek", "Tencent")] == "lead"
    assert inv[("DeepSeek", "Alibaba")] == "in_talks"
    ex = run(reg, "据路透社报道，DeepSeek正在洽谈融资20亿美元。竞争对手月之暗面去年估值33亿美元。"
                  "腾讯预计将领投本轮融资。", lang="zh")
    assert investors(reg, ex)[("DeepSeek", "Tencent")] == "lead"


# --- list parsing, owners, roles and attribution (blind2 failure classes) ----------------------
def test_a_ticker_in_brackets_does_not_break_an_investor_list(reg):
    ex = run(reg, "据路透社报道，小米集团（01810）及美团（03690）正洽谈入股智谱，"
                  "交易或令智谱估值逾300亿元。", lang="zh")
    inv = investors(reg, ex)
    assert inv[("Zhipu AI", "Xiaomi")] == "in_talks"
    assert inv[("Zhipu AI", "Meituan")] == "in_talks"
    assert all(s == "Zhipu AI" for s, _ in inv)


def test_whose_talks_with_makes_the_head_names_in_talks(reg):
    ex = run(
        reg,
        "StepFun is raising 3 billion yuan, Reuters reported. Meituan and Xiaomi, whose "
        "negotiations with StepFun were first disclosed by Reuters, declined to comment.",
    )
    inv = investors(reg, ex)
    assert inv[("StepFun", "Meituan")] == "in_talks"
    assert inv[("StepFun", "Xiaomi")] == "in_talks"
    assert ("Xiaomi", "StepFun") not in inv


def test_two_appositive_investors_are_list_mates_not_subject_and_investor(reg):
    ex = run(
        reg,
        "OpenAI closed a $6 billion round. Microsoft, which has invested in the lab since 2019, "
        "and NVIDIA, which holds a small stake, sat this one out.",
    )
    inv = investors(reg, ex)
    assert inv[("OpenAI", "Microsoft")] == "existing"
    assert inv[("OpenAI", "NVIDIA")] == "existing"
    assert set(inv) == {("OpenAI", "Microsoft"), ("OpenAI", "NVIDIA")}


def test_a_capitalised_verb_after_a_bold_lead_is_not_a_company(reg):
    ex = run(
        reg,
        "Deals this week.\n\n- **Moonshot AI (Beijing).** Is negotiating to raise about $600M, "
        "per Reuters. Tencent is in talks to lead.",
    )
    assert not [d for d in ex.discovered if d.name in ("Is", "Said")]
    assert investors(reg, ex)[("Moonshot AI", "Tencent")] == "in_talks"
    c = one(ex, "round_amount")
    assert c.subject_id == "moonshot-ai" and c.attributed_to == "reuters"


def test_owners_and_sole_shareholders_are_existing(reg):
    ex = run(reg, "MiniMax is raising $1 billion. MiniMax has been financed since 2021 by "
                  "Alibaba, the e-commerce group that Jack Ma co-founded.")
    assert investors(reg, ex)[("MiniMax", "Alibaba")] == "existing"
    ex = run(reg, "MiniMax is raising $1 billion. For now, Alibaba, the group Tencent once "
                  "rivalled, remains MiniMax's largest shareholder.")
    inv = investors(reg, ex)
    assert inv[("MiniMax", "Alibaba")] == "existing"
    assert ("MiniMax", "Tencent") not in inv
    ex = run(reg, "DeepSeek is raising money. Separately, Alibaba remains Moonshot AI's "
                  "largest shareholder.")
    assert investors(reg, ex) == {("Moonshot AI", "Alibaba"): "existing"}
    ex = run(reg, "Moonshot AI is raising money. Until 2025 it was wholly owned by HongShan.")
    assert investors(reg, ex)[("Moonshot AI", "HongShan")] == "existing"
    ex = run(reg, "月之暗面正在洽谈融资。报道又指，月之暗面目前由红杉中国全资持有。", lang="zh")
    assert investors(reg, ex)[("Moonshot AI", "HongShan")] == "existing"


def test_a_shareholder_appositive_naming_the_company_is_existing(reg):
    ex = run(reg, "xAI is raising money. Qatar's Mubadala, a longtime xAI backer, said it would "
                  "keep supporting the company.")
    inv = investors(reg, ex)
    assert inv[("xAI", "Mubadala")] == "existing"
    assert set(inv) == {("xAI", "Mubadala")}


def test_a_lead_then_a_list_of_participants_after_a_semicolon(reg):
    ex = run(reg, "Cohere raised $350 million at a $10 billion valuation. Harbor Peak Capital "
                  "led; Kestrel Ventures, NVIDIA and Tencent were among the backers.")
    assert investors(reg, ex) == {
        ("Cohere", "Harbor Peak Capital"): "lead",
        ("Cohere", "Kestrel Ventures"): "participant",
        ("Cohere", "NVIDIA"): "participant",
        ("Cohere", "Tencent"): "participant",
    }


def test_voiced_interest_is_considering(reg):
    ex = run(reg, "Zhipu AI is raising 5 billion yuan, Reuters said. Xiaomi and Meituan have "
                  "both voiced interest in investing, Reuters said.")
    inv = investors(reg, ex)
    assert inv[("Zhipu AI", "Xiaomi")] == "considering"
    assert inv[("Zhipu AI", "Meituan")] == "considering"


def test_an_unlisted_investor_agreeing_to_invest_and_its_sum(reg):
    ex = run(reg, "In May, Orbitron agreed to invest $3 billion in xAI as part of a $6 billion "
                  "equity raise, Reuters reported.")
    c = one(ex, "investment_amount")
    assert name_of(reg, ex, c.object_id) == "Orbitron" and c.amount_low == 3e9
    assert c.subject_id == "xai"
    assert one(ex, "round_amount").amount_low == 6e9


def test_a_proposed_or_negotiated_lead_stays_in_talks(reg):
    ex = run(reg, "Perplexity is raising $500 million, Reuters reported. Accel is negotiating to "
                  "lead the round.")
    assert investors(reg, ex)[("Perplexity", "Accel")] == "in_talks"
    ex = run(reg, "据晚点报道，百川智能正在洽谈新一轮融资，红杉中国拟领投，"
                  "腾讯考虑参投。", lang="zh")
    inv = investors(reg, ex)
    assert inv[("Baichuan Intelligence", "HongShan")] == "in_talks"
    assert inv[("Baichuan Intelligence", "Tencent")] == "considering"
    ex = run(reg, "智谱正在洽谈新一轮融资。据报道，小米、美团均在与智谱洽谈，"
                  "其中一家有望领投。", lang="zh")
    inv = investors(reg, ex)
    assert inv[("Zhipu AI", "Xiaomi")] == "in_talks"
    assert inv[("Zhipu AI", "Meituan")] == "in_talks"


def test_a_second_verb_puts_in_the_investors_own_sum(reg):
    ex = run(reg, "StepFun closed a $700 million round. Tencent led the financing and put in "
                  "$400 million.")
    c = one(ex, "investment_amount")
    assert c.object_id == "tencent" and c.amount_low == 4e8
    assert one(ex, "round_amount").amount_low == 7e8
    ex = run(reg, "StepFun closed a $700 million round. Tencent led the round and provided $300 "
                  "million of debt.")
    assert [m[0] for m in money(reg, ex)] == ["round_amount"]


def test_size_of_the_raise_and_a_sale_to_staff(reg):
    ex = run(reg, "Earlier talks had valued MiniMax at $3 billion and put the size of the "
                  "raise at $300 million, people familiar said.")
    assert one(ex, "round_amount").amount_low == 3e8
    assert one(ex, "valuation").amount_low == 3e9
    ex = run(reg, "OpenAI is negotiating a share sale to employees at roughly $90 billion.")
    assert one(ex, "valuation").amount_low == 9e10


def test_net_worth_is_not_a_valuation(reg):
    ex = run(reg, "Moonshot AI is raising money. Forbes puts her net worth at $4 billion.")
    assert not money(reg, ex)


def test_looking_for_and_pegged_at(reg):
    ex = run(reg, "The first reports said Moonshot AI was looking for a modest $200 million. "
                  "Early talks pegged Moonshot AI at about $3 billion.")
    assert one(ex, "round_amount").amount_low == 2e8
    assert one(ex, "valuation").amount_low == 3e9


def test_generic_outlet_nouns_refer_to_the_last_outlet(reg):
    ex = run(reg, "Sakana AI is nearing a ¥20 billion round, Nikkei Asia reported. MUFG is "
                  "expected to invest again, the paper said.")
    inv = [c for c in ex.claims if c.predicate == "investor"]
    assert inv and all(c.attributed_to == "nikkei-asia" for c in inv)
    ex = run(reg, "Caixin has since reported a bigger target: the company, MiniMax, is seeking "
                  "$2 billion, according to the magazine.")
    assert one(ex, "round_amount").attributed_to == "caixin"


def test_each_clause_takes_its_own_outlet(reg):
    ex = run(reg, "Reuters later said MiniMax was aiming for a valuation of more than $5 "
                  "billion, and Caixin's report put its valuation at up to 40 billion yuan.")
    by_value = {c.value_text: c.attributed_to for c in ex.claims if c.predicate == "valuation"}
    assert by_value == {"more than $5 billion": "reuters", "up to 40 billion yuan": "caixin"}


def test_sources_telling_an_outlet_is_that_outlets_relay(reg):
    ex = run(reg, "In March, people close to the talks told Reuters that MiniMax was seeking a "
                  "valuation above $5 billion.")
    assert one(ex, "valuation").attributed_to == "reuters"
    art = replace(_article("Two people familiar with the matter told Reuters that MiniMax is "
                           "seeking a valuation above $5 billion."), publisher="Reuters")
    assert one(extract(art, reg), "valuation").attributed_to == "anonymous-sources"


def test_company_announcements_are_attributed_to_the_company(reg):
    ex = run(reg, '北京月之暗面科技有限公司（下称"月之暗面"）宣布完成新一轮融资，'
                  "融资金额10亿美元。", lang="zh")
    assert one(ex, "round_amount").attributed_to == "moonshot-ai"
    ex = run(reg, "Deals.\n\n- **Perplexity (San Francisco).** Said its latest round brought in "
                  "$200M at a $20B valuation.")
    assert one(ex, "round_amount").attributed_to == "perplexity"
    assert one(ex, "valuation").attributed_to == "perplexity"


def test_a_later_hedged_predicate_leaves_the_settled_clause_alone(reg):
    ex = run(reg, "Mistral AI today announced a €1.7 billion funding round. The obvious "
                  "yardstick is Anthropic, which was valued at $61.5 billion in its March round "
                  "and is reportedly negotiating a new raise at about $170 billion.")
    vals = {c.value_text: c.certainty for c in ex.claims
            if c.predicate == "valuation" and c.subject_id == "anthropic"}
    assert vals == {"$61.5 billion": "confirmed", "about $170 billion": "reported"}


def test_old_shareholders_joining_a_relayed_round_are_reported(reg):
    ex = run(reg, "据晚点LatePost报道，MiniMax已完成新一轮3亿美元融资。"
                  "本轮由高瓴资本领投，腾讯等老股东跟投。", lang="zh")
    c = next(c for c in ex.claims if c.predicate == "investor" and c.object_id == "tencent")
    assert c.certainty == "reported" and c.attributed_to == "latepost"


def test_a_figure_restated_is_one_fact(reg):
    ex = run(reg, "Cohere valuation reaches $7B\n\nCohere has raised $100M, lifting its valuation "
                  "to about $7B, the company said.")
    assert len([c for c in ex.claims if c.predicate == "valuation"]) == 1
    ex = run(reg, "MiniMax is seeking 20 billion yuan in new funding. At 20 billion yuan, the "
                  "round would be the largest this year.")
    assert len([c for c in ex.claims if c.predicate == "round_amount"]) == 1


def test_a_possessive_name_in_an_alias(reg):
    ex = run(reg, "Physical Intelligence is raising $600 million. Jeff Bezos's family office is "
                  "expected to invest again.")
    assert ("Physical Intelligence", "Bezos Expeditions") in investors(reg, ex)


def test_a_round_letter_ends_a_sentence_but_an_initial_does_not():
    text = "Acme closed a Series B. The round was led by Accel. J. Doe said so in the U.S. Today."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Acme closed a Series B.",
        "The round was led by Accel.",
        "J. Doe said so in the U.S. Today.",
    ]


# --- quality2 round 3: name boundaries, anaphora, distractors, roles, tables ------------------
def _names(reg: Registry, ex: Extraction, predicate: str) -> set:
    return {name_of(reg, ex, c.subject_id) for c in ex.claims if c.predicate == predicate}


def test_a_time_word_ends_a_discovered_chinese_raiser(reg):
    ex = run(reg, "專注倉儲機器人的新創公司星嵐動力今（12）日宣布完成A輪募資，金額達新台幣8億元，"
                  "由紅杉中國領投，輝達（NVIDIA）亦以策略投資人身分入股。", lang="zh-Hant")
    assert _names(reg, ex, "round_amount") == {"星嵐動力"}
    assert name_of(reg, ex, ex.focal_id) == "星嵐動力"  # not the investor named in brackets
    ex = run(reg, "本地初创澄川机器人昨日宣布完成天使轮融资，融资金额5000万元。", lang="zh")
    assert _names(reg, ex, "round_amount") == {"澄川机器人"}


def test_a_reporters_byline_is_not_a_relayed_report(reg):
    ex = run(reg, "〔記者陳大文／台中報導〕新創公司峰頂科技今日宣布完成新台幣3億元A輪募資。",
             lang="zh-Hant")
    c = one(ex, "round_amount")
    assert c.certainty == "confirmed" and name_of(reg, ex, c.subject_id) == "峰頂科技"


def test_a_legal_name_with_a_short_gloss_is_one_investor(reg):
    ex = run(reg, "深度求索宣布完成新一轮融资。本轮由红杉中国领投，上海浦江科创投资发展有限公司"
                  "（浦江科创）、高瓴跟投。", lang="zh")
    inv = investors(reg, ex)
    assert {s for s, _ in inv} == {"DeepSeek"}
    assert inv[("DeepSeek", "Hillhouse Investment")] == "participant"


def test_a_date_is_no_name_and_a_pronoun_takes_the_previous_company(reg):
    ex = run(reg, "智谱发布了新模型。\n\n零一万物成立于2023年。公司2024年完成的A轮融资金额为6亿元，"
                  "由红杉中国领投。", lang="zh")
    assert _names(reg, ex, "round_amount") == {"01.AI"}
    assert ("01.AI", "HongShan") in investors(reg, ex)
    ex = run(reg, "Mistral AI is raising €2 billion.\n\n- Cohere's numbers come from the company. "
                  "Its first round in 2022 raised $40M at a $200M valuation, led by Index "
                  "Ventures.")
    vals = {c.value_text: name_of(reg, ex, c.subject_id) for c in ex.claims
            if c.predicate in ("valuation", "round_amount")}
    assert vals["$40M"] == "Cohere" and vals["$200M"] == "Cohere"


def test_cash_spending_totals_thresholds_and_plans_are_not_rounds(reg):
    ex = run(reg, "百川智能正在进行新一轮融资。创始人表示，公司账上现金超过50亿元。"
                  "有机构估算，其今年的算力开支可能超过20亿元。本月披露的融资合计约80亿元，"
                  "其中单笔超过5亿元的交易共3笔。国投基金计划未来三年投资约300亿元于硬科技。",
             lang="zh")
    assert money(reg, ex) == []


def test_a_listed_company_putting_in_its_own_funds(reg):
    ex = run(reg, "宇树科技宣布完成C轮融资。同日，创业板上市公司星河电子发布公告称，"
                  "公司拟以自有资金"
                  "8000万元参与宇树科技本轮增资。", lang="zh")
    c = one(ex, "investment_amount")
    assert name_of(reg, ex, c.object_id) == "星河电子" and c.subject_id == "unitree"
    assert c.attributed_to == c.object_id


def test_a_fund_in_talks_to_join_with_a_sum(reg):
    ex = run(reg, "智谱正在进行新一轮融资。淡马锡正在与公司商谈参与本轮融资，"
                  "有望出资1亿至2亿美元。",
             lang="zh")
    c = one(ex, "investment_amount")
    assert c.object_id == "temasek" and c.subject_id == "zhipu-ai"
    assert investors(reg, ex)[("Zhipu AI", "Temasek")] == "in_talks"


def test_proposed_interested_and_joint_leads(reg):
    ex = run(reg, "据界面报道，智谱正在洽谈新一轮融资，百度拟领投，小米也有意入股。"
                  "其中，百度计划出资"
                  "不低于20亿元。", lang="zh")
    inv = investors(reg, ex)
    assert inv[("Zhipu AI", "Baidu")] == "in_talks"
    assert inv[("Zhipu AI", "Xiaomi")] == "considering"
    ex = run(reg, "宇树科技宣布完成新一轮融资，由美团与杭州市未来产业投资基金联合领投，"
                  "此前一轮由小米旗下的顺为资本领投。", lang="zh")
    inv = investors(reg, ex)
    assert inv[("Unitree", "Meituan")] == "lead"
    assert inv[("Unitree", "杭州市未来产业投资基金")] == "lead"
    assert ("Unitree", "Shunwei Capital") in inv and ("Unitree", "Xiaomi") not in inv


def test_english_investor_wordings(reg):
    ex = run(reg, "Cohere closed a $500M Series D. Index Ventures led; Accel and Coatue came in as "
                  "new investors, and General Catalyst and Tiger Global returned.")
    inv = investors(reg, ex)
    assert inv[("Cohere", "Accel")] == "participant" and inv[("Cohere", "Coatue")] == "participant"
    assert {s for s, _ in inv} == {"Cohere"}
    ex = run(reg, "Liquid AI raised $250M at a $2B valuation. Khosla Ventures led, with Greenoaks "
                  "and Mubadala among the participants.")
    assert investors(reg, ex)[("Liquid AI", "Mubadala")] == "participant"
    ex = run(reg, "Magic AI has so far been funded entirely by Tiger Global and its founder Eric "
                  "Steinberger.")
    assert investors(reg, ex)[("Magic AI", "Tiger Global")] == "existing"
    ex = run(reg, "Groq is in talks to raise $1B, people familiar said, with Mubadala expected to "
                  "lead. GIC is participating, as is the Bezos family office.")
    inv = investors(reg, ex)
    assert inv[("Groq", "Mubadala")] == "lead"
    assert inv[("Groq", "Bezos Expeditions")] == "participant"
    ex = run(reg, "Groq is raising $1B. Tiger Global, which backed Groq's last round and has "
                  "already invested more than $400 million in the company, will join again.")
    c = one(ex, "investment_amount")
    assert c.object_id == "tiger-global" and c.value_text == "more than $400 million"


def test_a_markdown_table_reads_every_mapped_column(reg):
    ex = run(reg, "Deals this month.\n\n| Company | Stage | Raised | Post-money valuation | Lead |"
                  " Revenue |\n|---|---|---|---|---|---|\n| Cohere | Series E | $600M | $7B | "
                  "Index Ventures, Northwind Partners | $90M |\n| Groq | Series D | $750M | "
                  "$6.9B | "
                  "n/a | n/a |\n")
    got = {(c.predicate, name_of(reg, ex, c.subject_id), c.value_text) for c in ex.claims
           if c.predicate in ("valuation", "round_amount")}
    assert got == {("round_amount", "Cohere", "$600M"), ("valuation", "Cohere", "$7B"),
                   ("round_amount", "Groq", "$750M"), ("valuation", "Groq", "$6.9B")}
    inv = investors(reg, ex)
    assert inv == {("Cohere", "Index Ventures"): "lead", ("Cohere", "Northwind Partners"): "lead"}


def test_an_outlet_noun_with_an_adjective_is_the_last_outlet_named(reg):
    ex = run(reg, "MiniMax is in talks to raise at a $4 billion valuation, Reuters reported. "
                  "Caixin later added detail on the plan. MiniMax aims to raise 20 billion yuan, "
                  "the Chinese publication said.")
    assert one(ex, "round_amount").attributed_to == "caixin"


# --- quality3: outlets relaying unnamed people, line-end credits, caps headlines ---------------
def test_an_outlet_whose_unnamed_sources_told_it_gets_the_credit(reg):
    ex = run(reg, "Zhipu AI is weighing new money.\n\n"
                  "09:10 — The Information has a higher figure: people briefed on the plan told it "
                  "the round could value Zhipu AI at $9 billion.\n\n"
                  "10:20 — Caixin, citing three people close to the deal, says the round would "
                  "raise $700 million.\n\n"
                  "11:30 — Reuters now reports that the round could value Zhipu AI at up to "
                  "$12 billion.\n")
    assert one(ex, "valuation", "$9 billion").attributed_to == "the-information"
    assert one(ex, "round_amount").attributed_to == "caixin"
    assert one(ex, "valuation", "up to $12 billion").attributed_to == "reuters"


def test_a_credit_closing_a_caps_headline_line(reg):
    ex = run(reg, "07:15 *ZHIPU AI SEEKS 8 BILLION YUAN AT 90 BILLION YUAN VALUATION: CAIXIN\n"
                  "07:40 *ZHIPU AI EARLIER WEIGHED $2 BILLION VALUATION, $150 MILLION RAISE — "
                  "Reuters\n")
    assert one(ex, "round_amount", "8 BILLION YUAN").attributed_to == "caixin"
    assert one(ex, "valuation", "90 BILLION YUAN").currency == "CNY"
    assert one(ex, "valuation", "$2 BILLION").attributed_to == "reuters"
    assert one(ex, "round_amount", "$150 MILLION").attributed_to == "reuters"


def test_tupo_breaking_through_is_a_lower_bound(reg):
    c = one(run(reg, "据悉，智谱本轮的目标估值或将突破80亿美元。", "zh"), "valuation")
    assert c.amount_low == 8e9 and c.amount_high is None


def test_a_correction_retracts_what_an_earlier_version_said(reg):
    ex = run(reg, "Zhipu AI raised $500 million in a round led by Tencent.\n\n"
                  "Correction: An earlier version of this article said Accel led the round; the "
                  "round was led by Tencent. A previous version also wrongly stated that Sequoia "
                  "Capital took part.")
    inv = investors(reg, ex)
    assert inv[("Zhipu AI", "Tencent")] == "lead"
    assert ("Zhipu AI", "Accel") not in inv
    assert ("Zhipu AI", "Sequoia Capital") not in inv


def test_a_titled_executive_speaks_for_the_company_but_not_another_firms(reg):
    body = ("Larchmont Analytics has raised $90 million at a $700 million valuation, chief "
            "financial officer Ines Varga said on Monday.\n\n"
            "Existing investor Accel also added to its stake; Varga said Accel put in $15 "
            "million.")
    ex = extract(replace(_article(body), title="Larchmont Analytics raises $90 million"), reg)
    focal = ex.focal_id
    assert name_of(reg, ex, focal) == "Larchmont Analytics"
    assert one(ex, "valuation").attributed_to == focal
    accel = [c for c in ex.claims if c.predicate == "investment_amount"
             and c.value_text == "$15 million"]
    assert accel and accel[0].attributed_to == focal  # 'added to its stake' is not speech
    other = extract(replace(_article(
        "Larchmont Analytics is raising new money. Nvidia CEO Jensen Huang said Larchmont "
        "Analytics was valued at $700 million."), title="Larchmont Analytics funding"), reg)
    assert one(other, "valuation").attributed_to != other.focal_id


def test_the_parties_a_company_is_in_talks_with_are_investors_not_subjects(reg):
    for body, lang in (
        ("據彭博報道，智譜（Zhipu）正與騰訊及阿里巴巴洽談新一輪融資，估值逾300億元。", "zh-Hant"),
        ("据彭博报道，智谱正与腾讯和阿里巴巴洽谈新一轮融资，估值逾300亿元。", "zh"),
    ):
        ex = run(reg, body, lang)
        inv = investors(reg, ex)
        assert inv[("Zhipu AI", "Tencent")] == "in_talks"
        assert inv[("Zhipu AI", "Alibaba")] == "in_talks"
        assert name_of(reg, ex, one(ex, "valuation").subject_id) == "Zhipu AI"


def test_a_run_in_paragraph_heading_names_an_unknown_company(reg):
    ex = run(reg, "Dear partners,\n\nThe quarter was busy.\n\n"
                  "Ostrava Materials. In March we joined Ostrava's $40 million Series A. The round "
                  "values Ostrava at $210 million post-money.\n\n"
                  "Black Forest Labs. We took a small allocation in a round that valued the "
                  "company at $3.25 billion.\n\n"
                  "Write-downs. We marked one holding down by 40%.")
    got = {(p, s, v) for p, s, v, _ in money(reg, ex)}
    assert ("round_amount", "Ostrava Materials", "$40 million") in got
    assert ("valuation", "Ostrava Materials", "$210 million") in got
    assert ("valuation", "Black Forest Labs", "$3.25 billion") in got
    assert "Write-downs" not in {d.name for d in ex.discovered}


def test_a_price_list_gives_each_company_its_own_valuation(reg):
    ex = run(reg, "Further down the table the numbers shrink in a round-by-round way: Cohere at "
                  "$6.8 billion, Vantorra at $2.4 billion, Mistral AI at €11.7 billion and "
                  "Quillbright at $900 million.")
    got = {(p, s, v) for p, s, v, _ in money(reg, ex)}
    assert got == {("valuation", "Cohere", "$6.8 billion"),
                   ("valuation", "Vantorra", "$2.4 billion"),
                   ("valuation", "Mistral AI", "€11.7 billion"),
                   ("valuation", "Quillbright", "$900 million")}


def test_a_second_pledge_clause_is_its_own_investors_sum(reg):
    ex = run(reg, "此外，腾讯与阿里巴巴去年已宣布入股智谱，其中腾讯承诺投资最多5亿美元，"
                  "阿里巴巴则承诺最多10亿美元。", "zh")
    got = {(c.value_text, name_of(reg, ex, c.object_id)) for c in ex.claims
           if c.predicate == "investment_amount"}
    assert got == {("最多5亿美元", "Tencent"), ("最多10亿美元", "Alibaba")}


def test_the_company_said_speaks_for_the_paragraphs_company_only(reg):
    body = ("Singapore. Fjordline AI closed a S$30 million round led by Temasek. It is valued at "
            "S$150 million.\n\n"
            "Seoul. Corvina Systems, the Korean model developer, closed a 900 billion won round "
            "on Thursday. Samsung led, and Naver took part. The company said the deal values it "
            "at ₩4 trillion.\n\n"
            "Singapore again. Fjordline AI said it will hire 50 engineers. GIC also joined "
            "Fjordline AI's round.\n")
    ex = extract(replace(_article(body), title="Fjordline AI raises S$30 million"), reg)
    assert name_of(reg, ex, ex.focal_id) == "Fjordline AI"
    val = one(ex, "valuation", "₩4 trillion")
    assert name_of(reg, ex, val.attributed_to) == "Corvina Systems"
    gic = [c for c in ex.claims if c.predicate == "investor" and name_of(reg, ex, c.object_id)
           == "GIC"]
    assert gic and gic[0].attributed_to != val.attributed_to


def test_both_in_talks_with_a_long_investee_name_relayed_by_the_outlet(reg):
    ex = run(reg, "据晚点LatePost报道，Mistral AI正在推进新一轮融资，计划募资50亿元人民币。\n\n"
                  "报道援引知情人士称，小米和美团均在与Mistral AI洽谈投资事宜。", "zh")
    assert investors(reg, ex) == {("Mistral AI", "Xiaomi"): "in_talks",
                                  ("Mistral AI", "Meituan"): "in_talks"}
    assert {name_of(reg, ex, c.attributed_to) for c in ex.claims
            if c.predicate == "investor"} == {"LatePost"}


def test_already_a_named_shareholder_and_regional_variant_aliases(reg):
    ex = run(reg, "Mistral AI raised €500 million led by General Catalyst. Samsung is already "
                  "a Mistral AI shareholder through an earlier deal.")
    assert investors(reg, ex)[("Mistral AI", "Samsung")] == "existing"
    ex = run(reg, "月之暗面完成新一轮融资，老股東啟明創投追加投資。", "zh")
    assert ("Moonshot AI", "Qiming Venture Partners") in investors(reg, ex)


def test_a_descriptive_company_phrase_speaks_for_the_company(reg):
    ex = run(reg, "Mistral AI closed a €600 million round at a €6 billion valuation, the "
                  "French model maker company confirmed.")
    assert name_of(reg, ex, one(ex, "valuation").attributed_to) == "Mistral AI"
