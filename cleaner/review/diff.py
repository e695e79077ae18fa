"""The diff run: clean each source without writing, show what would go, tally, exit code.

Shared by ``cleaner diff`` and ``cleaner clean --diff``. Per-file output goes
to stdout; errors, the summary table and the report notice go to stderr.
Exit code: 2 if any file failed (the others are still shown), else 1 if
anything would be removed or repaired, else 0.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from ..engine import Cleaner
from ..files import STDIN, Source, write_atomic
from ..jsonl import is_jsonl
from ..names import shown
from ..parquet import is_parquet
from .context import Window, hunks
from .documents import Reviewed, iter_documents
from .html import ReportFile, render_report
from .summary import Tally, render_summary
from .terminal import make_console, render_file, use_color
from .unified import UnifiedDiffError, unified_diff

FORMATS = ("pretty", "unified")
DEFAULT_CONTEXT = {"pretty": 1, "unified": 3}
EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2
JSONL_UNIFIED = (
    "a unified diff covers text files; review a JSONL corpus in the pretty view, --html or `cleaner explain`"
)


def run_diff(
    sources: Sequence[Source],
    cleaner: Cleaner,
    *,
    fmt: str = "pretty",
    color: bool | None = None,
    html: Path | None = None,
    encoding: str | None = None,
    context: int | None = None,
    text_field: str = "text",
    max_removal: float | None = None,
    quiet: bool = False,
    missing: Sequence[Path] = (),
) -> int:
    """Show what cleaning ``sources`` would change, writing nothing but the optional HTML report.

    ``fmt`` is ``"pretty"`` (windows and blocks, for a terminal or a log) or
    ``"unified"`` (a patch for ``patch -p1``/``git apply``, text files only).
    ``color=None``: colour on a terminal unless NO_COLOR is set. ``context``:
    lines of context (default 1 for pretty, 3 for unified). ``text_field``:
    the field reviewed in JSONL records. ``max_removal``: documents that
    ``clean`` would refuse to rewrite (losing more than this share) get a
    note. ``missing``: paths the caller already reported as not found; they
    count as failed. Returns the exit code.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown diff format {fmt!r}; expected one of {', '.join(FORMATS)}")
    lines = DEFAULT_CONTEXT[fmt] if context is None else context
    out = make_console(sys.stdout, use_color(color, sys.stdout))
    err = make_console(sys.stderr, use_color(color, sys.stderr))
    tally = Tally(failed=len(missing))
    report: list[ReportFile] = [ReportFile(shown(path), error="no such file or folder") for path in missing]
    cleaner = cleaner.with_guard(max_removal)  # decide() says what clean would refuse
    root = _patch_root(sources) if fmt == "unified" else os.getcwd()
    if root != os.getcwd() and not quiet:
        err.print(
            f"note: paths in the patch are relative to {shown(root)}: apply it there (patch -p1, git apply)",
            markup=False,
            highlight=False,
        )
    for source in sources:
        failed = changed = refused = False
        if fmt == "unified" and source.path != STDIN and (is_jsonl(source.path) or is_parquet(source.path)):
            _error(err, shown(source.path), JSONL_UNIFIED)
            tally.count(failed=True, changed=False)
            if html is not None:
                report.append(ReportFile(shown(source.path), error=JSONL_UNIFIED))
            continue
        for doc in iter_documents(source, cleaner, encoding=encoding, text_field=text_field, stdin=sys.stdin.buffer):
            error, note = doc.error, None
            if doc.refused is not None:
                note = f"clean: {doc.refused}"
            if error is None and fmt == "unified":
                error = _print_patch(doc, lines, root)
            elif error is None:
                assert doc.result is not None
                render_file(out, doc.label, doc.result, hunks(doc.result, Window(lines=lines)), note=note)
            edited = doc.result is not None and bool(doc.result.edits)
            if doc.result is not None:
                tally.kept += len(doc.result.kept)  # saved by a keep pattern (refused or not, as clean counts)
            if doc.is_record:
                tally.records += 1
            if error is not None:
                _error(err, doc.label, error)
                failed = failed or not doc.is_record  # a bad record is copied through by clean, not a failed file
                tally.problems += doc.is_record
            elif edited and note is not None:
                # Clean would leave it unchanged: shown for review, not counted as edits (as clean counts).
                refused = refused or not doc.is_record
            elif edited:
                assert doc.result is not None
                changed = True
                tally.records_changed += doc.is_record
                tally.rules.update(e.rule for e in doc.result.edits)
            # A corpus lists only its changed and failed records; a file is always listed.
            if html is not None and (error is not None or not doc.is_record or edited):
                report.append(ReportFile(doc.label, doc.result, error, note))
        tally.count(failed=failed, changed=changed, refused=refused)
    if html is not None:
        _write_report(err, html, report, tally, quiet)
    if not quiet:
        render_summary(err, tally)
    if tally.failed or tally.problems:
        return EXIT_ERROR
    return EXIT_CHANGES if tally.changed else EXIT_OK


def _print_patch(doc: Reviewed, context: int, root: str) -> str | None:
    """Write the document's patch to stdout; the reason when it cannot have one."""
    assert doc.result is not None and doc.document is not None
    try:
        patch = unified_diff(doc.result, doc.document, _patch_path(doc.source, root), context)
    except UnifiedDiffError as exc:
        return str(exc)
    sys.stdout.flush()
    sys.stdout.buffer.write(patch)
    sys.stdout.buffer.flush()
    return None


def _patch_root(sources: Sequence[Source]) -> str:
    """The folder the patch's paths are relative to: the current one when it holds every file
    (as ``git diff --no-index``), else the nearest folder holding it and them, because patch
    and git apply refuse names with ``..`` in them."""
    here = os.getcwd()
    files = [os.path.abspath(s.path) for s in sources if s.path != STDIN]
    if all(f.startswith(here.rstrip(os.sep) + os.sep) for f in files):
        return here
    return os.path.commonpath([here, *files])


def _patch_path(source: Source, root: str) -> str:
    """The path relative to ``root``, with forward slashes (what a patch names)."""
    if source.path == STDIN:
        return "stdin"
    return Path(os.path.relpath(os.path.abspath(source.path), root)).as_posix()


def _write_report(err: Console, html: Path, report: list[ReportFile], tally: Tally, quiet: bool) -> None:
    try:
        write_atomic(html, render_report(report, tally=tally).encode("utf-8"))
    except OSError as exc:
        _error(err, shown(html), f"cannot write the report: {exc.strerror or exc}")
        tally.failed += 1
        return
    if not quiet:
        err.print(f"report written to {shown(html)}", markup=False, highlight=False)


def _error(console: Console, label: str, message: str) -> None:
    console.print(Text.assemble(("error: ", "bold red"), f"{label}: {message}"))
