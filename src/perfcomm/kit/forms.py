"""The forms managers take back to work, as editable files made with python-docx and openpyxl: the
same fields, in the same order, as the printed PDF (pages.form)."""

from __future__ import annotations

from pathlib import Path


def write_docx(template: dict, title: str, lang: str, source_word: str, path: Path) -> Path:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(template["intro"][lang])
    for spec in template["fields"]:
        doc.add_paragraph(spec["label"][lang], style="Heading 3")
        if "table" in spec:
            columns = spec["table"]["columns"]
            table = doc.add_table(rows=1 + int(spec["table"].get("rows", 4)), cols=len(columns))
            table.style = "Table Grid"
            for cell, column in zip(table.rows[0].cells, columns):
                cell.text = column[lang]
        else:
            for _ in range(int(spec.get("lines", 1))):
                doc.add_paragraph("")
    note = doc.add_paragraph(f"{source_word}: {template['source'][lang]}")
    for run in note.runs:
        run.font.size = Pt(8)
    doc.save(path)
    return path


def write_xlsx(template: dict, title: str, lang: str, source_word: str, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    width = max([len(spec["table"]["columns"]) for spec in template["fields"] if "table" in spec] or [2])
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([template["intro"][lang]])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 48
    for spec in template["fields"]:
        sheet.append([])
        if "table" in spec:
            sheet.append([spec["label"][lang]])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            sheet.append([column[lang] for column in spec["table"]["columns"]])
            for cell in sheet[sheet.max_row]:
                cell.font, cell.border = Font(bold=True), border
                cell.fill = PatternFill("solid", fgColor="E0F2F1")
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            for _ in range(int(spec["table"].get("rows", 4))):
                sheet.append([""] * len(spec["table"]["columns"]))
                for cell in sheet[sheet.max_row]:
                    cell.border = border
        else:
            sheet.append([spec["label"][lang], ""])
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            sheet.cell(sheet.max_row, 2).border = border
            sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=width)
    sheet.append([])
    sheet.append([f"{source_word}: {template['source'][lang]}"])
    for column in range(1, width + 1):
        sheet.column_dimensions[chr(64 + column)].width = 24
    book.save(path)
    return path
