"""The GB/T 9704-2012 conformance checker (lint) for any .docx.

``lint_docx(data)`` reads a .docx — one our engine wrote or one typed by hand
in Word or WPS — resolves the effective formatting of every paragraph and
run (document defaults → paragraph style and its based-on chain →
character style → direct formatting; Word's list numbering rendered to
text), works out what each paragraph is (title, heading level n, body,
signature, date …) and runs the rules of :mod:`service.lint.rules`.

Findings have the public contract's shape; ``ok`` is true when no finding
is an error. Input that is not a readable .docx raises :class:`LintFailed`
with a Chinese message.
"""
from __future__ import annotations

import logging

from .document import LintDocument
from .roles import read_document
from .findings import SEVERITIES, Finding, Issue, LintReport, Severity
from .package import MAX_UNCOMPRESSED_BYTES, LintFailed, read_docx
from .rules import RULES, Rule

__all__ = ["lint_docx", "LintReport", "Finding", "LintFailed", "RULES", "Rule", "MAX_UNCOMPRESSED_BYTES"]

log = logging.getLogger(__name__)

# More findings of one rule than this are summed up in one more finding.
MAX_FINDINGS_PER_RULE = 30
INTERNAL_RULE = "lint.internal"


def _finding(rule: Rule, issue: Issue) -> Finding:
    return Finding(rule.id, rule.severity, issue.message, {"paragraph": issue.paragraph, "text": issue.text})


def _run(rule: Rule, doc: LintDocument) -> list[Finding]:
    try:
        issues = list(rule.check(doc))
    except Exception:  # a checker bug must not hide the other rules' findings
        log.exception("lint rule %s failed", rule.id)
        return [Finding(INTERNAL_RULE, "info", f"检查项“{rule.name}”（{rule.id}）未能完成，结果中不含这一项。")]
    found = [_finding(rule, i) for i in issues[:MAX_FINDINGS_PER_RULE]]
    if len(issues) > MAX_FINDINGS_PER_RULE:
        rest = len(issues) - MAX_FINDINGS_PER_RULE
        found.append(Finding(rule.id, rule.severity, f"另有 {rest} 处同类问题（{rule.name}）未逐一列出。"))
    return found


def _order(f: Finding) -> tuple[int, int, int]:
    para = f.location.get("paragraph")
    return (SEVERITIES.index(f.severity), -1 if para is None else para, 0)


def lint_docx(data: bytes) -> LintReport:
    """Check a .docx against GB/T 9704-2012. Raises :class:`LintFailed` for unreadable input."""
    fmt = read_docx(data)
    try:
        doc = read_document(fmt)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        log.exception("lint could not read the document structure")
        raise LintFailed("文档结构异常，无法检查：请在 Word 中打开后另存为 .docx 再试") from exc
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(_run(rule, doc))
    findings.sort(key=_order)
    return LintReport(ok=not any(f.severity == "error" for f in findings), findings=findings)


def severity_of(rule_id: str) -> Severity | None:
    return next((r.severity for r in RULES if r.id == rule_id), None)
