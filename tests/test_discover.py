"""``cleaner discover`` end to end: a made-up vendor wrapped around the clean bodies of tests/data.

The vendor (星河文库) is unknown to the bundled rules: a 4-line header block,
a contact line with a different number in every document (some in full-width
digits) after the title, and a footer. What discover proposes must clean every
document back to its body, byte for byte, and must leave the bodies' common
headings alone.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import pytest
from conftest import DATA

from cleaner import Cleaner
from cleaner.document import Document, decode
from cleaner.rules import load_rule_file

# The vendor below is one the classifier already knows (page-chrome covers it); these tests are
# about proposing rules for a vendor the bundled rules do not cover, so they run without it.
IGNORE = ("--ignore", "page-chrome")
HEADER = ["【星河文库】精品范文 每日更新", "本站资料均来自网络 侵删", "星河文库 · 海量范文 一键下载", "=" * 30]
FOOTER = "—— 星河文库 www.xinghe-wk.cn ——"
ENUMERATED = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")


def bodies() -> list[Document]:
    """The distinct clean bodies in tests/data (several corpora share some)."""
    seen: dict[str, Document] = {}
    # The corpora this suite's discovery fixtures were built on (real/ pages are scored elsewhere).
    for path in sorted(p for corpus in ("cases", "seeds", "variants") for p in (DATA / corpus).glob("expected/*.txt")):
        doc = decode(path.read_bytes())
        seen.setdefault(doc.text, doc)
    return list(seen.values())


def wrap(doc: Document, rng: random.Random, n: int) -> str:
    nl = doc.newline
    title, _, rest = doc.text.partition(nl)
    number = str(rng.randrange(80_000_000, 90_000_000))
    if n % 5 == 0:
        number = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    contact = f"星河文库 编辑部 客服：{number}" if n % 3 else f"星河文库  编辑部 客服：{number}"
    text = nl.join(HEADER) + nl + title + nl + contact + nl + rest
    return text + FOOTER + nl if text.endswith(nl) else text + nl + FOOTER


def write_corpus(folder: Path) -> dict[str, tuple[bytes, bytes]]:
    """``name -> (dirty bytes, body bytes)``, each file in its body's own encoding and newlines."""
    rng = random.Random(6)
    folder.mkdir(parents=True)
    out = {}
    for n, doc in enumerate(bodies()):
        name = f"r{n:03}.txt"
        dirty = doc.with_text(wrap(doc, rng, n)).encode()
        (folder / name).write_bytes(dirty)
        out[name] = (dirty, doc.encode())
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[bytes, bytes]]]:
    folder = tmp_path_factory.mktemp("discover") / "xinghe"
    return folder, write_corpus(folder)


@pytest.fixture(scope="module")
def discovered(corpus, tmp_path_factory: pytest.TempPathFactory):
    from conftest import run_cli

    folder, _ = corpus
    out = tmp_path_factory.mktemp("rules") / "xinghe-rules"
    proc = run_cli("discover", str(folder), "--min-docs", "3", "--out", str(out), *IGNORE)
    return proc, out


def rule_patterns(out: Path) -> list[re.Pattern[str]]:
    patterns = []
    for path in out.glob("*.toml"):
        rule = load_rule_file(path)
        patterns += list(rule.params.get("patterns", ())) + list(rule.params.get("cues", ()))
    return patterns


def test_proposals_clean_the_corpus_back_to_its_bodies(cli, corpus, discovered, tmp_path: Path) -> None:
    folder, docs = corpus
    proc, out = discovered
    assert proc.returncode == 0, proc.stderr.decode()
    names = sorted(p.name for p in out.glob("*.toml"))
    assert names == ["discovered-xinghe-head-1.toml", "discovered-xinghe-line-2.toml", "discovered-xinghe-line-3.toml"]
    kinds = {load_rule_file(out / n).kind.name for n in names}
    assert kinds == {"drop-block", "drop-lines"}
    cleaned = tmp_path / "cleaned"
    proc = cli("clean", "--rules", str(out), "--output-dir", str(cleaned), str(folder))
    assert proc.returncode == 0, proc.stderr.decode()
    for name, (_, body) in docs.items():
        assert (cleaned / name).read_bytes() == body, name


def test_proposed_rules_pass_their_own_examples(cli, discovered) -> None:
    _, out = discovered
    proc = cli("rules", "test", str(out))
    assert proc.returncode == 0, proc.stdout.decode()
    assert b" 0 failed" in proc.stdout


def test_varying_numbers_become_digit_classes(discovered) -> None:
    _, out = discovered
    contact = next(p for p in rule_patterns(out) if "客服" in p.pattern)
    assert "[0-9０-９]{" in contact.pattern and contact.pattern.startswith("^") and contact.pattern.endswith("$")
    assert contact.search("星河文库 编辑部 客服：81234567")
    assert contact.search("星河文库  编辑部 客服：８１２３４５６７")
    assert not contact.search("请联系星河文库 编辑部 客服：81234567 获取全文")


def test_common_headings_are_shown_apart_and_never_proposed(discovered) -> None:
    proc, out = discovered
    stdout = proc.stdout.decode()
    candidates, _, apart = stdout.partition("common headings, not proposed")
    assert "四、下一步工作打算" in apart and "enumerated heading" in apart
    assert "四、下一步工作打算" not in candidates
    headings = {line.strip() for doc in bodies() for line in doc.text.splitlines() if ENUMERATED.match(line)}
    assert len(headings) > 20
    patterns = rule_patterns(out)
    assert not [h for h in headings for p in patterns if p.search(h)]


def test_jobs_do_not_change_the_proposals(cli, corpus, discovered, tmp_path: Path) -> None:
    folder, _ = corpus
    proc1, out1 = discovered
    out2 = tmp_path / "rules"
    proc2 = cli("discover", str(folder), "--min-docs", "3", "--out", str(out2), "--jobs", "2", *IGNORE)
    assert proc2.returncode == 0, proc2.stderr.decode()
    assert proc2.stdout == proc1.stdout
    assert sorted(p.name for p in out2.iterdir()) == sorted(p.name for p in out1.iterdir())
    for path in out1.iterdir():
        assert (out2 / path.name).read_bytes() == path.read_bytes()


def test_default_share_finds_the_same_rules(cli, corpus, discovered, tmp_path: Path) -> None:
    folder, _ = corpus
    _, out1 = discovered
    out = tmp_path / "rules"
    proc = cli("discover", str(folder), "--out", str(out), "--name", "xinghe", *IGNORE)
    assert proc.returncode == 0
    assert b"common headings, not proposed" not in proc.stdout  # no heading is in 20% of these bodies
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in out1.iterdir())


def test_jsonl_corpus(cli, tmp_path: Path) -> None:
    rng = random.Random(8)
    docs = bodies()
    corpus = tmp_path / "reports.jsonl.gz"
    with gzip.open(corpus, "wb") as fh:
        for n, doc in enumerate(docs):
            fh.write(json.dumps({"id": n, "content": wrap(doc, rng, n)}, ensure_ascii=False).encode() + b"\n")
        fh.write(b"{not json\n")
    out = tmp_path / "rules"
    proc = cli("discover", str(corpus), "--text-field", "content", "--out", str(out), *IGNORE)
    assert proc.returncode == 2  # the bad record is an input error; the rest still runs
    assert b"reports.jsonl.gz:" in proc.stderr and b"not JSON" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "discovered-reports-head-1.toml",
        "discovered-reports-line-2.toml",
        "discovered-reports-line-3.toml",
    ]
    cleaner = Cleaner(rule_dirs=[out])
    with gzip.open(corpus, "rb") as fh:
        for doc, raw in zip(docs, fh, strict=False):
            assert cleaner.clean(json.loads(raw)["content"]).text == doc.text


def test_no_shared_junk_proposes_nothing(cli, tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    for n, doc in enumerate(bodies()):
        (folder / f"b{n:03}.txt").write_bytes(doc.encode())
    out = tmp_path / "rules"
    proc = cli("discover", str(folder), "--min-docs", "3", "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"0 rule(s) proposed" in proc.stdout
    assert b"no candidates" in proc.stdout
    assert not out.exists() or not list(out.iterdir())


def test_usage_errors(corpus, capsys: pytest.CaptureFixture[str]) -> None:
    from cleaner.cli import main

    folder, _ = corpus
    assert main(["discover"]) == 2
    assert main(["discover", str(folder), "--min-docs", "3", "--min-share", "0.5"]) == 2
    assert main(["discover", str(folder), "--name", "Not A Slug"]) == 2
    assert main(["discover", str(folder / "missing")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_rule_files_left_by_an_earlier_run_are_pointed_out(
    corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cleaner.cli import main

    folder, _ = corpus
    out = tmp_path / "rules"
    out.mkdir()
    (out / "discovered-xinghe-line-9.toml").write_text("", encoding="utf-8")
    assert main(["discover", str(folder), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "earlier run: discovered-xinghe-line-9.toml" in err
