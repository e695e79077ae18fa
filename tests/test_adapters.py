"""The pipeline adapters inside the real libraries' own pipelines: HF datasets, datatrove, data-juicer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA

from cleaner import Cleaner
from cleaner.decision import PROVENANCE_FIELD, decide, undo
from cleaner.document import decode


def seeds_and_variants() -> list[tuple[str, str, str]]:
    """(name, input, expected) of the shared seeds and variants."""
    out = []
    for corpus in ("seeds", "variants"):
        for path in sorted((DATA / corpus / "input").iterdir()):
            want = decode((DATA / corpus / "expected" / path.name).read_bytes()).text
            out.append((f"{corpus}/{path.name}", decode(path.read_bytes()).text, want))
    return out


def test_hf_datasets_map_batched() -> None:
    datasets = pytest.importorskip("datasets", reason="the hf extra is not installed (pip install 'cleaner[hf]')")
    from cleaner.adapters.hf import clean_batch

    cases = seeds_and_variants()
    ds = datasets.Dataset.from_list([{"name": n, "text": t, "n": i} for i, (n, t, _) in enumerate(cases)])
    out = ds.map(clean_batch, batched=True, batch_size=3, load_from_cache_file=False)
    assert out.column_names == ["name", "text", "n"]
    for row, (name, _, want) in zip(out, cases):
        assert row["text"] == want, name
    assert out["n"] == list(range(len(cases)))


def test_hf_datasets_other_field_and_provenance() -> None:
    datasets = pytest.importorskip("datasets", reason="the hf extra is not installed (pip install 'cleaner[hf]')")
    from cleaner.adapters.hf import clean_batch

    cases = seeds_and_variants()
    ds = datasets.Dataset.from_list([{"content": t} for _, t, _ in cases])
    out = ds.map(
        clean_batch,
        batched=True,
        fn_kwargs={"text_field": "content", "provenance": True, "cleaner": Cleaner()},
        load_from_cache_file=False,
    )
    for row, (_, original, want) in zip(out, cases):
        assert row["content"] == want
        assert undo(row["content"], json.loads(row[PROVENANCE_FIELD])) == original


def test_datatrove_step_in_a_local_executor(tmp_path: Path) -> None:
    pytest.importorskip("datatrove", reason="the datatrove extra is not installed (pip install 'cleaner[datatrove]')")
    from datatrove.data import Document
    from datatrove.executor import LocalPipelineExecutor

    from cleaner.adapters.datatrove import CleanerStep

    cases = seeds_and_variants()
    docs = [Document(text=t, id=n) for n, t, _ in cases]
    written: list[Any] = []

    def collect(data: Any, rank: int = 0, world_size: int = 1) -> Any:
        # A plain callable step, as datatrove allows: one task runs in this process.
        for doc in data:
            written.append(doc)
            yield doc

    executor = LocalPipelineExecutor(
        pipeline=[docs, CleanerStep(provenance=True), collect], tasks=1, logging_dir=str(tmp_path / "logs")
    )
    stats = executor.run()
    got = {d.id: d for d in written}
    assert len(got) == len(cases)
    for name, original, want in cases:
        assert got[name].text == want, name
        assert undo(want, got[name].metadata[PROVENANCE_FIELD]) == original
    # The step's counters, as datatrove reports them.
    cleaner = Cleaner()
    decisions = [decide(cleaner, t) for _, t, _ in cases]
    step = next(s for s in stats.stats if "cleaner" in s.name)
    counters = {k: v.total for k, v in step.stats.items()}
    assert counters["total"] == len(cases)
    assert counters["changed"] == sum(d.changed for d in decisions)
    assert counters["chars_removed"] == sum(d.removed_chars for d in decisions)
    for rule in {r for d in decisions for r in d.counts}:
        assert counters[f"rule:{rule}"] == sum(d.counts.get(rule, 0) for d in decisions)


def _data_juicer_python() -> str | None:
    """A Python with data-juicer and cleaner: this one, or $CLEANER_DJ_PYTHON (data-juicer pins dill 0.3.8,
    so CI gives it a venv of its own)."""
    try:
        import data_juicer  # noqa: F401

        return sys.executable
    except ImportError:
        pass
    other = os.environ.get("CLEANER_DJ_PYTHON")
    return other if other and shutil.which(other) else None


def test_data_juicer_recipe_uses_the_registered_mapper(tmp_path: Path) -> None:
    python = _data_juicer_python()
    if python is None:
        pytest.skip("data-juicer is not installed here and CLEANER_DJ_PYTHON names no Python that has it")
    import cleaner.adapters

    operator = Path(cleaner.adapters.__file__).parent / "data_juicer_mapper.py"
    cases = seeds_and_variants()
    with open(tmp_path / "in.jsonl", "w", encoding="utf-8") as fh:
        for name, text, _ in cases:
            fh.write(json.dumps({"name": name, "text": text}, ensure_ascii=False) + "\n")
    recipe = {
        "project_name": "cleaner-test",
        "dataset_path": str(tmp_path / "in.jsonl"),
        "export_path": str(tmp_path / "out.jsonl"),
        "np": 1,
        "open_tracer": False,
        "custom_operator_paths": [str(operator)],
        "process": [{"cleaner_mapper": {"max_removal": 0.6}}],
    }
    # YAML is a superset of JSON: the recipe file is a valid YAML recipe.
    (tmp_path / "recipe.yaml").write_text(json.dumps(recipe))
    proc = subprocess.run(
        [python, "-m", "data_juicer.tools.process_data", "--config", str(tmp_path / "recipe.yaml")],
        capture_output=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    got: dict[str, Any] = {}
    for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        got[record["name"]] = record["text"]
    for name, _, want in cases:
        assert got[name] == want, name


def test_a_rule_past_its_budget_leaves_the_text_as_it_came(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_reliability import BACKTRACKING_RULE

    from cleaner.adapters.texts import clean_texts

    (tmp_path / "evil.toml").write_text(BACKTRACKING_RULE, encoding="utf-8")
    monkeypatch.setenv("CLEANER_RULE_BUDGET", "1")
    cleaner = Cleaner(rule_dirs=[tmp_path])
    done = clean_texts(cleaner, ["a" * 34 + "!", "正文aa!X", None], provenance=True)
    assert done.texts == ["a" * 34 + "!", "正文", None]  # the batch goes on past the hopeless text
    assert (done.timed_out, done.missing, done.stats.documents) == (1, 1, 1)
    assert done.provenance is not None and done.provenance[0] is None and done.provenance[2] is None


def test_readme_hf_example_runs_as_written() -> None:
    datasets = pytest.importorskip("datasets", reason="the hf extra is not installed (pip install 'cleaner[hf]')")
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Hugging Face datasets (", 1)[1].split("\n### ", 1)[0]
    block = next(b for b in section.split("\n\n") if b.startswith("    from "))
    code = "\n".join(line[4:] for line in block.splitlines())
    from cleaner import Cleaner
    from cleaner.decision import decide

    texts = [
        (DATA / "seeds" / "input" / p.name).read_text(encoding="utf-8")
        for p in sorted((DATA / "seeds" / "input").iterdir())
    ]
    scope = {"ds": datasets.Dataset.from_dict({"text": texts, "content": texts})}
    exec(code, scope)
    ds = scope["ds"]
    want = [decide(Cleaner(), t).text for t in texts]
    assert ds["text"] == want and ds["content"] == want  # the second map cleaned "content"
