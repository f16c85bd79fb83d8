"""Loading documents from the browser, in real headless Chromium against a real ``govgraph serve`` with an upload
token: sign in, upload, check the reading, commit, find it among the documents, remove it; a forged form is refused;
the pages pass axe-core and fit a phone."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import ROOT
from tests.server.conftest import TOKEN
from tests.server.test_browser import browsing
from tests.server.test_uploads import KIRKLEES_GRAPH, contents

pytestmark = pytest.mark.browser
PLAN = ROOT / "samples" / "documents" / "leeds-2023-peer-challenge-action-plan.txt"


def sign_in(page) -> None:
    page.fill("#token", TOKEN)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.locator("input[type=file]").is_visible()


def read_document(page, path) -> None:
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Read it").click()


def figure(page, what: str) -> int:
    card = page.locator(".card").filter(has=page.locator(".what", has_text=what)).first
    return int(card.locator(".figure").inner_text())


def test_upload_check_commit_find_and_remove_a_document(desk, chromium, tmp_path):
    server = desk
    sample = shutil.copy(PLAN, tmp_path / PLAN.name)
    before = contents(server.store)
    with browsing(chromium, server.url + "/documents") as page:
        assert "Leeds" not in page.locator("table.documents").inner_text()
        page.get_by_role("link", name="Sign in").click()
        page.wait_for_load_state()
        sign_in(page)
        read_document(page, sample)
        assert page.title().startswith("Check before loading: leeds-2023-peer-challenge-action-plan.txt")
        assert (figure(page, "recommendations"), figure(page, "actions"), figure(page, "oversight bodies")) == (12, 27, 12)
        glance = page.locator("section.glance").inner_text()
        assert "Leeds City Council" in glance and "LGA Corporate Peer Challenge, November 2022" in glance
        assert "New" in glance
        assert page.locator("table.checks tbody tr").count() > 10
        page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
        assert contents(server.store) == before  # seen, not yet written

        with page.expect_navigation():
            page.get_by_role("button", name="Commit: load it").first.click()
        assert page.locator("p.done").inner_text().startswith("Loaded LGA Corporate Peer Challenge")
        row = page.locator("table.documents tr", has_text="leeds-2023-peer-challenge-action-plan.txt")
        assert row.locator("td.n").all_inner_texts()[:2] == ["12", "27"]
        page.screenshot(path=str(tmp_path / "documents.png"), full_page=True)

        row.get_by_role("link", name="Remove").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().startswith("Remove LGA Corporate Peer Challenge")
        with page.expect_navigation():
            page.get_by_role("button", name="Remove it").click()
        assert "Removed" in page.locator("p.done").inner_text()
        assert page.locator("table.documents tr", has_text="leeds-2023-peer-challenge-action-plan.txt").count() == 0
    assert contents(server.store) == before  # removed: the store is as it was before the load


def test_a_forged_form_without_the_security_token_is_refused(desk, chromium, tmp_path):
    server = desk
    before = contents(server.store)
    with browsing(chromium, server.url + "/upload") as page:
        sign_in(page)
        page.goto(server.url + "/documents")
        # a form like the remove form, but without the session's security token
        page.evaluate("""graph => {
            const form = document.createElement('form');
            form.method = 'post'; form.action = '/documents/remove';
            const field = document.createElement('input');
            field.type = 'hidden'; field.name = 'graph'; field.value = graph;
            form.appendChild(field); document.body.appendChild(form); form.submit();
        }""", KIRKLEES_GRAPH)
        page.wait_for_selector("h1:has-text('Refused')")
        assert "security token" in page.locator("p.error").inner_text()
        page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)
    assert contents(server.store) == before


def test_a_file_too_large_is_refused_with_the_limit(desk, chromium, tmp_path):
    server = desk
    big = tmp_path / "big-plan.txt"
    big.write_bytes(b"Action plan\n" + b"x" * 300_000)
    before = contents(server.store)
    with browsing(chromium, server.url + "/upload") as page:
        sign_in(page)
        read_document(page, big)
        assert page.locator("h1").inner_text() == "Too large"
        assert "0.2 MB" in page.locator("p.error").inner_text()
    assert contents(server.store) == before


def _signed_in_pages(server, chromium) -> tuple[list[str], list[dict]]:
    """The desk's pages as a signed-in person sees them (a preview waiting among them)."""
    page = chromium.new_page()
    try:
        page.goto(server.url + "/upload")
        sign_in(page)
        read_document(page, PLAN)
        preview = page.url.removeprefix(server.url)
        cookies = page.context.cookies()
    finally:
        page.close()
    return [preview, "/upload", "/documents", "/upload?replace=" + KIRKLEES_GRAPH,
            "/documents/remove?graph=" + KIRKLEES_GRAPH], cookies


def test_the_desk_pages_fit_a_phone_and_pass_axe(desk, chromium, tmp_path):
    from axe_playwright_python.sync_playwright import Axe

    server = desk
    paths, cookies = _signed_in_pages(server, chromium)
    for width in (390, 1280):
        context = chromium.new_context(viewport={"width": width, "height": 844})
        context.add_cookies(cookies)
        page = context.new_page()
        try:
            for path in paths:
                answer = page.goto(server.url + path)
                assert answer is not None and answer.status == 200, path
                page.screenshot(path=str(tmp_path / f"{path.strip('/').split('?')[0].replace('/', '-')}-{width}.png"),
                                full_page=True)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} too wide at {width}"
                if width == 1280:
                    violations = Axe().run(page).response["violations"]
                    assert violations == [], (path, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]])
                                                     for v in violations])
        finally:
            context.close()
