"""Word, PDF and HTML documents loaded end to end; the text they render, and how damaged files are refused."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from govgraph.loaders import LoadError, Source, load_file
from govgraph.loaders.converters import convert, kind_of

ROWS = [["Action", "Lead officer", "Oversight", "Due date"],
        ["Refresh the strategic risk register.", "Head of Internal Audit", "Audit and Standards Committee", "June 2022"],
        ["Publish the revised members' code of conduct.", "Monitoring Officer", "Standards Committee", "September 2022"]]
INTRO = "Sheffield City Council response to the external auditor's value for money findings, March 2022."


def source(path: Path) -> Source:
    return Source(path, path.read_bytes())


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Governance improvement action plan", 1)
    document.add_paragraph(INTRO)
    table = document.add_table(rows=len(ROWS), cols=4)
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text
    table.rows[2].cells[0].add_paragraph("Train all members on it.", style="List Bullet")
    document.save(path)
    return path


def make_pdf(path: Path, *, password: str | None = None) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(0, 6, INTRO.replace("'", "'"), new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(70, 40, 50, 30)) as table:
        for row in ROWS:
            cells = table.row()
            for text in row:
                cells.cell(text)
    if password:
        pdf.set_encryption(owner_password=password, user_password=password)
    pdf.output(str(path))
    return path


HTML = f"""<!doctype html><html><head><title>x</title><style>p {{color: red}}</style></head><body>
<h2>Governance improvement action plan</h2><p>{INTRO}</p>
<table><tr>{''.join(f'<th>{h}</th>' for h in ROWS[0])}</tr>
<tr>{''.join(f'<td>{c}</td>' for c in ROWS[1])}</tr>
<tr><td><p>{ROWS[2][0]}</p><ul><li>Train all members on it.</li></ul></td><td>{ROWS[2][1]}</td><td>{ROWS[2][2]}</td><td>{ROWS[2][3]}</td></tr>
</table><script>alert("no")</script></body></html>"""


def test_docx_text_keeps_headings_and_tables_in_order(tmp_path):
    text = convert(source(make_docx(tmp_path / "plan.docx"))).text
    assert text.splitlines() == [
        "# Governance improvement action plan", "", INTRO, "",
        "Action\tLead officer\tOversight\tDue date",
        "Refresh the strategic risk register.\tHead of Internal Audit\tAudit and Standards Committee\tJune 2022",
        "<p>Publish the revised members' code of conduct.</p> <li>Train all members on it.</li>\tMonitoring Officer\t"
        "Standards Committee\tSeptember 2022",
    ]


@pytest.mark.parametrize("maker, name", [(make_docx, "plan.docx"), (make_pdf, "plan.pdf"), (None, "plan.html")])
def test_documents_load_end_to_end(tmp_path, maker, name):
    path = tmp_path / name
    if maker is None:
        path.write_text(HTML, encoding="utf-8")
    else:
        maker(path)
    loaded = load_file(path)
    doc = loaded.document
    assert loaded.loader == "document"
    assert doc.council == "Sheffield City Council"
    assert [a.text.split(" ")[0] for a in doc.actions] == ["Refresh", "Publish"]
    assert [[m.text for m in a.owners] for a in doc.actions] == [["Head of Internal Audit"], ["Monitoring Officer"]]
    assert [[m.text for m in a.oversight] for a in doc.actions] == [["Audit and Standards Committee"],
                                                                    ["Standards Committee"]]
    assert [[m.text for m in a.due] for a in doc.actions] == [["June 2022"], ["September 2022"]]


def test_kind_is_read_from_the_bytes_not_the_name(tmp_path):
    (tmp_path / "looks-like.pdf").write_text("Action\tOwner\nDo it.\tChief Executive\n")
    assert kind_of(source(tmp_path / "looks-like.pdf")) == "text"
    make_docx(tmp_path / "really-word.txt")
    assert kind_of(source(tmp_path / "really-word.txt")) == "docx"


@pytest.mark.parametrize("name, content, message", [
    ("truncated.pdf", b"%PDF-1.7\n1 0 obj <<", "not a readable PDF"),
    ("notword.docx", b"PK\x03\x04word/ but not really a zip file", "not a readable Word"),
])
def test_damaged_documents(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError, match=message):
        load_file(path)


def test_encrypted_pdf(tmp_path):
    path = make_pdf(tmp_path / "locked.pdf", password="secret")
    with pytest.raises(LoadError, match="encrypted with a password"):
        load_file(path)


def test_empty_word_document(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(path)
    with pytest.raises(LoadError, match="the Word document has no text"):
        load_file(path)


def test_pdf_without_text(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(LoadError, match="no text layer"):
        load_file(tmp_path / "scan.pdf")
