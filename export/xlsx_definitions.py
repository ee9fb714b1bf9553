"""The Definitions sheet of the scoring workbook (no Qt): the funnel stages (definition,
entry and exit criteria, owner, SLA, examples, agreed) and the glossary, each an Excel table.
"""

from __future__ import annotations

from openpyxl import Workbook

from export.content import ExportContent
from export.xlsx_sheet import BLUE, Sheet, add_table, unique_names, write_title


def write_definitions(wb: Workbook, content: ExportContent) -> None:
    defs = content.defs
    s = Sheet(wb, "Definitions", BLUE)
    s.print_setup(landscape=True)
    s.widths({1: 24, 2: 44, 3: 36, 4: 36, 5: 13, 6: 10, 7: 36, 8: 10})
    s.ws.sheet_view.showGridLines = False
    write_title(s, "Definitions", "The funnel stages and the words both teams agreed to use.")
    s.blank()
    s.append([s.cell("Funnel stages", "section")])
    names = ["Stage", "Definition", "Entry criteria", "Exit criteria", "Owner", "SLA (hours)", "Examples", "Agreed"]
    header = s.append([s.cell(n, "header") for n in names])
    for stage in defs.stages:
        s.append(
            [
                s.cell(stage.name, "label"),
                s.cell(stage.definition, "cell"),
                s.cell(stage.entry_criteria, "cell"),
                s.cell(stage.exit_criteria, "cell"),
                s.cell(stage.owner.value, "cell"),
                s.cell(stage.sla_hours if stage.sla_hours is not None else "", "cell"),
                s.cell(stage.examples, "cell"),
                s.cell("Yes" if stage.agreed else "No", "cell"),
            ]
        )
    if not defs.stages:
        s.append([s.cell("(no stages defined)", "cell")] + [s.cell("", "cell") for _ in names[1:]])
    add_table(s, "FunnelStages", 1, header, unique_names(names), s.row)
    s.blank(2)
    s.append([s.cell("Glossary", "section")])
    names = ["Term", "Definition", "Notes", "Status"]
    header = s.append([s.cell(n, "header") for n in names])
    for term in defs.terms:
        s.append(
            [
                s.cell(term.term, "label"),
                s.cell(term.definition, "cell"),
                s.cell(term.notes, "cell"),
                s.cell(term.status.value, "cell"),
            ]
        )
    if not defs.terms:
        s.append([s.cell("(no terms defined)", "cell")] + [s.cell("", "cell") for _ in names[1:]])
    add_table(s, "Glossary", 1, header, unique_names(names), s.row)
