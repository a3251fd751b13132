"""Assemble: turn per-article extractions into the rows of every resource — entities with
counts, articles with their independence group, claims with their rounds, the synthesized
rounds, investors, conflicts and term history, the reference facts and the vocabulary.

`Assembler` takes one article at a time and keeps only what synthesis and the counts need
(compact `SynClaim` records, publisher names, the citations that decide independence); every
row goes to a sink as soon as it is known. `assemble` is the all-in-memory form (sinks are
lists); the build passes on-disk sorted spills (`package.SpillTable`), so its memory does not
grow with article text, evidence or the synthesized tables. Columns known only at the end (a
claim's `round_id`, an article's `publisher_id` and `independence_group`) are filled in then.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from functools import cache
from operator import attrgetter
from typing import Any

from . import schema
from .curation import CuratedRound, ReferenceFact, round_labels
from .extract import Extraction
from .ingest import Article
from .package import RowRenderer
from .registry import Entity, Registry
from .synthesize import ArticleInfo, SynClaim, Synthesis, independence_key, synthesize

Sink = Callable[[str], Any]  # table name -> an object with append/extend (a list by default)
# Columns `Assembler.finish` fills in once every article is read (a sink that renders rows as
# they arrive must leave these out until then).
LATE_COLUMNS = {"claims": ("round_id",), "sources": ("publisher_id", "independence_group")}


@dataclass(slots=True)
class _Cite:
    """What independence needs of a citation."""

    party_id: str
    cue: str
    evidence_start: int


_SYN_FIELDS = attrgetter(*(f.name for f in fields(SynClaim)))


@dataclass
class AssemblyPart:
    """What an Assembler gathered from a run of articles (`Assembler.take_part`), for the
    build's Assembler to `merge`: extraction workers assemble the articles they read, and the
    build merges their parts in file order — the same state as adding every article there."""

    discovered: list[Entity]  # first occurrences in the run, in order
    infos: list[ArticleInfo]
    publisher: dict[str, str | None]
    cites: dict[str, list[_Cite]]
    claims: list[tuple]  # SynClaim field values (cheaper to pickle than the objects)
    mention_count: Counter[str]
    article_count: Counter[str]
    spilled: dict[str, tuple[list, int]]  # table → its sink's `spill()`


class Assembler:
    def __init__(
        self,
        registry: Registry,
        curated_rounds: list[CuratedRound] | None = None,
        reference_facts: list[ReferenceFact] | None = None,
        sink: Sink | None = None,
    ):
        """Reference facts default to the ones loaded beside the curated rounds
        (`load_rounds` reads reference_facts.yml too)."""
        if reference_facts is None:
            reference_facts = getattr(curated_rounds, "reference_facts", None) or []
        self.curated = list(curated_rounds or [])
        self.facts = reference_facts
        self.sink: Sink = sink or (lambda name: [])
        self.sources = self.sink("sources")
        self.mentions = self.sink("mentions")
        self.citations = self.sink("citations")
        self.claims = self.sink("claims")
        self.entities = {e.entity_id: e for e in registry.entities.values()}
        self.infos: list[ArticleInfo] = []
        self.publisher: dict[str, str | None] = {}
        self.cites: dict[str, list[_Cite]] = {}
        self.syn_claims: list[SynClaim] = []
        self.mention_count: Counter[str] = Counter()
        self.article_count: Counter[str] = Counter()
        self._found: dict[str, Entity] = {}  # discovered since the last `take_part`

    def add(self, a: Article, ex: Extraction, rendered: dict[str, list] | None = None) -> None:
        """`rendered`: the article's rows as `render_article` gives them (rendered by an
        extraction worker and cached with the extraction); used when the sinks take rendered
        rows, so the build does not render the same rows again."""
        sid = a.source_id
        for e in ex.discovered:
            self.entities.setdefault(e.entity_id, e)
            self._found.setdefault(e.entity_id, e)
        self.publisher[sid] = a.publisher
        self.infos.append(ArticleInfo(sid, a.publisher or a.host, a.published, a.title))
        sinks = {name: getattr(self, name) for name in ARTICLE_TABLES}
        if rendered is not None and all(hasattr(t, "add_rendered") for t in sinks.values()):
            for name, sink in sinks.items():
                add = sink.add_rendered
                for key, item, size in rendered[name]:
                    add(key, item, size)
        else:
            for name, row in article_rows(a, ex):
                sinks[name].append(row)
        in_article: set[str] = set()
        for m in ex.mentions:
            self.mention_count[m.entity_id] += 1
            if m.entity_id not in in_article:
                in_article.add(m.entity_id)
                self.article_count[m.entity_id] += 1
        for c in ex.citations:
            self.cites.setdefault(c.source_id, []).append(
                _Cite(c.party_id, c.cue, c.evidence_start)
            )
        labels: dict[str, tuple[str, ...]] = {}
        for c in ex.claims:
            if c.evidence not in labels:
                labels[c.evidence] = tuple(round_labels(c.evidence))
            self.syn_claims.append(SynClaim.of(c, labels[c.evidence]))

    def take_part(self) -> AssemblyPart:
        """What was added since the last call, taken out of this Assembler (its sinks must
        `spill`, as `package.SpillTable` does)."""
        part = AssemblyPart(
            list(self._found.values()), self.infos, self.publisher, self.cites,
            list(map(_SYN_FIELDS, self.syn_claims)), self.mention_count, self.article_count,
            {name: getattr(self, name).spill() for name in ARTICLE_TABLES},
        )
        self._found, self.infos, self.publisher, self.cites = {}, [], {}, {}
        self.syn_claims, self.mention_count, self.article_count = [], Counter(), Counter()
        return part

    def merge(self, part: AssemblyPart) -> None:
        """Adds another Assembler's part, as if its articles were added here."""
        for e in part.discovered:
            self.entities.setdefault(e.entity_id, e)
        self.infos.extend(part.infos)
        self.publisher.update(part.publisher)
        for sid, cites in part.cites.items():
            self.cites.setdefault(sid, []).extend(cites)
        self.syn_claims.extend(SynClaim(*values) for values in part.claims)
        self.mention_count.update(part.mention_count)
        self.article_count.update(part.article_count)
        for name, (runs, count) in part.spilled.items():
            getattr(self, name).adopt(runs, count)

    def finish(self) -> dict[str, Any]:
        """Rows (sinks) of every resource, in package order."""
        entities = self.entities
        publications = {k for k, e in entities.items() if e.type == "publication"}
        alias_of_publisher: dict[str, str] = {}
        for e in entities.values():
            if e.type == "publication":
                for n in (e.name, *e.aliases):
                    alias_of_publisher.setdefault(n.lower(), e.entity_id)
        # kept for the incremental build (`delta`), which reuses them for changed articles
        self.publications = frozenset(publications)
        self.alias_of_publisher = alias_of_publisher
        independence = {
            a.source_id: independence_key(
                a.source_id,
                self.cites.get(a.source_id, []),  # type: ignore[arg-type]
                publications,
                alias_of_publisher.get((self.publisher[a.source_id] or "").lower()),
            )
            for a in self.infos
        }
        self.cites = {}
        new = self.sink
        syn = Synthesis(
            new("rounds"),
            new("round_investors"),
            new("conflicts"),
            new("conflict_claims"),
            new("term_history"),
            new("reference_facts"),
        )
        claims, self.syn_claims = self.syn_claims, []
        round_of = _synthesize(self.infos, claims, independence, entities, self.curated,
                               self.facts, syn, self.sink)
        del claims
        publisher = self.publisher
        _fill(self.claims, "round_id", "claim_id", round_of.get)
        _fill(
            self.sources,
            "publisher_id",
            "source_id",
            lambda sid: alias_of_publisher.get((publisher[sid] or "").lower()),
        )
        _fill(self.sources, "independence_group", "source_id", independence.__getitem__)
        return {
            "sources": self.sources,
            "entities": [
                {
                    "entity_id": e.entity_id,
                    "name": e.name,
                    "type": e.type,
                    "aliases": e.aliases,
                    "country": e.country,
                    "description": e.description,
                    "curated": e.curated,
                    "mention_count": self.mention_count.get(e.entity_id, 0),
                    "article_count": self.article_count.get(e.entity_id, 0),
                }
                for e in entities.values()
            ],
            "mentions": self.mentions,
            "citations": self.citations,
            "claims": self.claims,
            "reference_facts": syn.reference_facts,
            "rounds": syn.rounds,
            "round_investors": syn.round_investors,
            "conflicts": syn.conflicts,
            "conflict_claims": syn.conflict_claims,
            "term_history": syn.term_history,
            "vocabulary": schema.vocabulary_rows(),
        }


# From this many claims on, synthesis runs in two processes, each for half of the companies.
SPLIT_CLAIMS = 200_000
SYNTHESIZED = ("rounds", "round_investors", "conflicts", "conflict_claims", "term_history")


def _synthesize(infos, claims, independence, entities, curated, facts, syn: Synthesis,
                sink: Sink) -> dict[str, str]:
    """`synthesize`, split over two processes for big builds: a forked child synthesizes the
    companies of one half (and the single-claim conflicts of claims about them) into its own
    spilled runs, which the sinks here then adopt. Companies whose ids could compete for a
    round id ("acme", "acme-labs") stay in one half, so the result is the same rows. Returns
    claim id → round id."""
    tables = [getattr(syn, n) for n in SYNTHESIZED]
    if len(claims) < SPLIT_CLAIMS or not all(hasattr(t, "adopt") for t in tables):
        synthesize(infos, claims, independence, entities, curated, facts, syn)
        return {c.claim_id: c.round_id for c in claims if c.round_id}
    import zlib

    from . import forked, fx

    fx._get_converter()  # load the rates once, before forking
    root = _roots({c.subject_id for c in claims})
    half = {s for s, r in root.items() if zlib.crc32(r.encode()) & 1}

    def child() -> tuple[list, dict[str, str]]:
        mine = Synthesis(*(sink(n) for n in SYNTHESIZED), [])
        synthesize(infos, claims, independence, entities, curated, facts, mine,
                   companies=half, scope=[c for c in claims if c.subject_id in half])
        spilled = [getattr(mine, n).spill() for n in SYNTHESIZED]
        return spilled, {c.claim_id: c.round_id for c in claims
                         if c.round_id and c.subject_id in half}

    wait = forked.start(child, "synthesis")
    rest = set(root) - half
    synthesize(infos, claims, independence, entities, curated, facts, syn, companies=rest,
               scope=[c for c in claims if c.subject_id in rest])
    spilled, theirs = wait()
    for table, (runs, count) in zip(tables, spilled, strict=True):
        table.adopt(runs, count)
    round_of = {c.claim_id: c.round_id for c in claims if c.round_id}
    round_of.update(theirs)
    return round_of


def _roots(ids: set[str]) -> dict[str, str]:
    """Each id → the shortest id it extends by "-…" (itself if none): ids that could build the
    same round id share a root."""
    out: dict[str, str] = {}
    chain: list[str] = []
    for i in sorted(ids):
        while chain and not i.startswith(chain[-1] + "-"):
            chain.pop()
        out[i] = chain[0] if chain else i
        chain.append(i)
    return out


def assemble(
    articles: list[Article],
    extractions: list[Extraction],
    registry: Registry,
    curated_rounds: list[CuratedRound] | None = None,
    reference_facts: list[ReferenceFact] | None = None,
) -> dict[str, list[dict]]:
    """Rows for every resource, from per-article extractions, all in memory."""
    asm = Assembler(registry, curated_rounds, reference_facts)
    for a, ex in zip(articles, extractions, strict=True):
        asm.add(a, ex)
    return asm.finish()


# The tables whose rows come from one article alone, in the order `article_rows` gives them.
ARTICLE_TABLES = ("sources", "mentions", "citations", "claims")


def article_rows(a: Article, ex: Extraction) -> Iterator[tuple[str, dict]]:
    """(table, row) of every row one article contributes on its own."""
    yield "sources", _source_row(a, sum(1 for c in ex.claims if c.source_id == a.source_id))
    for name, items in (("mentions", ex.mentions), ("citations", ex.citations),
                        ("claims", ex.claims)):
        for item in items:
            yield name, vars(item)


@cache
def _renderers() -> dict[str, RowRenderer]:
    return {name: RowRenderer(name, LATE_COLUMNS.get(name, ())) for name in ARTICLE_TABLES}


def render_article(a: Article, ex: Extraction) -> dict[str, list[tuple[tuple, object, int]]]:
    """The article's rows rendered as the build's spilled tables keep them (see
    `package.RowRenderer`): done in the extraction workers, in parallel, and cached."""
    renderers = _renderers()
    out: dict[str, list] = {"sources": [renderers["sources"].row(_source_row(
        a, sum(1 for c in ex.claims if c.source_id == a.source_id)))]}
    for name, items in (("mentions", ex.mentions), ("citations", ex.citations),
                        ("claims", ex.claims)):
        values = renderers[name].values
        kinds = {type(item) for item in items}
        if len(kinds) == 1:  # (the same cells as renderers[name].row(vars(item)))
            cells = _cells(name, kinds.pop())
            out[name] = [values(cells(item)) for item in items]
        else:
            out[name] = [values(_cells(name, type(item))(item)) for item in items]
    return out


@cache
def _cells(name: str, cls: type) -> Callable[[object], tuple]:
    """An item's values in its table's column order (None for a column it lacks)."""
    names = _renderers()[name].names
    fields = set(getattr(cls, "__dataclass_fields__", ()))
    if len(names) > 1 and all(n in fields for n in names):
        return attrgetter(*names)
    return lambda item: tuple(vars(item).get(n) for n in names)


def _fill(rows: Any, column: str, key: str, value_of: Callable[[str], object]) -> None:
    """Set `column` of every row from its (single-column) primary key `key`."""
    if isinstance(rows, list):
        for row in rows:
            row[column] = value_of(row[key])
    else:
        rows.fill(column, lambda k: value_of(k[0]))


def _source_row(a: Article, claim_count: int) -> dict:
    who = a.publisher or a.host
    what = a.title or _opening(a.body)
    return {
        "source_id": a.source_id,
        "label": f"{who}: {what}",
        "file": a.file,
        "url": a.url,
        "host": a.host,
        "publisher": a.publisher,
        "publisher_id": None,  # filled in by Assembler.finish
        "published": a.published,
        "language": a.language,
        "title": a.title,
        "retrieved": a.retrieved,
        "notes": a.notes,
        "body_sha256": a.body_sha256,
        "char_count": len(a.body),
        "claim_count": claim_count,
        "independence_group": None,  # filled in by Assembler.finish
        "text": a.body,
    }


def _opening(body: str, limit: int = 60) -> str:
    first = " ".join(body.split())[: limit + 1]
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"
