"""The front of the PDF definitions document (no Qt): the cover, with the organisation,
workshop, revision and status (signed and locked, or a draft), the signers and what their
signatures say, and the content hash; then the contents, with page numbers.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer, TableStyle
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from export.pdf_builder import Builder
from export.pdf_style import ACCENT, BAD, GOOD, GREY, RULE, WARN
from export.pdf_text import fmt_day, fmt_when
from models.definitions_json import SignatureBlock


def cover(b: Builder) -> None:
    c, t, st = b.c, b.t, b.st
    team = b.defs.team
    rev = c.revision
    b.add(Spacer(1, b.height * 0.09))
    b.add(b.p("SALES AND MARKETING DEFINITIONS", st.kicker))
    if team.organisation.strip():
        b.add(b.p(t(team.organisation), st.org))
    b.add(b.p(t(c.title), st.title))
    b.add(HRFlowable(width=60, thickness=3, color=ACCENT, hAlign="LEFT", spaceBefore=0, spaceAfter=16))
    if c.signed:
        status = t.coloured(f"Signed and locked{', ' + fmt_when(rev.signed_at) if rev.signed_at else ''}", GOOD)
    else:
        status = t.coloured("Draft \u2014 not yet signed", WARN) + t(
            ": the definitions may still change, and bind both teams once every signer has signed."
        )
    rows: list[tuple[str, str | Flowable]] = [
        ("Revision", f"<b>{t(rev.label or '(unlabelled)')}</b>"),
        ("Status", status),
        ("Workshop date", t(fmt_day(team.date))),
    ]
    if team.period.strip():
        rows.append(("Period covered", t(team.period)))
    if team.facilitator.strip():
        rows.append(("Facilitator", t(team.facilitator)))
    rows.append(("Revision created", t(fmt_when(rev.created_at))))
    rows.append(("This copy generated", t(f"{fmt_when(c.generated_at)} from {c.file_name}")))
    b.add(b.pairs(rows, 0.26))

    b.add(b.p("Sign-off", st.h2))
    _signers_table(b)
    if rev.content_hash:
        if c.signed:
            b.add(b.p("Content hash (SHA-256 of the signed definitions)", st.h3))
        else:
            b.add(b.p("Content hash of this draft (SHA-256)", st.h3))
        b.add(b.p(t(rev.content_hash), st.hash))
        if not c.signed:
            b.add(b.p(t("It changes with every edit until the revision is signed."), st.note))
        else:
            b.add(
                b.p(
                    t(
                        "A printed copy matches the workshop file when this hash equals the content "
                        f"hash Accord shows for revision {rev.label}; any change to the definitions "
                        "changes the hash."
                    ),
                    st.note,
                )
            )
    b.add(NextPageTemplate("body"))


def _signers_table(b: Builder) -> None:
    c = b.c
    rev = c.revision
    by_name = {s.signer.strip().casefold(): s for s in rev.signatures}
    rows: list[list[Any]] = []
    seen: set[str] = set()
    for person in b.defs.signers():
        key = person.name.strip().casefold()
        seen.add(key)
        sig = by_name.get(key)
        rows.append(_signer_row(b, person.name, person.role or (sig.role if sig else ""), sig))
    for sig in rev.signatures:  # signatures of people no longer marked as signers
        if sig.signer.strip().casefold() not in seen:
            rows.append(_signer_row(b, sig.signer, sig.role, sig))
    if not rows:
        b.none("No signers are marked yet: mark them on the Team and targets step.")
        return
    b.add(b.table(("Signer", "Role", "Signed", "Signature"), rows, (0.24, 0.22, 0.26, 0.28)))


def _signer_row(b: Builder, name: str, role: str, sig: SignatureBlock | None) -> list[Any]:
    t = b.t
    if sig is None:
        return [
            b.p(f"<b>{t(name)}</b>", b.st.cell),
            role,
            "\u2014",
            b.p(t.coloured("not yet signed", WARN, bold=False), b.st.cell),
        ]
    if sig.valid:
        state = t.coloured("valid", GOOD) + t(": signed these definitions")
    else:
        state = t.coloured("signature does not match", BAD) + t(
            ": it was made for other definitions (an earlier version, or the file was changed)"
        )
    who = f"<b>{t(name)}</b>"
    if sig.statement:
        who += (
            f'<br/><font size="7.2" color="{GREY}">\u201c{t(sig.statement)}\u201d</font>'
            if b.fonts.unicode
            else f'<br/><font size="7.2" color="{GREY}">"{t(sig.statement)}"</font>'
        )
    return [b.p(who, b.st.cell), role, fmt_when(sig.signed_at), b.p(state, b.st.cell)]


def contents(b: Builder) -> None:
    b.add(PageBreak())
    b.add(b.p("Contents", b.st.h1))
    b.add(HRFlowable(width="100%", thickness=0.8, color=RULE, spaceBefore=2, spaceAfter=6))
    toc = TableOfContents(
        levelStyles=[b.st.toc0, b.st.toc1],
        dotsMinLevel=0,
        rightColumnWidth=40,
        tableStyle=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    b.add(toc)
