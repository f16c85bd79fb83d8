"""A hostile-input corpus, generated here at test time, loaded in one `govgraph load` call beside a good file: the
good file loads; each bad one is refused with a message naming it and why, within a time and memory bound; the
store keeps nothing of the bad ones."""
from __future__ import annotations

import io
import json
import os
import resource
import shutil
import time
import zipfile

import pytest

from tests.conftest import SAMPLE_TRACKER

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE {root} [\n<!ENTITY l0 "lol">\n'
          + "\n".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10)) + "\n]>\n")


def _docx(document_xml: bytes, *, store=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", store) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.'
                         'org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="applic'
                         'ation/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        package.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def _pdf(*, encrypted: bool = False, text: bool = True) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if text:
        pdf.set_font("helvetica", size=12)
        pdf.cell(0, 10, "Action: review the constitution. Lead officer: Monitoring Officer. Due: March 2025.")
    else:
        pdf.rect(20, 20, 100, 60, style="F")  # a page with a picture of something and no text layer
    if encrypted:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    files = {
        "laughs.rdf": ((LAUGHS.format(root="rdf:RDF") + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax'
                        '-ns#" xmlns:e="http://example.org/"><rdf:Description rdf:about="http://example.org/a"><e:p>'
                        '&l9;</e:p></rdf:Description></rdf:RDF>').encode(), "entities made of other entities"),
        "laughs.docx": (_docx((LAUGHS.format(root="w:document") + '<w:document xmlns:w="http://schemas.openxmlformats'
                               '.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>'
                               '</w:body></w:document>').encode()), "declares a DOCTYPE or XML entities"),
        "bomb.docx": (_docx(b"<w:document>" + b" " * (250 * 1024 * 1024) + b"</w:document>"), "unpacks to"),
        "laughs.xlsx": (_docx(LAUGHS.format(root="workbook").encode() + b"<workbook>&l9;</workbook>"),
                        "declares a DOCTYPE or XML entities"),
        "encrypted.pdf": (_pdf(encrypted=True), "encrypted"),
        "scanned.pdf": (_pdf(text=False), "no text"),
        "nul.txt": (b"Action\tLead officer\n\x00\x00\x00 not text", "not recognised"),
        "long-line.txt": (b"Action: review the plan " * (50 * 1024 * 1024 // 24), "the limit is 10 million"),
        "nested.html": (b"<html><body>" + b"<div>" * 100_000 + b"Review the plan" + b"</div>" * 100_000
                        + b"</body></html>", "no recommendations or actions"),
        "wide.csv": ((",".join(f"Column {i}" for i in range(100_000)) + "\n"
                      + ",".join("x" for _ in range(100_000)) + "\n").encode(), ""),
    }
    expected = {}
    for name, (data, message) in files.items():
        (folder / name).write_bytes(data)
        expected[name] = message
    os.mkfifo(folder / "pipe.txt")
    expected["pipe.txt"] = "not a regular file"
    (folder / "zero.txt").symlink_to("/dev/zero")
    expected["zero.txt"] = "not a regular file"
    expected["gone.txt"] = "no such file"  # named, then gone before it is read
    good = folder / SAMPLE_TRACKER.name
    shutil.copy(SAMPLE_TRACKER, good)
    return folder, expected, good


def test_one_load_call_refuses_each_bad_file_and_loads_the_good_one(run_cli, store_dir, corpus):
    folder, expected, good = corpus
    paths = [str(folder / name) for name in expected] + [str(good)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    result = run_cli("load", *paths, "--store", str(store_dir), check=3)
    elapsed = time.monotonic() - started
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    assert f"1 of {len(paths)} file(s) loaded" in " ".join(result.stdout.split())
    errors = " ".join(result.stderr.split())
    for name, message in expected.items():
        assert f"{name}:" in errors, f"{name} was not refused"
        if message:
            assert message in errors.split(f"{name}:", 1)[1][:400], (name, errors.split(f"{name}:", 1)[1][:400])
    assert elapsed < 240, f"the hostile corpus took {elapsed:.0f} s"
    assert peak_mb < 1500, f"a process grew to {peak_mb:.0f} MB"
    listed = json.loads(run_cli("documents", "--format", "json", "--store", str(store_dir)).stdout)
    assert [d["source"] for d in listed] == [good.name]  # nothing of the bad files
