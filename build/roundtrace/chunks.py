"""Chunked CSVs and zip: the package's big CSVs are cut into chunks at rows chosen by their key
alone, and the zip compresses each chunk on its own, so an incremental build rewrites and
recompresses only the chunks whose rows changed and copies every other chunk's bytes.

The rule: a chunk starts at a table's first row, and at any row whose first primary-key value
differs from the previous row's and hashes to 0 modulo `SPREAD` (about one row in a thousand).
The cut points depend on the keys present, not on row positions, so inserting or deleting a row
leaves every other cut where it was, and a clean build makes the same chunks as an incremental
one. Chunks are deflated independently and joined with sync flushes (as pigz does): the member
is one valid deflate stream, and a chunk's compressed bytes are the same wherever it sits.
"""

from __future__ import annotations

import bisect
import csv
import io
import os
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SPREAD = 1024
# zlib level of the download zip: on the 100k-article package, level 6 took 21 s of CPU for a
# 231 MB zip, level 4 11 s for 246 MB (level 1: 8 s, 284 MB)
LEVEL = 4
ZIP_LIMIT = 0xFFFFFFFF  # beyond this the zip needs ZIP64: `write_zip` leaves it to zipfile


def is_cut(first: str) -> bool:
    return zlib.crc32(first.encode("utf-8")) % SPREAD == 0


@dataclass(slots=True)
class Chunk:
    first: str  # first primary-key value of the chunk's first row
    start: int  # byte offset in the CSV
    length: int
    comp: tuple[int, int] | None = None  # (offset, length) of its deflated bytes in the zip


@dataclass
class Layout:
    """Where a CSV's header and chunks are; `whole` marks a table kept as one chunk."""

    header: int  # bytes of the header line
    chunks: list[Chunk] = field(default_factory=list)
    header_comp: tuple[int, int] | None = None
    whole: bool = False
    crc: int = 0
    comp_size: int = 0
    size: int = 0


class ChunkedWriter:
    """Writes CSV lines (already rendered, in key order) and records the chunk layout."""

    def __init__(self, path: Path, header: str):
        self._fh = open(path, "wb")  # noqa: SIM115 - closed by close()
        data = header.encode("utf-8")
        self._fh.write(data)
        self.pos = len(data)
        self.layout = Layout(len(data))
        self._prev: str | None = None

    def write(self, first: str, line: str) -> None:
        data = line.encode("utf-8")
        if self._prev is None or (first != self._prev and is_cut(first)):
            self.layout.chunks.append(Chunk(first, self.pos, 0))
        self._prev = first
        self.layout.chunks[-1].length += len(data)
        self._fh.write(data)
        self.pos += len(data)

    def close(self) -> Layout:
        self._fh.close()
        self.layout.size = self.pos
        return self.layout


def whole_layout(path: Path) -> Layout:
    """A small table kept as one chunk (header line apart)."""
    with open(path, "rb") as fh:
        header = len(fh.readline())
        size = fh.seek(0, os.SEEK_END)
    chunks = [Chunk("", header, size - header)] if size > header else []
    return Layout(header, chunks, whole=True, size=size)


def scan_layout(path: Path) -> Layout:
    """The layout of an existing CSV, cut by the rule (what `ChunkedWriter` records while it
    writes): for a package written without one."""
    data = path.read_bytes()
    header = data.index(b"\n") + 1
    out = Layout(header, size=len(data))
    prev = None
    pos = header
    for rec in records(data[header:]):
        first = record_key(rec, 1)[0]
        if prev is None or (first != prev and is_cut(first)):
            out.chunks.append(Chunk(first, pos, 0))
        prev = first
        out.chunks[-1].length += len(rec)
        pos += len(rec)
    return out


# ---------------------------------------------------------------------------------------------
# records inside a chunk
def records(data: bytes) -> Iterator[bytes]:
    """CSV records of `data` (complete lines; a quoted field may span lines)."""
    start = 0
    quotes = 0
    n = len(data)
    while start < n:
        end = data.index(b"\n", start)
        quotes += data.count(b'"', start, end)
        # a line break inside quotes: the record goes on
        pos = end
        while quotes % 2:
            nxt = data.index(b"\n", pos + 1)
            quotes += data.count(b'"', pos + 1, nxt)
            pos = nxt
        yield data[start : pos + 1]
        start = pos + 1
        quotes = 0


def record_key(record: bytes, width: int) -> tuple[str, ...]:
    row = next(csv.reader(io.StringIO(record.decode("utf-8"))))
    return tuple(row[:width])


# ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Piece:
    """One chunk of a new CSV: copied from the old file (`old` = its chunk there) or new bytes."""

    first: str
    length: int
    old: Chunk | None = None
    data: bytes | None = None


def splice(
    old_path: Path,
    layout: Layout,
    width: int,
    changes: dict[tuple[str, ...], str | None],
) -> list[Piece]:
    """The chunks of the CSV after `changes` (key → new line, or None to delete the row): chunks
    no change falls in are kept as they are; the others are re-read, changed and re-cut."""
    chunks = layout.chunks
    firsts = [c.first for c in chunks]
    touched: set[int] = set()

    def owner(first: str) -> int:
        return max(0, bisect.bisect_right(firsts, first) - 1)

    for key in changes:
        j = owner(key[0])
        touched.add(j)
        if j > 0 and key[0] == firsts[j]:
            touched.add(j - 1)  # the chunk's first row may go: the chunk before takes the rest
    grown = True
    while grown:  # a run whose first row goes merges into the chunk before it, and so on
        grown = False
        for j in sorted(touched):
            if j > 0 and j - 1 not in touched and any(
                k[0] == firsts[j] for k in changes
            ):
                touched.add(j - 1)
                grown = True
    pieces: list[Piece] = []
    if not chunks:
        pieces += _recut(sorted((k, v) for k, v in changes.items() if v is not None), True)
        return pieces
    with open(old_path, "rb") as fh:
        j = 0
        while j < len(chunks):
            if j not in touched:
                c = chunks[j]
                pieces.append(Piece(c.first, c.length, old=c))
                j += 1
                continue
            k = j
            while k + 1 < len(chunks) and k + 1 in touched:
                k += 1
            lo = chunks[j].first if j > 0 else None
            hi = chunks[k + 1].first if k + 1 < len(chunks) else None
            fh.seek(chunks[j].start)
            data = fh.read(chunks[k].start + chunks[k].length - chunks[j].start)
            rows = {record_key(r, width): r.decode("utf-8") for r in records(data)}
            for key, line in changes.items():
                if (lo is None or key[0] >= lo) and (hi is None or key[0] < hi):
                    if line is None:
                        rows.pop(key, None)
                    else:
                        rows[key] = line
            pieces += _recut(sorted(rows.items()), j == 0)
            j = k + 1
    return pieces


def _recut(rows: list[tuple[tuple[str, ...], str]], table_start: bool) -> list[Piece]:
    pieces: list[Piece] = []
    buf: list[bytes] = []
    prev: str | None = None
    for key, line in rows:
        first = key[0]
        if not pieces and not buf or (first != prev and is_cut(first)):
            if buf:
                pieces[-1].data = b"".join(buf)
                buf = []
            pieces.append(Piece(first, 0))
        prev = first
        data = line.encode("utf-8")
        buf.append(data)
        pieces[-1].length += len(data)
    if buf:
        pieces[-1].data = b"".join(buf)
    return pieces


def write_pieces(old_path: Path, new_path: Path, header: bytes, pieces: list[Piece]) -> Layout:
    """The new CSV from its pieces: kept chunks are copied from the old file by the kernel."""
    layout = Layout(len(header))
    with open(old_path, "rb") as src, open(new_path, "wb") as dst:
        dst.write(header)
        pos = len(header)
        i = 0
        while i < len(pieces):
            p = pieces[i]
            if p.old is None:
                dst.write(p.data or b"")
                layout.chunks.append(Chunk(p.first, pos, p.length))
                pos += p.length
                i += 1
                continue
            # a run of chunks that sit one after the other in the old file: one copy
            start = p.old.start
            end = start
            while i < len(pieces) and pieces[i].old is not None and pieces[i].old.start == end:
                q = pieces[i]
                layout.chunks.append(Chunk(q.first, pos + end - start, q.length, q.old.comp))
                end += q.length
                i += 1
            dst.flush()
            _copy(src.fileno(), dst.fileno(), start, end - start)
            pos += end - start
            dst.seek(pos)
    layout.size = pos
    return layout


def _copy(src: int, dst: int, offset: int, count: int) -> None:
    while count > 0:
        try:
            n = os.copy_file_range(src, dst, count, offset)
        except OSError:  # another filesystem or kernel: through user space
            os.lseek(src, offset, os.SEEK_SET)
            n = len(data := os.read(src, min(count, 1 << 22)))
            os.write(dst, data)
        if n <= 0:
            raise OSError("short copy")
        offset += n
        count -= n


# ---------------------------------------------------------------------------------------------
# the zip
_FINISH = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)


@dataclass
class Member:
    name: str
    path: Path
    layout: Layout
    old_zip: Path | None = None  # where the kept chunks' deflated bytes are


def write_zip(target: Path, members: Iterable[Member], deflate_chunk: Callable = deflate) -> None:
    """A deterministic zip (fixed timestamps, given order, no extra fields) whose members are
    their chunks deflated one by one; kept chunks (with `comp` set and `old_zip` given) are
    copied, not compressed again. Sets each chunk's and header's new `comp`."""
    members = list(members)
    entries = []
    partial = target.with_name(target.name + ".partial")
    olds: dict[Path, object] = {}
    try:
        with open(partial, "wb") as out:
            for m in members:
                name = m.name.encode("ascii")
                offset = out.tell()
                out.write(b"\0" * (_LOCAL.size + len(name)))
                start = out.tell()
                old = None
                if m.old_zip is not None:
                    if m.old_zip not in olds:
                        olds[m.old_zip] = open(m.old_zip, "rb")  # noqa: SIM115
                    old = olds[m.old_zip]
                crc = 0
                with open(m.path, "rb") as src:
                    header = src.read(m.layout.header)
                    crc = zlib.crc32(header, crc)
                    m.layout.header_comp = _put(out, header, None, old, deflate_chunk)
                    for c in m.layout.chunks:
                        src.seek(c.start)
                        data = src.read(c.length)
                        crc = zlib.crc32(data, crc)
                        c.comp = _put(out, data, c.comp, old, deflate_chunk)
                out.write(_FINISH)
                csize = out.tell() - start
                size = m.layout.header + sum(c.length for c in m.layout.chunks)
                if csize > ZIP_LIMIT or size > ZIP_LIMIT or offset > ZIP_LIMIT:
                    raise OverflowError("zip member too large for a plain zip")
                m.layout.crc, m.layout.comp_size = crc, csize
                end = out.tell()
                out.seek(offset)
                out.write(_LOCAL.pack(0x04034B50, 20, 0, 8, 0, _DOS_DATE, crc, csize, size,
                                      len(name), 0) + name)
                out.seek(end)
                entries.append((name, crc, csize, size, offset))
            cd = out.tell()
            for name, crc, csize, size, offset in entries:
                out.write(_CENTRAL.pack(0x02014B50, (3 << 8) | 20, 20, 0, 8, 0, _DOS_DATE, crc,
                                        csize, size, len(name), 0, 0, 0, 0, 0o644 << 16,
                                        offset) + name)
            cd_size = out.tell() - cd
            out.write(_END.pack(0x06054B50, 0, 0, len(entries), len(entries), cd_size, cd, 0))
        partial.replace(target)
    finally:
        for fh in olds.values():
            fh.close()  # type: ignore[attr-defined]
        partial.unlink(missing_ok=True)


def _put(out, data: bytes, comp: tuple[int, int] | None, old, deflate_chunk) -> tuple[int, int]:
    at = out.tell()
    if comp is not None and old is not None:
        old.seek(comp[0])
        blob = old.read(comp[1])
    else:
        blob = deflate_chunk(data)
    out.write(blob)
    return at, len(blob)
