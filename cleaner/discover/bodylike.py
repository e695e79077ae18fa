"""Lines that are common across documents but are report body, never vendor junk.

Reports of one genre share their structure: "一、基本情况", "存在的问题",
"（一）…", a date, "特此报告。". Such lines are frequent in any corpus and
must never become removal rules, so every frequent line is checked against
the explicit signs below first. Each sign is one regular expression on the
*normalised* line (see :mod:`.normalize`: NFKC-folded, so "（一）" reads
"(一)" and "：" reads ":", and every digit run reads "0"). When in doubt a
line counts as body: a missed junk line costs a rule the user can add by
hand, a wrong rule costs report text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_NUM = "[一二三四五六七八九十百零〇两]+"
_HEADING_WORDS = (
    "情况|问题|不足|差距|做法|措施|举措|成效|成绩|成果|亮点|经验|体会|启示|收获|打算|计划|规划|思路|"
    "目标|任务|建议|意见|对策|原因|分析|总结|小结|报告|汇报|述职|述廉|方案|要点|概况|背景|前言|引言|"
    "结语|附件|附录|目录|摘要|工作|安排|部署|展望|重点|要求|讲话|发言|致辞|心得|剖析|职责|履职|现状"
)
_ORG_SUFFIX = "局|委|厅|部|办|院|公司|中心|政府|街道|镇|乡|村|科|处|室|所|站|队|校|党组|党委|支部|委员会|小组"


@dataclass(frozen=True, slots=True)
class BodySign:
    name: str
    pattern: re.Pattern[str]
    why: str


SIGNS: tuple[BodySign, ...] = (
    BodySign(
        "enumerated heading",
        re.compile(
            rf"^(?:{_CN_NUM}\s*[、.,:]|\(\s*(?:{_CN_NUM}|0)\s*\)|0\s*[、.,):]|第\s*(?:{_CN_NUM}|0)\s*[章节部分条款篇点项]"
            rf"|{_CN_NUM}(?:是|要|抓)|(?:首先|其次|再次|最后|此外|另外|同时)|#{{1,6}}\s)"
        ),
        "starts with an enumerator: 一、 (一) 1. 第一章 一是 or a markdown heading",
    ),
    BodySign(
        "heading vocabulary",
        re.compile(rf"^.{{0,24}}(?:{_HEADING_WORDS})\s*(?:\([^()]{{0,12}}\))?\s*:?$"),
        "a short line ending in a report heading word (基本情况, 存在的问题, 主要做法, …总结)",
    ),
    BodySign(
        "salutation or closing",
        re.compile(
            r"^(?:尊敬的|各位|同志们|大家好|谢谢|此致|敬礼|特此|以上|妥否|当否|请审议|请批示|请审阅|"
            r"汇报人|报告人|述职人|发言人|撰稿|审核|单位|部门|日期|时间|姓名|职务)"
        ),
        "a salutation, closing formula or signature field (尊敬的…, 特此报告, 汇报人:)",
    ),
    BodySign(
        "date",
        re.compile(r"^(?:0|[xX×*]{1,4})\s*年(?:\s*(?:0|[xX×*]{1,2})\s*月(?:\s*(?:0|[xX×*]{1,2})\s*日)?)?$"),
        "a date alone on its line (the report's date)",
    ),
    BodySign(
        "signature",
        re.compile(rf"^.{{1,20}}(?:{_ORG_SUFFIX})$"),
        "a short line ending in an organisation suffix (xx市统计局, xx镇人民政府)",
    ),
    BodySign(
        "sentence",
        re.compile(r"^.{30,}[。;!?:]$"),
        "a sentence of 30 or more characters ending in 。；！？：",
    ),
    BodySign(
        "prose",
        re.compile(r"^(?=.{40,}$)(?:[^,;]*[,;]){2}"),
        "40 or more characters with two or more commas or semicolons",
    ),
    BodySign(
        "lead-in",
        re.compile(r"(?:如下|以下)\s*[:。]?$"),
        "a lead-in such as 现将有关情况报告如下：",
    ),
)

# A line needs some words to be told apart from body: a separator or a bare
# number is only ever proposed as part of a block of word-bearing lines.
MIN_WORD_CHARS = 4
_LETTER = re.compile(r"[^\W\d_]")


def body_sign(normalized: str) -> BodySign | None:
    """The first sign that ``normalized`` is report body, or ``None``."""
    for sign in SIGNS:
        if sign.pattern.search(normalized):
            return sign
    return None


def word_chars(normalized: str) -> int:
    """Letters and CJK characters in the line (digits and punctuation do not count)."""
    return len(_LETTER.findall(normalized))


# The drop-block rules a discovery writes protect body lines of the same
# shapes, written for raw text (full-width and half-width alike).
PROTECT_PATTERNS: tuple[str, ...] = (
    r"^.{30,}[。；;！!？?：:]\s*$",
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9０-９]+[)）]|[0-9０-９]+[、.．])",
    rf"(?:{_HEADING_WORDS})\s*(?:[(（][^)）]{{0,12}}[)）])?\s*[:：]?\s*$",
)
