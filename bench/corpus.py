"""A deterministic benchmark corpus built from the labelled test corpora.

Clean bodies are the ``tests/data/*/expected`` documents (alone, cut short or
several joined). Junk is taken from the ``input`` documents: a line diff of
each input against its expected output gives the head blocks, tail blocks,
single junk lines and body lines carrying inline junk. One document in three
is dirty: an input as it is, or a clean body wrapped with a varied mix of
every kind of junk (header and footer blocks, contact and chrome lines, page
footers, paywall markers, zero-width characters, mojibake, repeated contacts).
"""

from __future__ import annotations

import difflib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.document import decode

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
VERSION = 1  # bump when the generator changes, so cached corpora are rebuilt
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
PAYWALL = ("##paidbegin##", "##paidend##", "$$paidbegin$$", "$$paidend$$", "##pagebreak##", "## paid begin ##")
FOOTERS = ("第 {i} 页 共 {n} 页", "第{i}页/共{n}页", "— {i} —", "- {i} -", "第 {i} 页", "共{n}页，第{i}页")
# (text encoding, BOM) a clean document is written with, by weight.
ENCODINGS = (("utf-8", 90), ("gb18030", 5), ("utf-8-sig", 3), ("utf-16", 2))


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    text: str
    encoding: str  # a Python codec ("utf-8-sig" and "utf-16" write a BOM)
    dirty: bool

    def encode(self) -> bytes:
        return self.text.encode(self.encoding)


@dataclass(slots=True)
class Pools:
    bodies: list[str] = field(default_factory=list)  # clean texts, "\n" newlines
    inputs: list[tuple[str, str]] = field(default_factory=list)  # dirty (text, encoding)
    heads: list[list[str]] = field(default_factory=list)
    tails: list[list[str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # single junk lines
    dirty_lines: list[str] = field(default_factory=list)  # body lines with inline junk


def load_pools(data: Path = DATA) -> Pools:
    pools = Pools()
    for inp in sorted(data.glob("*/input/*")):
        exp = inp.parent.parent / "expected" / inp.name
        raw_in, raw_exp = decode(inp.read_bytes()), decode(exp.read_bytes())
        body = raw_exp.text.replace("\r\n", "\n")
        pools.bodies.append(body)
        if raw_in.text == raw_exp.text:
            continue
        codec = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(
            raw_in.encoding, raw_in.encoding
        )
        pools.inputs.append((raw_in.text, codec if raw_in.bom else raw_in.encoding))
        _diff_junk(raw_in.text.replace("\r\n", "\n").split("\n"), body.split("\n"), pools)
    return pools


def _diff_junk(src: list[str], dst: list[str], pools: Pools) -> None:
    matcher = difflib.SequenceMatcher(None, src, dst, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or i1 == i2:
            continue
        gone = src[i1:i2]
        if op == "replace" and i2 - i1 == j2 - j1:
            pools.dirty_lines.extend(s for s in gone if s.strip())
        elif i1 == 0:
            pools.heads.append(gone)
        elif all(not s.strip() for s in src[i2:]):
            pools.tails.append(gone)
        else:
            pools.lines.extend(s for s in gone if s.strip())


def documents(pools: Pools, seed: int, prefix: str = "d") -> Iterator[Doc]:
    """An endless, deterministic stream of documents; every third one is dirty."""
    rng = random.Random(seed)
    codecs = [c for c, w in ENCODINGS for _ in range(w)]
    k = 0
    while True:
        doc_id = f"{prefix}{k:07d}"
        if k % 3 == 0:
            if rng.random() < 0.2:
                text, codec = rng.choice(pools.inputs)
                yield Doc(doc_id, text, codec, True)
            else:
                yield Doc(doc_id, _newlines(rng, _dirty(rng, pools)), "utf-8", True)
        else:
            yield Doc(doc_id, _newlines(rng, _clean(rng, pools)), rng.choice(codecs), False)
        k += 1


def _clean(rng: random.Random, pools: Pools) -> str:
    roll = rng.random()
    if roll < 0.3:  # a longer report: several bodies in a row
        return "\n".join(rng.choice(pools.bodies).rstrip("\n") for _ in range(rng.randint(2, 4))) + "\n"
    if roll < 0.4:  # a short note
        lines = rng.choice(pools.bodies).split("\n")
        return "\n".join(lines[: rng.randint(2, 8)]) + "\n"
    return rng.choice(pools.bodies)


def _dirty(rng: random.Random, pools: Pools) -> str:
    lines = _clean(rng, pools).rstrip("\n").split("\n")
    steps = [_head, _contacts, _footers, _paywall, _zero_width, _mojibake, _tail, _inline_lines]
    chosen = rng.sample(steps, rng.randint(2, 5))
    for step in steps:  # a fixed order: blocks go on last so they stay at the edges
        if step in chosen:
            lines = step(rng, pools, lines)
    return "\n".join(lines) + ("\n" if rng.random() < 0.95 else "")


def _head(rng: random.Random, pools: Pools, lines: list[str]) -> list[str]:
    return rng.choice(pools.heads) + lines


def _tail(rng: random.Random, pools: Pools, lines: list[str]) -> list[str]:
    return lines + [""] * rng.randint(0, 1) + rng.choice(pools.tails)


def _contacts(rng: random.Random, pools: Pools, lines: list[str]) -> list[str]:
    junk = rng.choice(pools.lines)  # the same line several times: repeated contacts too
    for _ in range(rng.randint(1, 3)):
        lines.insert(rng.randint(1, len(lines)), junk if rng.random() < 0.6 else rng.choice(pools.lines))
    return lines


def _footers(rng: random.Random, pools: Pools, lines: list[str]) -> list[str]:
    form, every = rng.choice(FOOTERS), rng.randint(6, 15)
    total = len(lines) // every + 1
    out: list[str] = []
    for k, line in enumerate(lines, 1):
        out.append(line)
        if k % every == 0:
            out.append(form.format(i=k // every, n=total))
    return out


def _paywall(rng: random.Random, pools: Pools, lines: list[str]) -> list[str]:
    k = rng.randrange(len(lines))
    line = lines[k]
    cut = rng.randint(0, len(line))
    lines[k] = line[:cut] + rng.choice(PAYWALL) + line[cut:]
    if rng.random() < 0.5:
        lines.append(rng.choice(PAYWALL))
    return lines


def _zero_width(rng: random.Random, pools: Pools, lines: list[str]) -> list[str]:
    for _ in range(rng.randint(1, 6)):
        k = rng.randrange(len(lines))
        cut = rng.randint(0, len(lines[k]))
        lines[k] = lines[k][:cut] + rng.choice(ZERO_WIDTH) + lines[k][cut:]
    return lines


def _mojibake(rng: random.Random, pools: Pools, lines: list[str]) -> list[str]:
    k = rng.randrange(len(lines))
    lines[k] = lines[k].encode("utf-8").decode("latin-1")  # UTF-8 read as Latin-1
    return lines


def _inline_lines(rng: random.Random, pools: Pools, lines: list[str]) -> list[str]:
    lines.insert(rng.randint(0, len(lines)), rng.choice(pools.dirty_lines))
    return lines


def _newlines(rng: random.Random, text: str) -> str:
    return text.replace("\n", "\r\n") if rng.random() < 0.05 else text


def text_bytes(text: str) -> int:
    """The size every figure is measured in: the text as UTF-8."""
    return len(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Corpus:
    root: Path
    folder: Path  # one file per document, in sub-folders of 1000
    jsonl: Path
    docs: int
    dirty: int
    text_bytes: int
    disk_bytes: int

    def texts(self) -> Iterator[str]:
        with self.jsonl.open("rb") as fh:
            for line in fh:
                yield json.loads(line)["text"]


def build_corpus(root: Path, size_bytes: int, seed: int) -> Corpus:
    """Write the folder and the JSONL corpus of the same documents (reused when already built)."""
    manifest = root / "manifest.json"
    wanted = {"version": VERSION, "seed": seed, "size_bytes": size_bytes}
    if manifest.exists():
        meta = json.loads(manifest.read_text())
        if meta.get("params") == wanted:
            return _corpus(root, meta)
    folder, jsonl = root / "docs", root / "corpus.jsonl"
    _clear(root)
    folder.mkdir(parents=True)
    docs = dirty = total = disk = 0
    with jsonl.open("w", encoding="utf-8", newline="\n") as out:
        for doc in documents(load_pools(), seed):
            if total >= size_bytes:
                break
            sub = folder / f"{docs // 1000:03d}"
            if docs % 1000 == 0:
                sub.mkdir()
            data = doc.encode()
            (sub / f"{doc.id}.txt").write_bytes(data)
            out.write(json.dumps({"id": doc.id, "text": doc.text}, ensure_ascii=False) + "\n")
            docs, dirty, total, disk = docs + 1, dirty + doc.dirty, total + text_bytes(doc.text), disk + len(data)
    meta = {"params": wanted, "docs": docs, "dirty": dirty, "text_bytes": total, "disk_bytes": disk}
    manifest.write_text(json.dumps(meta, indent=1))
    return _corpus(root, meta)


def build_big_jsonl(path: Path, size_bytes: int, seed: int) -> int:
    """Stream a JSONL corpus of at least ``size_bytes`` to ``path`` (never held in memory)."""
    stamp = path.with_suffix(".json")
    wanted = {"version": VERSION, "seed": seed, "size_bytes": size_bytes}
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return path.stat().st_size
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for doc in documents(load_pools(), seed, prefix="big"):
            if written >= size_bytes:
                break
            line = json.dumps({"id": doc.id, "text": doc.text}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    stamp.write_text(json.dumps(wanted))
    return written


def _corpus(root: Path, meta: dict[str, int]) -> Corpus:
    return Corpus(
        root, root / "docs", root / "corpus.jsonl", meta["docs"], meta["dirty"], meta["text_bytes"], meta["disk_bytes"]
    )


def _clear(root: Path) -> None:
    import shutil

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
