"""Turns a demo policy's data into a natural-reading body.

Each policy says what is particular to it (preamble, its own sections); the kit adds
what every Chinese policy document of this kind carries: the application procedure
when a service guide implements it, supervision, and the closing provisions with
the commencement date and the documents it repeals or amends.
"""

import datetime
from html import escape

NUMERALS = "一二三四五六七八九十"
# Documents that set rules applicants follow; plans, lists and notices do not
# describe an application procedure.
RULE_KINDS = {"办法", "细则", "规定", "实施意见", "若干措施"}
PROCEDURE_HEADINGS = ("程序", "申请方式", "报名方式", "认定方式", "评审方式")

SUPERVISION = (
    "对弄虚作假、骗取人才待遇的，取消其享受相关待遇的资格，追回已发放的资金，"
    "并按规定记入个人和单位诚信档案；涉嫌违法犯罪的，依法移送有关机关处理。"
    "工作人员在审核中滥用职权、玩忽职守、徇私舞弊的，依规依纪依法追究责任。"
)


def chinese_date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def document_kind(title: str) -> str:
    """办法, 细则, 通知 …: what the document calls itself in its own text."""
    for kind in (
        "实施意见",
        "若干措施",
        "工作方案",
        "规程",
        "办法",
        "细则",
        "通知",
        "规定",
        "方案",
        "计划",
    ):
        if title.split("（")[0].rstrip("”").endswith(kind):
            return kind
    return "文件"


def citation(policy: dict) -> str:
    return f"《{policy['title']}》（{policy['number']}）"


def _heading(index: int, text: str) -> tuple[str, dict]:
    return ("heading", {"text": f"{NUMERALS[index]}、{text}", "level": "h2"})


def _content(content: str | list[str]) -> tuple[str, str]:
    if isinstance(content, str):
        return ("paragraph", f"<p>{escape(content)}</p>")
    items = "".join(f"<li>{escape(item)}</li>" for item in content)
    return ("paragraph", f"<ol>{items}</ol>")


def _status_notice(policy: dict, successor: dict) -> tuple[str, dict]:
    if policy["status"] == "repealed":
        title, verb = "本文件已废止", "废止"
    else:
        title, verb = "本文件已修订", "修订"
    text = (
        f"<p>本文件已由{escape(citation(successor))}{verb}，"
        f"自{chinese_date(successor['effective'])}起请以新文件为准。</p>"
    )
    return ("notice", {"kind": "warning", "title": title, "text": text})


def _closing(policy: dict, kind: str, issuer: str, predecessors: list[dict]) -> str:
    if kind == "通知":
        return f"请各有关单位认真组织实施。执行中遇到的问题，请及时向{issuer}反馈。"
    sentences = [f"本{kind}自{chinese_date(policy['effective'])}起施行"]
    if policy.get("until"):
        sentences[0] += f"，有效期至{chinese_date(policy['until'])}"
    sentences[0] += "。"
    for older in predecessors:
        if older["status"] == "repealed":
            sentences.append(f"{citation(older)}同时废止。")
        else:
            sentences.append(
                f"本{kind}对{citation(older)}作了修订，原文件相应条款不再执行。"
            )
    sentences.append(f"本{kind}由{issuer}负责解释。")
    return "".join(sentences)


def policy_body(
    policy: dict,
    *,
    issuer: str,
    successor: dict | None,
    predecessors: list[dict],
    guide_titles: list[str],
) -> list[tuple]:
    """The StreamField value of a policy's body; `issuer` is the issuing
    department's name as the text cites it."""
    kind = document_kind(policy["title"])
    body: list[tuple] = []
    if successor is not None:
        body.append(_status_notice(policy, successor))
    body.append(("paragraph", f"<p>{escape(policy['preamble'])}</p>"))
    sections = list(policy["sections"])
    has_procedure = any(
        word in heading for heading, _ in sections for word in PROCEDURE_HEADINGS
    )
    if kind in RULE_KINDS and guide_titles and not has_procedure:
        guides = "、".join(f"《{title}》办事指南" for title in guide_titles)
        sections.append(
            (
                "申请程序",
                "申请人或用人单位通过泉州市高层次人才“一站式”服务大厅或服务专窗"
                "提出申请，"
                f"具体条件、材料和时限详见{guides}。服务专窗实行一次性告知，"
                "有关部门在承诺时限内作出办理决定。",
            )
        )
    if kind != "通知":
        sections.append(("监督管理", SUPERVISION))
    closing_heading = "其他事项" if kind == "通知" else "附则"
    sections.append((closing_heading, _closing(policy, kind, issuer, predecessors)))
    for index, (heading, content) in enumerate(sections):
        body.append(_heading(index, heading))
        body.append(_content(content))
    return body
