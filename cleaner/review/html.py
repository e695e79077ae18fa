"""The HTML review report: one self-contained file (inline CSS and JS, no network).

A table of the files with their edit counts per rule, then each changed file
as a document with every edit highlighted in place and labelled with its rule
(a badge and a ``title``). Checkboxes filter the highlights by rule; long
unchanged stretches fold into ``<details>``. Everything taken from the files
is escaped. ``#only=rule-a,rule-b`` in the address preselects rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from ..edits import CleanResult, Edit
from ..lines import Lines
from .visible import escape_char, is_invisible

FOLD_KEEP = 2  # unchanged lines kept in view next to an edit
FOLD_MIN = 4  # fold only when at least this many lines would hide
REPAIRED_KEEP = 12  # characters of a long repair's old text shown before its toggle

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class ReportFile:
    label: str
    result: CleanResult | None = None
    error: str | None = None
    note: str | None = None  # a warning shown with the file (clean would refuse it, …)

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        if self.edits and self.note is not None and self.note.startswith("clean: "):
            return "refused"  # shown for review; clean would leave it unchanged
        return "changed" if self.edits else "unchanged"

    @property
    def edits(self) -> tuple[Edit, ...]:
        """The edits shown: none for a failed file, even when it was cleaned before failing."""
        return self.result.edits if self.result is not None and self.error is None else ()


def render_report(files: Sequence[ReportFile], title: str = "cleaner review", tally: Any = None) -> str:
    """The page; ``tally`` (a ``review.summary.Tally``) gives the totals line the terminal summary shows."""
    rules = _rules_in_order(files)
    index = {rule: i for i, rule in enumerate(rules)}
    totals: Counter[str] = Counter()
    for f in files:
        totals.update(e.rule for e in f.edits)
    edits = sum(totals.values())
    statuses = Counter(f.status for f in files)
    parts = [
        '<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{escape(title)}</title>\n<style>\n{_CSS}{_rule_css(rules)}</style>\n</head>\n<body>\n",
        "<header>\n",
        f"<h1>{escape(title)}</h1>\n",
        f'<p class="totals">{escape(tally.line()) if tally is not None else _totals(files, statuses)} · '
        f'showing <b id="shown-count">{edits}</b> of <b id="total-count">{edits}</b> highlighted edits</p>\n',
        _filters(rules, index, totals),
        "</header>\n<main>\n",
        _file_table(files, index),
    ]
    for number, f in enumerate(files):
        if f.status != "unchanged":
            parts.append(_file_section(number, f, index))
    parts.append("</main>\n<script>\n" + _JS + "</script>\n</body>\n</html>\n")
    return "".join(parts)


def _rules_in_order(files: Sequence[ReportFile]) -> list[str]:
    seen: dict[str, None] = {}
    for f in files:
        for edit in f.edits:
            seen.setdefault(edit.rule, None)
    return list(seen)


def rule_hue(rule: str) -> int:
    """A rule's hue, from its id alone: the same rule has the same colour in every report."""
    import hashlib

    return int.from_bytes(hashlib.blake2s(rule.encode("utf-8"), digest_size=4).digest(), "big") % 360


def _totals(files: Sequence[ReportFile], statuses: Counter[str]) -> str:
    return (
        f"{len(files)} document(s): {statuses['changed']} changed, {statuses['unchanged']} unchanged, "
        f"{statuses['refused']} refused by the removal guard, {statuses['failed']} failed"
    )


def _rule_css(rules: Sequence[str]) -> str:
    out = []
    for i, rule in enumerate(rules):
        hue = rule_hue(rule)
        out.append(f".r{i}{{--bg:hsl({hue} 85% 86%);--fg:hsl({hue} 65% 32%)}}\n")
    return "".join(out)


def _filters(rules: Sequence[str], index: dict[str, int], totals: Counter[str]) -> str:
    if not rules:
        return ""
    boxes = "".join(
        f'<label class="chip r{index[rule]}"><input type="checkbox" class="rule-filter" '
        f'value="{escape(rule)}" checked> {escape(rule)} <span class="n">{totals[rule]}</span></label>\n'
        for rule in rules
    )
    return (
        '<div class="toolbar">\n<span class="label">Rules:</span>\n'
        + boxes
        + '<button type="button" data-action="all">all</button>'
        '<button type="button" data-action="none">none</button>'
        '<span class="sep"></span>'
        '<button type="button" data-action="expand">expand folds</button>'
        '<button type="button" data-action="collapse">collapse folds</button>'
        '<span class="hint">n / p: next / previous edit</span>\n</div>\n'
    )


def _file_table(files: Sequence[ReportFile], index: dict[str, int]) -> str:
    rows = []
    for number, f in enumerate(files):
        name = escape(f.label)
        link = f'<a href="#file-{number}">{name}</a>' if f.status != "unchanged" else name
        counts = Counter(e.rule for e in f.edits)
        total = sum(counts.values())
        rows.append(
            f'<tr class="{f.status}"><td class="name">{link}</td><td>{f.status}</td>'
            f'<td class="num">{total or ""}</td><td>{_chips(counts, index)}</td></tr>\n'
        )
    return (
        '<table class="files">\n<thead><tr><th>file</th><th>status</th><th class="num">edits</th>'
        "<th>by rule</th></tr></thead>\n<tbody>\n" + "".join(rows) + "</tbody>\n</table>\n"
    )


def _chips(counts: Mapping[str, int], index: dict[str, int]) -> str:
    return " ".join(
        f'<span class="chip r{index[rule]}">{escape(rule)} <span class="n">{n}</span></span>'
        for rule, n in counts.items()
    )


def _file_section(number: int, f: ReportFile, index: dict[str, int]) -> str:
    out = [f'<section class="file" id="file-{number}">\n<h2>{escape(f.label)}</h2>\n']
    if f.error is not None:
        out.append(f'<p class="error">{escape(f.error)}</p>\n</section>\n')
        return "".join(out)
    assert f.result is not None
    counts = _chips(f.result.rule_counts(), index)
    out.append(f'<p class="counts">{counts} <span class="shown"></span></p>\n')
    if f.note:
        out.append(f'<p class="note">{escape(f.note)}</p>\n')
    out.append(f'<div class="doc">{_document(f.result, index)}</div>\n</section>\n')
    return "".join(out)


def _document(result: CleanResult, index: dict[str, int]) -> str:
    text, lines = result.original, Lines(result.original)
    parts: list[str] = []
    pos = 0
    for edit in result.edits:
        parts.append(_unchanged(text, pos, edit.start, lines, before=pos > 0, after=True))
        parts.append(_edit(edit, lines, index))
        pos = edit.end
    parts.append(_unchanged(text, pos, len(text), lines, before=pos > 0, after=False))
    return "".join(parts)


def _edit(edit: Edit, lines: Lines, index: dict[str, int]) -> str:
    k = lines.line_at(edit.start)
    where = f"line {k + 1}, column {edit.start - lines[k].start + 1}"
    what = f"replaces {len(edit.text)} characters" if edit.replacement else f"removes {len(edit.text)} characters"
    why = f" · {edit.reason}" if edit.reason else ""
    title = escape(f"{edit.rule} · {where} · {what}{why}")
    if edit.replacement and len(edit.text) > REPAIRED_KEEP * 2:
        # A repair's old text is garbage (mojibake): a head and a toggle, so the fix stands out.
        head, rest = edit.text[:REPAIRED_KEEP], edit.text[REPAIRED_KEEP:]
        inner = (
            f'<del>{_shown(head, marks=True)}<button type="button" class="more" title="show the whole old text">'
            f'…+{len(rest)}</button><span class="rest" hidden>{_shown(rest, marks=True)}</span></del>'
        )
    else:
        inner = f"<del>{_shown(edit.text, marks=True)}</del>"
    if edit.replacement:
        inner += f"<ins>{_shown(edit.replacement, marks=True)}</ins>"
    return f'<span class="edit r{index[edit.rule]}" data-rule="{escape(edit.rule)}" title="{title}">{inner}</span>'


def _unchanged(text: str, start: int, stop: int, lines: Lines, *, before: bool, after: bool) -> str:
    """Body text; a long stretch keeps a few lines next to the edits and folds the rest."""
    if start >= stop:
        return ""
    chunk = text[start:stop]
    breaks = [m.end() for m in _LINE_BREAK.finditer(chunk)]
    cuts = [0, *breaks] if not breaks or breaks[-1] != len(chunk) else [0, *breaks[:-1]]
    cuts.append(len(chunk))  # cuts[i]..cuts[i+1] is the i-th (possibly partial) line
    count = len(cuts) - 1
    keep_head = FOLD_KEEP if before else 0
    keep_tail = FOLD_KEEP if after else 0
    if count - keep_head - keep_tail < FOLD_MIN:
        return _shown(chunk, marks=False)
    fold_from, fold_to = cuts[keep_head], cuts[count - keep_tail]
    first_line = lines.line_at(start + fold_from) + 1
    last_line = lines.line_at(start + fold_to - 1) + 1
    hidden = last_line - first_line + 1
    head = _strip_break(chunk[:fold_from])  # the <details> block starts its own line
    folded = _strip_break(chunk[fold_from:fold_to])
    return (
        _shown(head, marks=False)
        + f'<details class="fold"><summary>{hidden} unchanged lines ({first_line}–{last_line})</summary>'
        + _shown(folded, marks=False)
        + "</details>"
        + _shown(chunk[fold_to:], marks=False)
    )


def _strip_break(text: str) -> str:
    match = re.search(r"(\r\n|\r|\n)\Z", text)
    return text[: match.start()] if match else text


def _shown(text: str, *, marks: bool) -> str:
    """Escaped for HTML; line breaks as newlines (``\\r`` would be lost anyway), invisible characters as badges.

    Inside an edit (``marks``) a removed line break also shows as ``↵`` so that
    removed blank lines can be seen.
    """
    out: list[str] = []
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        out.append(_chars(text[pos : m.start()]))
        out.append('<span class="nl">↵</span>\n' if marks else "\n")
        pos = m.end()
    out.append(_chars(text[pos:]))
    return "".join(out)


def _chars(text: str) -> str:
    if text.isprintable():
        return escape(text, quote=False)
    return "".join(
        f'<span class="cp">{escape(escape_char(c))}</span>' if c != "\t" and is_invisible(c) else escape(c, quote=False)
        for c in text
    )


_CSS = """\
:root{color-scheme:light;--ink:#1d2430;--muted:#6b7280;--line:#e5e7eb;--paper:#fff;--page:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;background:var(--page);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif}
header{position:sticky;top:0;z-index:2;background:var(--paper);border-bottom:1px solid var(--line);padding:10px 24px;box-shadow:0 1px 3px rgb(0 0 0/.05)}
h1{font-size:18px;margin:0 0 2px}
.totals{margin:0 0 6px;color:var(--muted)}
.totals b{color:var(--ink)}
.toolbar{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.toolbar .label{color:var(--muted);margin-right:2px}
.toolbar .sep{width:12px}
.toolbar .hint{color:var(--muted);font-size:12px;margin-left:auto}
button{font:inherit;font-size:12px;padding:2px 8px;border:1px solid var(--line);border-radius:4px;background:#fff;cursor:pointer}
button:hover{background:#f0f1f3}
.chip{display:inline-flex;align-items:center;gap:4px;background:var(--bg);color:var(--fg);border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap}
.chip input{margin:0}
.chip .n{font-weight:400;opacity:.8}
label.chip{cursor:pointer}
label.chip:has(input:not(:checked)){background:#eee;color:#999}
main{padding:16px 24px;max-width:1100px;margin:0 auto}
table.files{border-collapse:collapse;background:var(--paper);border:1px solid var(--line);margin-bottom:20px;font-size:13px;width:100%}
table.files th,table.files td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.files td.name{overflow-wrap:anywhere;width:45%}
table.files td .chip{margin:1px 0}
table.files .num{text-align:right;font-variant-numeric:tabular-nums}
table.files tr.unchanged td{color:var(--muted)}
table.files tr.failed td:nth-child(2){color:#b91c1c;font-weight:600}
section.file{background:var(--paper);border:1px solid var(--line);border-radius:6px;margin:0 0 20px;padding:12px 18px}
section.file.dim{opacity:.45}
section.file h2{font-size:15px;margin:0 0 4px;word-break:break-all}
.counts{margin:0 0 10px;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.counts .shown{color:var(--muted);font-size:12px}
.error{color:#b91c1c}
.note{color:#92400e;background:#fef3c7;border-radius:4px;padding:2px 8px;display:inline-block;margin:0 0 8px}
.doc{white-space:pre-wrap;overflow-wrap:anywhere;font-size:15px;line-height:1.75;border-top:1px solid var(--line);padding-top:10px}
.edit del{background:var(--bg);color:var(--fg);text-decoration:line-through;text-decoration-color:rgb(0 0 0/.35);border-radius:2px}
.edit ins{background:#c9f2d0;color:#14532d;text-decoration:none;border-radius:2px}
.edit::before{content:attr(data-rule);background:var(--fg);color:#fff;font:600 10px/1.6 system-ui,sans-serif;padding:0 5px;border-radius:3px;margin:0 3px 0 1px;vertical-align:2px;white-space:nowrap}
.edit.current del,.edit.current ins{outline:2px solid #f59e0b;outline-offset:1px}
.edit.off del{background:none;color:inherit;text-decoration:none}
.edit.off ins,.edit.off::before,.edit.off .nl{display:none}
button.more{font:600 10px/1.4 system-ui,sans-serif;padding:0 4px;margin:0 2px;border:1px solid currentColor;color:var(--fg);background:#fff;border-radius:3px;vertical-align:1px}
.edit.off button.more{display:none}
.nl{color:var(--fg);opacity:.6;font-size:12px}
.cp{font:10px ui-monospace,monospace;background:rgb(0 0 0/.07);border-radius:2px;padding:0 1px;margin:0 1px;opacity:.75}
del .cp{background:rgb(255 255 255/.6);outline:1px solid currentColor;opacity:1}
details.fold{margin:4px 0;color:var(--muted)}
details.fold summary{cursor:pointer;font-size:12px;background:#f1f3f6;border:1px dashed #cfd4dc;border-radius:4px;padding:1px 8px;display:inline-block;user-select:none}
details.fold[open]{color:inherit}
details.fold[open] summary{margin-bottom:4px}
"""

_JS = """\
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.rule-filter"));
  var edits = Array.prototype.slice.call(document.querySelectorAll(".edit"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.file"));
  var current = -1;

  function apply() {
    var on = {};
    boxes.forEach(function (b) { if (b.checked) { on[b.value] = true; } });
    var shown = 0;
    edits.forEach(function (e) {
      var visible = on[e.getAttribute("data-rule")] === true;
      e.classList.toggle("off", !visible);
      if (visible) { shown += 1; }
    });
    document.getElementById("shown-count").textContent = String(shown);
    sections.forEach(function (s) {
      var total = s.querySelectorAll(".edit").length;
      var n = s.querySelectorAll(".edit:not(.off)").length;
      var label = s.querySelector(".shown");
      if (label) { label.textContent = n === total ? "" : n + " of " + total + " shown"; }
      s.classList.toggle("dim", total > 0 && n === 0);
    });
  }

  function move(step) {
    var shown = edits.filter(function (e) { return !e.classList.contains("off"); });
    if (!shown.length) { return; }
    var at = shown.indexOf(edits[current]);
    var next = shown[(at + step + shown.length) % shown.length];
    if (current >= 0) { edits[current].classList.remove("current"); }
    current = edits.indexOf(next);
    next.classList.add("current");
    var fold = next.closest("details");
    if (fold) { fold.open = true; }
    next.scrollIntoView({block: "center"});
  }

  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  document.addEventListener("click", function (ev) {
    var action = ev.target.getAttribute && ev.target.getAttribute("data-action");
    if (ev.target.classList && ev.target.classList.contains("more")) {
      var rest = ev.target.nextElementSibling;
      rest.hidden = !rest.hidden;
      ev.target.textContent = rest.hidden ? "…+" + rest.textContent.length : "‹";
    } else if (action === "all" || action === "none") {
      boxes.forEach(function (b) { b.checked = action === "all"; });
      apply();
    } else if (action === "expand" || action === "collapse") {
      document.querySelectorAll("details.fold").forEach(function (d) { d.open = action === "expand"; });
    }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.target.tagName === "INPUT" || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (ev.key === "n") { move(1); } else if (ev.key === "p") { move(-1); }
  });

  var only = /(?:^#|&)only=([^&]*)/.exec(location.hash);
  if (only) {
    var wanted = decodeURIComponent(only[1]).split(",");
    boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
  }
  apply();
}());
"""
