"""The data provenance section of the PDF definitions document (no Qt): where the historical
leads behind the threshold check came from (files, sizes, SHA-256), how they were read (the
column mapping, what counts as an opportunity, placeholders) and how clean they were
(duplicates, missing values, notices, rejected rows), so that the figures can be traced and
reproduced.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether

from export.pdf_builder import Builder
from export.pdf_text import fmt_count, fmt_day, fmt_size, fmt_when
from models.check_text import fmt_pct, number
from models.leads.types import Mapping as ColumnMapping

PROVENANCE = "Data provenance"


def provenance(b: Builder) -> None:
    t = b.t
    info = b.c.leads_info
    b.section(
        PROVENANCE,
        "Where the historical leads behind the threshold check came from, how they were "
        "read and how clean they were, so that the figures can be traced and reproduced.",
    )
    if info is None:
        b.add(
            b.p(
                t("No historical leads were imported into this revision, so there is no lead data to trace."),
                b.st.body,
            )
        )
        return
    q = info.quality
    b.subsection("Data set")
    rows: list[tuple[str, str | Flowable]] = [
        ("Leads", f"<b>{t(f'{info.rows:,}')}</b>" + t(" rows imported")),
        ("Rejected rows", t(f"{info.rejected_count:,}" + (" (listed below)" if info.rejected_count else ""))),
        ("Opportunities", t(f"{q.positives:,} ({fmt_pct(q.outcome_rate, 1)} of the leads)")),
        ("Imported at", t(fmt_when(info.imported_at))),
        (
            "Period",
            t(
                f"{fmt_day(q.first_date)} to {fmt_day(q.last_date)} ({number(q.weeks, 1)} weeks)"
                if q.first_date and q.last_date and q.weeks
                else "the leads have no creation dates"
            ),
        ),
        ("Stored in", t(b.c.file_name)),
    ]
    b.add(b.pairs(rows))

    b.subsection("Files")
    if not info.sources:
        b.none("The source files were not recorded.")
    for src in info.sources:
        detail = _detail(src.detail)
        rows = [
            ("File", f"<b>{t(src.name)}</b>"),
            ("Format", t(src.format.upper() + (f", {detail}" if detail else ""))),
            ("Size", t(fmt_size(src.size))),
            ("SHA-256", b.p(t(src.sha256), b.st.cell_mono)),
        ]
        b.add(KeepTogether(b.pairs(rows, 0.2)))

    b.subsection("Column mapping")
    m = info.mapping
    rows = [("Lead ID", t(_col(m.id))), ("Outcome", t(_outcome(m)))]
    rows += [
        ("Revenue", t(_col(m.revenue))),
        ("Created date", t(_col(m.created))),
        ("Owner", t(_col(m.owner))),
        ("E-mail", t(_col(m.email))),
    ]
    by_type: dict[str, int] = {}
    for kind in m.types.values():
        by_type[kind.value] = by_type.get(kind.value, 0) + 1
    if by_type:
        rows.append(
            (
                "Other columns",
                t(
                    f"{fmt_count(len(m.types), 'attribute')}: "
                    + ", ".join(f"{n} {k}" for k, n in sorted(by_type.items(), key=lambda kv: -kv[1]))
                ),
            )
        )
    if m.ignored:
        rows.append(("Ignored columns", t(", ".join(m.ignored))))
    placeholders = [p for p in m.placeholders if p]
    rows.append(
        (
            "Read as missing",
            t(
                ", ".join(f"\u201c{p}\u201d" for p in placeholders) + " and empty cells"
                if placeholders
                else "empty cells"
            ),
        )
    )
    b.add(b.pairs(rows, 0.2))

    b.subsection("Data quality")
    rows = [
        ("Duplicate IDs", t(f"{q.duplicate_ids:,} rows repeat an earlier row's ID")),
        ("Duplicate e-mails", t(f"{q.duplicate_emails:,}")),
        ("Placeholders", t(f"{q.placeholders_replaced:,} placeholder values treated as missing")),
    ]
    if q.unmatched_outcomes:
        rows.append(("Unmatched outcomes", t(f"{q.unmatched_outcomes:,} outcome rows match no lead")))
    if q.merged_spellings:
        merged = "; ".join(
            f"{col}: " + ", ".join(" = ".join(f"\u201c{s}\u201d" for s in group) for group in groups)
            for col, groups in q.merged_spellings.items()
        )
        rows.append(("Merged spellings", t(merged)))
    b.add(b.pairs(rows, 0.2))
    missing = sorted(((col, n) for col, n in q.missing.items() if n), key=lambda kv: -kv[1])
    if missing:
        b.add(b.p(t("Missing values per column"), b.st.h3))
        b.add(
            b.table(
                ("Column", "Missing values", "Share of rows"),
                [[_column_name(col, m), f"{n:,}", fmt_pct(n / q.rows if q.rows else None, 1)] for col, n in missing],
                (0.6, 0.2, 0.2),
                right=(1, 2),
            )
        )
    else:
        b.none("No column has missing values.")
    if info.notices:
        b.add(b.p(t("Notices from the import"), b.st.h3))
        for notice in info.notices:
            b.add(
                b.p(
                    "\u2022&nbsp;" + t(notice) if b.fonts.unicode else "-&nbsp;" + t(notice),
                    ParagraphStyle(
                        "bullet",
                        parent=b.st.body,
                        fontSize=8.5,
                        leading=12,
                        leftIndent=10,
                        firstLineIndent=-8,
                        spaceAfter=2,
                    ),
                )
            )
    if info.rejected_count:
        b.add(b.p(t("Rejected rows"), b.st.h3))
        shown = info.rejected[:50]
        if info.rejected_count > len(shown):
            b.none(f"The first {len(shown)} of {info.rejected_count:,} rejected rows are listed.")
        b.add(
            b.table(
                ("File", "Line", "Column", "Value", "Reason"),
                [
                    [r.file, "" if r.line is None else f"{r.line:,}", r.column or "", r.value or "", r.reason]
                    for r in shown
                ],
                (0.2, 0.08, 0.18, 0.18, 0.36),
                right=(1,),
            )
        )


def _col(name: str | None) -> str:
    return f"\u201c{name}\u201d" if name else "not mapped"


def _column_name(col: str, m: ColumnMapping) -> str:
    standard = {
        "id": m.id,
        "outcome": m.outcome,
        "revenue": m.revenue,
        "created": m.created,
        "owner": m.owner,
        "email": m.email,
    }
    if col in standard:
        mapped = standard[col]
        return f"{mapped} ({col})" if mapped else col
    return col


def _outcome(m: ColumnMapping) -> str:
    from models.leads.types import SuccessKind

    s = m.success
    col = f"\u201c{m.outcome}\u201d" if m.outcome else "the outcome"
    if m.join is not None:
        j = m.join
        joined = (
            f"from a second file of outcomes, joined on lead column \u201c{j.lead_column}\u201d = "
            f"\u201c{j.outcome_column}\u201d"
        )
        if j.where_column:
            joined += f" where \u201c{j.where_column}\u201d is \u201c{j.where_value or ''}\u201d"
    else:
        joined = ""
    if s.kind == SuccessKind.MATCHED:
        text = "a lead became an opportunity when it has a row in the outcomes file"
    elif s.kind == SuccessKind.HAS_VALUE:
        text = f"{col}: any value counts as an opportunity"
    elif s.kind == SuccessKind.STAGE_AT_LEAST:
        text = f"{col}: \u201c{s.stage}\u201d or a later stage counts as an opportunity"
        if s.stages:
            text += " (stages in order: " + " \u2192 ".join(s.stages) + ")"
    else:
        text = f"{col}: counts as an opportunity when it is one of " + ", ".join(f"\u201c{v}\u201d" for v in s.values)
    return text + (f"; {joined}" if joined else "")


def _detail(detail: dict[str, Any]) -> str:
    parts = []
    for key, value in detail.items():
        if value is None or value is False or value == "":
            continue
        name = key.replace("_", " ")
        if value is True:
            parts.append(name)
        elif key == "delimiter":
            shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe", " ": "space"}.get(
                str(value), repr(value)
            )
            parts.append(f"{shown}-separated")
        else:
            parts.append(f"{name} {value}")
    return ", ".join(parts)
