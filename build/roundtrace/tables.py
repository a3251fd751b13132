"""Assemble: turn per-article extractions into the rows of every resource — entities with
counts, articles with their independence group, claims with their rounds, the synthesized
rounds, investors, conflicts and term history, the reference facts and the vocabulary."""

from __future__ import annotations

from . import schema
from .curation import CuratedRound, ReferenceFact
from .extract import Citation, Claim, Extraction
from .ingest import Article
from .registry import Registry
from .synthesize import ArticleInfo, independence_key, synthesize


def assemble(
    articles: list[Article],
    extractions: list[Extraction],
    registry: Registry,
    curated_rounds: list[CuratedRound] | None = None,
    reference_facts: list[ReferenceFact] | None = None,
) -> dict[str, list[dict]]:
    """Rows for every resource, from per-article extractions. Reference facts default to the
    ones loaded beside the curated rounds (`load_rounds` reads reference_facts.yml too)."""
    if reference_facts is None:
        reference_facts = getattr(curated_rounds, "reference_facts", None) or []
    entities = {e.entity_id: e for e in registry.entities.values()}
    for ex in extractions:
        for e in ex.discovered:
            entities.setdefault(e.entity_id, e)
    publications = {k for k, e in entities.items() if e.type == "publication"}
    alias_of_publisher = {}
    for e in entities.values():
        if e.type == "publication":
            for n in (e.name, *e.aliases):
                alias_of_publisher.setdefault(n.lower(), e.entity_id)
    claims: list[Claim] = [c for ex in extractions for c in ex.claims]
    citations: list[Citation] = [c for ex in extractions for c in ex.citations]
    cites_by_source: dict[str, list[Citation]] = {}
    for c in citations:
        cites_by_source.setdefault(c.source_id, []).append(c)
    independence = {
        a.source_id: independence_key(
            a.source_id,
            cites_by_source.get(a.source_id, []),
            publications,
            alias_of_publisher.get((a.publisher or "").lower()),
        )
        for a in articles
    }
    infos = [
        ArticleInfo(a.source_id, a.publisher or a.host, a.published, a.title) for a in articles
    ]
    syn = synthesize(
        infos, claims, independence, entities, list(curated_rounds or []), reference_facts
    )

    mention_rows = [vars(m) for ex in extractions for m in ex.mentions]
    mention_count: dict[str, int] = {}
    article_sets: dict[str, set[str]] = {}
    for m in mention_rows:
        mention_count[m["entity_id"]] = mention_count.get(m["entity_id"], 0) + 1
        article_sets.setdefault(m["entity_id"], set()).add(m["source_id"])
    claim_count: dict[str, int] = {}
    for c in claims:
        claim_count[c.source_id] = claim_count.get(c.source_id, 0) + 1
    return {
        "sources": [
            _source_row(
                a, claim_count.get(a.source_id, 0), alias_of_publisher, independence[a.source_id]
            )
            for a in articles
        ],
        "entities": [
            {
                "entity_id": e.entity_id,
                "name": e.name,
                "type": e.type,
                "aliases": e.aliases,
                "country": e.country,
                "description": e.description,
                "curated": e.curated,
                "mention_count": mention_count.get(e.entity_id, 0),
                "article_count": len(article_sets.get(e.entity_id, ())),
            }
            for e in entities.values()
        ],
        "mentions": mention_rows,
        "citations": [vars(c) for c in citations],
        "claims": [vars(c) for c in claims],
        "reference_facts": syn.reference_facts,
        "rounds": syn.rounds,
        "round_investors": syn.round_investors,
        "conflicts": syn.conflicts,
        "conflict_claims": syn.conflict_claims,
        "term_history": syn.term_history,
        "vocabulary": schema.vocabulary_rows(),
    }


def _source_row(
    a: Article, claim_count: int, publishers: dict[str, str], independence_group: str
) -> dict:
    who = a.publisher or a.host
    what = a.title or _opening(a.body)
    return {
        "source_id": a.source_id,
        "label": f"{who}: {what}",
        "file": a.file,
        "url": a.url,
        "host": a.host,
        "publisher": a.publisher,
        "publisher_id": publishers.get((a.publisher or "").lower()),
        "published": a.published,
        "language": a.language,
        "title": a.title,
        "retrieved": a.retrieved,
        "notes": a.notes,
        "body_sha256": a.body_sha256,
        "char_count": len(a.body),
        "claim_count": claim_count,
        "independence_group": independence_group,
        "text": a.body,
    }


def _opening(body: str, limit: int = 60) -> str:
    first = " ".join(body.split())[: limit + 1]
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"
