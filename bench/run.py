"""Benchmark the cleaner: one command, one corpus, every figure in one run.

    .venv/bin/python bench/run.py [--size-mb 100] [--jsonl-gb 1] [--out bench/out/results.json]

Builds (or reuses) a corpus under bench/out/ from tests/data, then measures the
in-process pipeline, the CLI over a folder (--jobs 1 and 2), the JSONL path,
ftfy.fix_text and a read/decode/encode/write floor on it; start-up time; the
peak memory of the JSONL path on a 1 GB corpus; and how the cost grows with
size, one long line and very many short lines. Prints a table and writes
the figures as JSON. Nothing here asserts: the figures are for people to read.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import Corpus, build_big_jsonl, build_corpus, text_bytes  # noqa: E402
from measure import MB, NA, cleaner_command, digest, fresh, median, rate, run_child, timed, tree_digest  # noqa: E402

Result = dict[str, Any]
QUIET_STEAL = 0.05  # a run during which at most this share of the CPU time was stolen counts as quiet
TARGETS = {
    "pipeline_vs_ftfy": 10.0,
    "jobs2_speedup": 1.7,
    "startup_s": 0.35,
    "jsonl_peak_mb": 250.0,
    "linear_ratio": 1.5,
}


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    out_dir: Path = args.work
    results: Result = {"machine": _machine(), "args": {k: str(v) for k, v in vars(args).items()}, "items": {}}
    items: Result = results["items"]
    say = _progress(args.quiet)

    say(f"building a {args.size_mb} MB corpus in {out_dir / 'corpus'} …")
    corpus = build_corpus(out_dir / "corpus", int(args.size_mb * MB), args.seed)
    results["corpus"] = _corpus_figures(corpus)
    work = fresh(out_dir / "work")

    say("start-up …")
    items["startup"] = startup(work, args.startup_runs)
    say("pipeline (in process) …")
    texts = list(corpus.texts())
    items["pipeline"], pipeline_digest = pipeline(texts)
    items["pipeline_10mb"], _ = pipeline(_prefix(texts, 10 * MB))
    say("ftfy.fix_text baseline …")
    items["ftfy"] = ftfy_baseline(texts)
    del texts
    say("floor: read + decode + encode + write …")
    items["floor"] = floor(corpus, fresh(work / "floor"))
    say(f"CLI over the folder, --jobs 1 and 2, {args.cli_runs} runs each …")
    items.update(cli_folder(corpus, work, args.cli_runs, args.timeout))
    say("CLI on the JSONL corpus …")
    items["jsonl"] = cli_jsonl(corpus.jsonl, corpus.docs, work, args.timeout, pipeline_digest)
    items["jsonl_jobs1"] = cli_jsonl(corpus.jsonl, corpus.docs, work, args.timeout, pipeline_digest, jobs=1)
    if args.jsonl_gb > 0:
        say(f"streaming a {args.jsonl_gb} GB JSONL corpus and cleaning it …")
        big = out_dir / "big" / "big.jsonl"
        big.parent.mkdir(parents=True, exist_ok=True)
        build_big_jsonl(big, int(args.jsonl_gb * 1024 * MB), args.seed + 1)
        items["jsonl_1gb"] = cli_jsonl(big, None, work, args.timeout * 10, None)
    say("scaling: one long line, very many short lines …")
    for case, sizes in (("single-line", (5, 20)), ("short-lines", (2, 8))):
        items[case] = scaling_case(case, sizes, args.timeout)

    results["summary"] = _summary(items)
    _print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    say(f"figures written to {args.out}")
    if not args.keep:
        fresh(work)
    return 0


# --- the measurements ---------------------------------------------------------


def pipeline(texts: list[str]) -> tuple[Result, str]:
    """``Cleaner.clean`` over every text, rules compiled once; a digest of the outputs."""
    from cleaner import Cleaner

    cleaner = Cleaner()
    for text in texts[:30]:
        cleaner.clean(text)  # warm up: lazy imports, regex caches
    outputs: list[bytes] = []
    nbytes = sum(text_bytes(t) for t in texts)
    cpu = time.process_time()
    seconds = timed(lambda: outputs.extend(cleaner.clean(t).text.encode("utf-8") for t in texts))
    cpu = time.process_time() - cpu
    changed = sum(1 for t, o in zip(texts, outputs) if t.encode("utf-8") != o)
    return {**rate(seconds, nbytes, len(texts)), **_cpu(cpu, nbytes), "changed_docs": changed}, digest(outputs)


def ftfy_baseline(texts: list[str]) -> Result:
    import ftfy

    ftfy.fix_text(texts[0])
    nbytes = sum(text_bytes(t) for t in texts)
    cpu = time.process_time()
    seconds = timed(lambda: [ftfy.fix_text(t) for t in texts])
    return {**rate(seconds, nbytes, len(texts)), **_cpu(time.process_time() - cpu, nbytes)}


def _cpu(seconds: float, nbytes: int) -> Result:
    # CPU time of this process: less sensitive than wall time to other load on the machine.
    return {"cpu_seconds": round(seconds, 3), "cpu_mb_per_s": round(nbytes / MB / seconds, 2)}


def floor(corpus: Corpus, out: Path) -> Result:
    """What any tool pays: read, decode (with detection), encode and write each file, plainly."""
    from cleaner.document import decode
    from cleaner.files import read_file

    def run() -> None:
        made: set[Path] = set()
        for path in sorted(corpus.folder.rglob("*.txt")):
            data = decode(read_file(path)).encode()
            target = out / path.relative_to(corpus.folder)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            os.write(fd, data)
            os.close(fd)

    return rate(timed(run), corpus.text_bytes, corpus.docs)


def startup(work: Path, runs: int) -> Result:
    small = work / "small.txt"
    small.write_text("述职报告\n\n一、工作回顾\n今年以来，认真履行岗位职责。\n", encoding="utf-8")
    command = [*cleaner_command(), "clean", "--check", str(small)]
    times = [run_child(command, memory=False).seconds for _ in range(runs)]
    return {"median_s": round(median(times), 3), "min_s": round(min(times), 3), "runs": len(times)}


def cli_folder(corpus: Corpus, work: Path, repeats: int, timeout: float) -> dict[str, Result]:
    """The CLI over the folder with --jobs 1 and --jobs 2, written (--output-dir) and checked (--check).

    Runs alternate (1, 2, 1, 2 …) so that load from elsewhere on a shared
    machine falls on both; each item gives the median run and every run's
    seconds and steal time. Before each run the file system is synced, so
    that no run pays for another's write-back. --check writes nothing: it
    shows how the cleaning itself scales, apart from the disk.
    """
    if not _has_option("--jobs"):
        return {"cli_jobs1": {"status": NA, "note": "cleaner clean has no --jobs option yet"}}
    runs: dict[str, list[Any]] = {}
    digests: dict[str, str] = {}
    outputs = fresh(work / "cli-out")
    for repeat in range(repeats):
        for mode in ("write", "check"):
            for jobs in (1, 2):
                # A new folder each run, all deleted at the end: deleting
                # thousands of files sets off disk work that would land on the
                # next timed run.
                out = outputs / f"{repeat}-{jobs}"
                os.sync()
                time.sleep(1)
                target = ["--output-dir", str(out)] if mode == "write" else ["--check"]
                command = [
                    *cleaner_command(),
                    "clean",
                    "--jobs",
                    str(jobs),
                    *_guard_off(),
                    *_walk_all(),
                    "--quiet",
                    *target,
                    str(corpus.folder),
                ]
                run = run_child(command, timeout, cwd=work)
                key = f"cli_jobs{jobs}" if mode == "write" else f"cli_check_jobs{jobs}"
                runs.setdefault(key, []).append(run)
                if mode == "write" and key not in digests:  # the first run's output stands for all
                    digests[key] = tree_digest(out)
    fresh(outputs)
    items: dict[str, Result] = {}
    for key, done in runs.items():
        mid = sorted(done, key=lambda r: r.seconds)[len(done) // 2]
        item: Result = {**rate(mid.seconds, corpus.text_bytes, corpus.docs), **_memory(mid)}
        item["cpu_seconds"] = round(mid.cpu_seconds, 2)
        item["runs_s"] = [round(r.seconds, 2) for r in done]
        item["steal_s"] = [round(r.steal_seconds, 2) if r.steal_seconds is not None else None for r in done]
        item["returncode"] = mid.returncode
        if key in digests:
            item["output_digest"] = digests[key]
        if mid.returncode not in (0, 1):  # --check exits 1 when files would change
            item["stderr"] = mid.stderr
        items[key] = item
    return items


def jobs_speedup(items: Result, prefix: str) -> Result | None:
    """--jobs 1 time over --jobs 2 time: of the medians, of the best runs, of each pair.

    ``quiet_pairs``: the pairs in which the hypervisor took at most
    QUIET_STEAL of the machine's CPU time, during either run, to give it to
    other guests (steal time, on a shared machine); their median ratio shows
    what the code does when it has the cores it was asked to use.
    """
    one, two = items.get(f"{prefix}1", {}), items.get(f"{prefix}2", {})
    if "runs_s" not in one or "runs_s" not in two:
        return None
    pairs = [round(a / b, 2) for a, b in zip(one["runs_s"], two["runs_s"])]
    out: Result = {
        "median": round(median(one["runs_s"]) / median(two["runs_s"]), 2),
        "best": round(min(one["runs_s"]) / min(two["runs_s"]), 2),
        "per_pair": pairs,
    }
    steals = list(zip(one.get("steal_s", []), two.get("steal_s", [])))
    if len(steals) == len(pairs) and all(a is not None and b is not None for a, b in steals):
        cpus = os.cpu_count() or 1
        quiet = [
            ratio
            for ratio, (s1, s2), w1, w2 in zip(pairs, steals, one["runs_s"], two["runs_s"])
            if s1 <= QUIET_STEAL * w1 * cpus and s2 <= QUIET_STEAL * w2 * cpus
        ]
        out["quiet_pairs"] = len(quiet)
        out["quiet_median"] = round(median(quiet), 2) if quiet else None
    return out


def cli_jsonl(
    path: Path, docs: int | None, work: Path, timeout: float, expected: str | None, jobs: int | None = None
) -> Result:
    if not _jsonl_supported(work):
        return {"status": NA, "note": "cleaner clean does not clean JSONL records yet"}
    out = fresh(work / "jsonl-out")
    command = [*cleaner_command(), "clean", *_guard_off(), "--quiet", "--output-dir", str(out), str(path)]
    if jobs is not None and _has_option("--jobs"):
        command[2:2] = ["--jobs", str(jobs)]
    run = run_child(command, timeout, cwd=work)
    nbytes = path.stat().st_size
    result: Result = {**rate(run.seconds, nbytes, docs), "input_file_mb": round(nbytes / MB, 1), **_memory(run)}
    result["returncode"] = run.returncode
    if jobs is None:
        result["note"] = "default --jobs (all cores)"
    if run.returncode:
        result["stderr"] = run.stderr
    if expected is not None:
        cleaned = _jsonl_output(out)
        texts = (json.loads(line)["text"].encode("utf-8") for line in cleaned.open("rb")) if cleaned else iter(())
        result["matches_pipeline"] = digest(texts) == expected
    fresh(out)
    return result


def scaling_case(case: str, sizes: tuple[int, int], timeout: float) -> Result:
    out: Result = {}
    for mb in sizes:
        try:
            proc = subprocess.run(
                [sys.executable, str(HERE / "scaling.py"), case, str(mb)],
                capture_output=True,
                timeout=timeout,
                check=True,
                text=True,
            )
        except subprocess.TimeoutExpired:
            out[f"{mb}mb"] = {"status": f"timeout > {timeout:.0f} s"}
            continue
        except subprocess.CalledProcessError as exc:
            out[f"{mb}mb"] = {"status": "failed", "stderr": exc.stderr[-2000:]}
            continue
        figures = json.loads(proc.stdout)
        row = rate(figures["seconds"], figures["bytes"])
        out[f"{mb}mb"] = {**row, "lines": figures["lines"], "s_per_mb": round(figures["seconds"] / row["mb"], 4)}
    small, large = (out.get(f"{mb}mb", {}) for mb in sizes)
    if "s_per_mb" in small and "s_per_mb" in large:
        out["per_mb_ratio"] = round(large["s_per_mb"] / small["s_per_mb"], 2)
    return out


def _memory(run: Any) -> Result:
    return {"max_rss_mb": round(run.max_rss_mb, 1), "tree_rss_mb": round(run.tree_rss_mb, 1)}


def _guard_off() -> list[str]:
    # The removal guard would leave some short documents unchanged; switched
    # off so that every output can be compared with the in-process pipeline.
    return ["--max-removal", "1"] if _has_option("--max-removal") else []


def _walk_all() -> list[str]:
    # The corpus lies under bench/out, which .gitignore names: the walk must not skip it.
    return ["--no-gitignore"] if _has_option("--no-gitignore") else []


# --- probes: the CLI work in progress -------------------------------------------


_HELP: str | None = None


def _has_option(option: str) -> bool:
    global _HELP
    if _HELP is None:
        proc = subprocess.run([*cleaner_command(), "clean", "--help"], capture_output=True, text=True)
        _HELP = proc.stdout
    return option in _HELP


_JSONL: bool | None = None


def _jsonl_supported(work: Path) -> bool:
    """Does ``cleaner clean --output-dir OUT x.jsonl`` clean the records' text fields?"""
    global _JSONL
    if _JSONL is None:
        probe = fresh(work / "probe")
        src = probe / "probe.jsonl"
        body = "述职报告\n" + "今年以来，认真履行岗位职责，圆满完成了各项工作任务。\n" * 3
        record = {"id": "a", "text": "仅供学习 禁止外传 用后删除\n" + body}
        src.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        run_child(
            [*cleaner_command(), "clean", *_guard_off(), "--quiet", "--output-dir", str(probe / "out"), str(src)], 60
        )
        found = _jsonl_output(probe / "out")
        try:
            _JSONL = found is not None and json.loads(found.read_text("utf-8"))["text"] == body
        except (ValueError, KeyError, TypeError):
            _JSONL = False
    return _JSONL


def _jsonl_output(out: Path) -> Path | None:
    found = sorted(out.rglob("*.jsonl")) if out.is_dir() else []
    return found[0] if found else None


# --- reporting ------------------------------------------------------------------


def _summary(items: Result) -> Result:
    def get(item: str, key: str) -> float | None:
        value = items.get(item, {}).get(key)
        return value if isinstance(value, (int, float)) else None

    pipe, ftfy = get("pipeline", "mb_per_s"), get("ftfy", "mb_per_s")
    p10, p100 = items["pipeline_10mb"], items["pipeline"]
    pipe_cpu, ftfy_cpu = get("pipeline", "cpu_mb_per_s"), get("ftfy", "cpu_mb_per_s")
    summary: Result = {
        "pipeline_vs_ftfy": round(pipe / ftfy, 1) if pipe and ftfy else None,
        "pipeline_vs_ftfy_cpu": round(pipe_cpu / ftfy_cpu, 1) if pipe_cpu and ftfy_cpu else None,
        "jobs2_speedup": jobs_speedup(items, "cli_jobs"),
        "jobs2_speedup_check": jobs_speedup(items, "cli_check_jobs"),
        "startup_median_s": get("startup", "median_s"),
        "jsonl_1gb_peak_mb": get("jsonl_1gb", "tree_rss_mb"),
        "corpus_per_mb_ratio_100_vs_10": round((p100["seconds"] / p100["mb"]) / (p10["seconds"] / p10["mb"]), 2),
        "single_line_per_mb_ratio": items["single-line"].get("per_mb_ratio"),
        "short_lines_per_mb_ratio": items["short-lines"].get("per_mb_ratio"),
    }
    summary["targets"] = TARGETS
    return summary


def _print_table(results: Result) -> None:
    from rich.console import Console
    from rich.table import Table

    items, summary, corpus = results["items"], results["summary"], results["corpus"]
    table = Table(
        title=f"cleaner benchmark: {corpus['docs']} docs, {corpus['text_mb']} MB of text ({corpus['dirty_docs']} dirty)"
    )
    for column in ("item", "MB/s", "docs/s", "seconds", "peak RSS MB", "tree RSS MB", "notes"):
        table.add_column(column, justify="left" if column in ("item", "notes") else "right")

    def row(label: str, item: Result, notes: str = "") -> None:
        if "status" in item:
            table.add_row(label, item["status"], "", "", "", "", item.get("note", ""))
            return
        cells = [item.get(k) for k in ("mb_per_s", "docs_per_s", "seconds", "max_rss_mb", "tree_rss_mb")]
        extra = " ".join(x for x in (notes, item.get("note", "")) if x)
        table.add_row(label, *("" if c is None else f"{c:,}" for c in cells), extra)

    ratio, ratio_cpu = summary["pipeline_vs_ftfy"], summary["pipeline_vs_ftfy_cpu"]
    target = f"target ≥ {TARGETS['pipeline_vs_ftfy']:.0f}×"
    row("pipeline, 1 process", items["pipeline"], f"{ratio}× ftfy ({ratio_cpu}× in CPU time; {target})")
    row(
        "pipeline, first 10 MB",
        items["pipeline_10mb"],
        f"per-MB cost 100 vs 10 MB: {summary['corpus_per_mb_ratio_100_vs_10']}×",
    )
    for prefix, label in (("cli_jobs", "CLI folder --output-dir"), ("cli_check_jobs", "CLI folder --check")):
        if f"{prefix}1" not in items:
            continue
        row(f"{label} --jobs 1", items[f"{prefix}1"], _runs(items[f"{prefix}1"]))
        if f"{prefix}2" in items:
            speed = summary["jobs2_speedup" if prefix == "cli_jobs" else "jobs2_speedup_check"]
            notes = (
                f"{speed['median']}× --jobs 1 (best {speed['best']}×; target ≥ {TARGETS['jobs2_speedup']}×)"
                if speed
                else ""
            )
            if speed and speed.get("quiet_median"):
                notes += (
                    f"; {speed['quiet_median']}× over the {speed['quiet_pairs']} pairs with ≤ {QUIET_STEAL:.0%} steal"
                )
            same = _same(items[f"{prefix}1"], items[f"{prefix}2"])
            row(
                f"{label} --jobs 2",
                items[f"{prefix}2"],
                " ".join(x for x in (notes, _runs(items[f"{prefix}2"]), same) if x),
            )
    row("CLI JSONL", items["jsonl"], _matches(items["jsonl"]))
    row("CLI JSONL --jobs 1", items["jsonl_jobs1"], _matches(items["jsonl_jobs1"]))
    if "jsonl_1gb" in items:
        row("CLI JSONL 1 GB", items["jsonl_1gb"], f"peak target < {TARGETS['jsonl_peak_mb']:.0f} MB")
    row("ftfy.fix_text (defaults)", items["ftfy"])
    row("floor: read+decode+encode+write", items["floor"])
    start = items["startup"]
    table.add_row(
        "start-up: clean --check small.txt",
        "",
        "",
        f"{start['median_s']}",
        "",
        "",
        f"median of {start['runs']} (target ≤ {TARGETS['startup_s']} s)",
    )
    for case in ("single-line", "short-lines"):
        for size, item in items[case].items():
            if isinstance(item, dict):
                row(f"{case} {size}", item, f"{item.get('lines', '')} lines, {item.get('s_per_mb', '')} s/MB")
        table.add_row("", "", "", "", "", "", f"{case}: per-MB cost large vs small {items[case].get('per_mb_ratio')}×")
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def _runs(item: Result) -> str:
    if "runs_s" not in item:
        return ""
    steal = [x for x in item.get("steal_s", []) if x is not None]
    text = f"runs {', '.join(str(x) for x in item['runs_s'])} s"
    return text + (f" (steal {', '.join(str(x) for x in steal)} s)" if steal else "")


def _same(a: Result, b: Result) -> str:
    if "output_digest" in a and "output_digest" in b:
        return (
            "output identical to --jobs 1"
            if a["output_digest"] == b["output_digest"]
            else "OUTPUT DIFFERS from --jobs 1"
        )
    return ""


def _matches(item: Result) -> str:
    if "matches_pipeline" not in item:
        return ""
    return "texts identical to the pipeline" if item["matches_pipeline"] else "TEXTS DIFFER from the pipeline"


def _corpus_figures(corpus: Corpus) -> Result:
    return {
        "docs": corpus.docs,
        "dirty_docs": corpus.dirty,
        "text_mb": round(corpus.text_bytes / MB, 1),
        "disk_mb": round(corpus.disk_bytes / MB, 1),
        "jsonl_mb": round(corpus.jsonl.stat().st_size / MB, 1),
        "folder": str(corpus.folder),
        "jsonl": str(corpus.jsonl),
    }


def _prefix(texts: list[str], size: int) -> list[str]:
    out: list[str] = []
    total = 0
    for text in texts:
        if total >= size:
            break
        out.append(text)
        total += text_bytes(text)
    return out


def _machine() -> Result:
    import cleaner

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cleaner": str(Path(str(cleaner.__file__)).parent),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def _progress(quiet: bool) -> Callable[[str], None]:
    start = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - start:6.1f} s] {message}", file=sys.stderr, flush=True)

    return say


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=100, help="size of the benchmark corpus (MB of UTF-8 text)")
    parser.add_argument("--jsonl-gb", type=float, default=1, help="size of the JSONL corpus for peak memory (0: skip)")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "results.json", help="where the JSON figures go")
    parser.add_argument("--work", type=Path, default=HERE / "out", help="corpora and outputs (reused between runs)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--startup-runs", type=int, default=11)
    parser.add_argument(
        "--cli-runs", type=int, default=5, help="runs of each CLI folder measurement (the median is kept)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed per CLI run or scaling case")
    parser.add_argument("--keep", action="store_true", help="keep the cleaned outputs under WORK/work")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser.parse_args(argv)


if __name__ == "__main__":
    raise SystemExit(main())
