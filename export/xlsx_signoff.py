"""The Sign-off sheet of the scoring workbook (no Qt): the revision, its status and content
hash, and who signs the definitions: each signer's role, team, signing time, statement, the
content hash they signed, and whether their signature is valid.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Font

from export.content import ExportContent
from export.xlsx_sheet import GREY, Sheet, add_table, cell_is_rule, cell_time, write_title
from models import palette
from models.palette import xlsx


def write_signoff(wb: Workbook, content: ExportContent) -> None:
    rev = content.revision
    s = Sheet(wb, "Sign-off", GREY)
    s.print_setup(landscape=True)
    s.widths({1: 26, 2: 24, 3: 14, 4: 20, 5: 40, 6: 68, 7: 16})
    s.ws.sheet_view.showGridLines = False
    signed = rev.status == "signed"
    write_title(
        s,
        "Sign-off",
        "These definitions are signed."
        if signed
        else "DRAFT: these definitions are not signed yet. Only a signed revision is the agreed one.",
    )
    s.blank()
    rows: list[tuple[str, str | dt.datetime]] = [
        ("Revision", rev.label or "\u2014"),
        ("Status", "Signed" if signed else "Draft"),
        ("Content hash (SHA-256)", rev.content_hash or "\u2014"),
    ]
    if rev.signed_at:
        rows.append(("Signed (locked)", cell_time(rev.signed_at)))
    for label, value in rows:
        style = "mono" if label.startswith("Content") else "when" if isinstance(value, dt.datetime) else "text"
        s.append([s.cell(label, "label"), s.cell(value, style)])
    s.blank()
    s.append([s.cell("Signers", "section")])
    names = ["Signer", "Role", "Team", "Signed at (UTC)", "Statement", "Content hash signed", "Signature"]
    header = s.append([s.cell(n, "header") for n in names])
    signatures = {sig.signer: sig for sig in rev.signatures}
    people = content.defs.signers()
    listed = set()
    lines = []
    for person in people:
        sig = signatures.get(person.name)
        listed.add(person.name)
        lines.append((person.name, person.role, person.team.value, sig))
    for sig in rev.signatures:
        if sig.signer not in listed:
            lines.append((sig.signer, sig.role, "", sig))
    for name, role, team, sig in lines:
        if sig is None:
            state = "not signed"
            s.append(
                [
                    s.cell(name, "label"),
                    s.cell(role, "cell"),
                    s.cell(team, "cell"),
                    s.cell("", "cell"),
                    s.cell("", "cell"),
                    s.cell("", "cell"),
                    s.cell(state, "cell"),
                ]
            )
        else:
            state = (
                "valid"
                if sig.valid
                else ("signature does not match" if rev.signature_matches is False else "earlier draft")
            )
            s.append(
                [
                    s.cell(name, "label"),
                    s.cell(sig.role or role, "cell"),
                    s.cell(team, "cell"),
                    s.cell(cell_time(sig.signed_at), "datetime"),
                    s.cell(sig.statement, "cell"),
                    s.cell(sig.content_hash, "mono"),
                    s.cell(state, "cell"),
                ]
            )
    if not lines:
        s.append([s.cell("(no signers named)", "cell")] + [s.cell("", "cell") for _ in names[1:]])
    add_table(s, "Signers", 1, header, names, s.row)
    s.ws.conditional_formatting.add(
        f"G{header + 1}:G{s.row}",
        cell_is_rule(operator="equal", formula=['"valid"'], font=Font(bold=True, color=xlsx(palette.GOOD))),
    )
    s.ws.conditional_formatting.add(
        f"G{header + 1}:G{s.row}",
        cell_is_rule(operator="notEqual", formula=['"valid"'], font=Font(bold=True, color=xlsx(palette.BAD))),
    )
