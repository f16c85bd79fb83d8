"""The upload pages over a real ``govgraph serve``, through httpx as a browser would use them: signing in with the
token, the security token of every form, reading a document before it is written, committing, discarding,
replacing and removing; and every refusal leaves the store as it was. Then the sessions and the waiting readings
on their own."""
from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, LiveServer
from tests.server.conftest import KIRKLEES, TOKEN

PLAN = ROOT / "samples" / "documents" / "leeds-2023-peer-challenge-action-plan.txt"
PLAN_GRAPH = "https://w3id.org/govgraph/id/document/leeds-2023-peer-challenge-action-plan"
KIRKLEES_GRAPH = "https://w3id.org/govgraph/id/document/kirklees-2020-peer-challenge-action-plan"


def contents(store: Path) -> set[str]:
    """Every quad of the on-disk store, read beside the server (which holds no lock between writes)."""
    from govgraph.queries.store import open_store

    db = open_store(store, read_only=True)
    try:
        return {str(q) for q in db.inner.quads_for_pattern(None, None, None, None)}
    finally:
        db.close()


def browser(server) -> httpx.Client:
    """A client that sends what a browser sends with a form of the server's own page (its Origin)."""
    return httpx.Client(base_url=server.url, headers={"Origin": server.url}, timeout=120)


def csrf(page: httpx.Response) -> str:
    found = re.findall(r'name="csrf" value="([^"]+)"', page.text)
    assert found and len(set(found)) == 1, page.text
    return found[0]


def signed_in(server) -> tuple[httpx.Client, str]:
    client = browser(server)
    answer = client.post("/upload/sign-in", data={"token": TOKEN})
    assert answer.status_code == 303 and answer.headers["location"] == "/upload"
    return client, csrf(client.get("/upload"))


def upload(client: httpx.Client, token: str, path: Path, *, name: str | None = None, content: bytes | None = None,
           **fields) -> httpx.Response:
    return client.post("/upload", data={"csrf": token, **fields},
                       files={"file": (name or path.name, path.read_bytes() if content is None else content)})


def test_signing_in_gives_a_strict_http_only_cookie_and_a_wrong_token_is_refused(desk):
    with browser(desk) as client:
        page = client.get("/upload")
        assert page.status_code == 200 and 'type="password"' in page.text and 'name="csrf"' not in page.text
        wrong = client.post("/upload/sign-in", data={"token": "guess"})
        assert wrong.status_code == 403 and "not the upload token" in wrong.text and "set-cookie" not in wrong.headers
        assert 'name="csrf"' not in client.get("/upload").text  # still signed out
        # the token travels in the form's body only, and is answered with a session cookie
        right = client.post("/upload/sign-in", data={"token": TOKEN})
        cookie = right.headers["set-cookie"]
        assert right.status_code == 303 and TOKEN not in cookie and TOKEN not in right.headers["location"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        assert 'name="csrf"' in client.get("/upload").text and 'type="file"' in client.get("/upload").text
    with httpx.Client(base_url=desk.url, headers={"Origin": "https://elsewhere.example"}) as other_site:
        assert other_site.post("/upload/sign-in", data={"token": TOKEN}).status_code == 403


def test_a_document_is_shown_before_it_is_written_then_committed(desk):
    client, token = signed_in(desk)
    before = contents(desk.store)
    answer = upload(client, token, PLAN)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/upload/preview/")
    preview = client.get(answer.headers["location"])
    assert preview.status_code == 200
    text = re.sub(r"<[^>]+>", " ", preview.text)
    assert "Leeds City Council" in text and "LGA Corporate Peer Challenge, November 2022" in text
    figures = dict((what.strip(), int(n)) for n, what in re.findall(
        r'<div class="figure">(\d+)</div><div class="what">([^<]+)</div>', preview.text))
    assert figures == {"recommendations": 12, "actions": 27, "actions naming an accountable officer": 27,
                       "actions with an oversight body": 27, "actions with a readable due date": 26,
                       "officer posts (owners)": 10, "oversight bodies": 12}
    assert re.search(r"Readings to check \((\d+)\)", text) and "leeds-2023-peer-challenge-action-plan.txt:9" in text
    assert "Refused (0)" in text and "New" in text
    assert contents(desk.store) == before  # read, not written

    committed = client.post(answer.headers["location"] + "/commit", data={"csrf": token})
    assert committed.status_code == 303 and committed.headers["location"] == f"/documents?loaded={PLAN_GRAPH}"
    listing = client.get(committed.headers["location"])
    assert "Loaded" in listing.text and "LGA Corporate Peer Challenge – Initial Action Plan" in listing.text
    row = re.search(r"<tr>\s*<td><a href=\"/id/document/leeds-2023-peer-challenge-action-plan\">.*?</tr>",
                    listing.text, re.S)[0]
    assert [int(n) for n in re.findall(r'<td class="n">([\d,]+)</td>', row)[:2]] == [12, 27]
    after = contents(desk.store)
    assert any(PLAN_GRAPH in q for q in after - before)
    # the same reading cannot be committed twice
    assert client.post(answer.headers["location"] + "/commit", data={"csrf": token}).status_code == 410

    # uploaded again: the preview says what it replaces; discarded, nothing changes
    again = upload(client, token, PLAN)
    page = client.get(again.headers["location"])
    assert "Replaces" in page.text and "Commit: replace the document" in page.text
    assert client.post(again.headers["location"] + "/discard", data={"csrf": token}).status_code == 303
    assert client.get(again.headers["location"]).status_code == 410
    assert contents(desk.store) == after

    # removed after the confirmation step; a removal without the form's token is refused
    confirm = client.get("/documents/remove", params={"graph": PLAN_GRAPH})
    assert confirm.status_code == 200 and "12 recommendations, 27 actions" in confirm.text
    forged = client.post("/documents/remove", data={"graph": PLAN_GRAPH})
    assert forged.status_code == 403 and "nothing was done" in forged.text
    assert contents(desk.store) == after
    removed = client.post("/documents/remove", data={"graph": PLAN_GRAPH, "csrf": csrf(confirm)})
    assert removed.status_code == 303
    assert PLAN_GRAPH not in client.get("/documents").text
    assert not any(PLAN_GRAPH in q for q in contents(desk.store))


def test_replace_puts_the_new_version_in_the_old_documents_place_whatever_its_name(desk):
    client, token = signed_in(desk)
    page = client.get("/upload", params={"replace": KIRKLEES_GRAPH})
    assert "Replacing" in page.text and f'name="replace" value="{KIRKLEES_GRAPH}"' in page.text
    answer = upload(client, token, KIRKLEES, name="kirklees-plan-version-2.txt", replace=KIRKLEES_GRAPH)
    preview = client.get(answer.headers["location"])
    assert "Replaces" in preview.text and "Corporate Peer Challenge: Draft Action Plan" in preview.text
    assert client.post(answer.headers["location"] + "/commit", data={"csrf": token}).status_code == 303
    listing = client.get("/documents").text
    assert "kirklees-plan-version-2.txt" in listing and "kirklees-2020-peer-challenge-action-plan.txt" not in listing
    assert 'href="/id/document/kirklees-plan-version-2"' not in listing  # no second document


def test_every_refusal_says_what_and_where_and_leaves_the_store_as_it_was(desk):
    client, token = signed_in(desk)
    before = contents(desk.store)

    unreadable = upload(client, token, PLAN, name="broken.pdf", content=b"%PDF-1.7 this is not a PDF\x00\xff" * 40)
    assert unreadable.status_code == 422 and "broken.pdf" in unreadable.text and "Nothing was written" in unreadable.text
    wrong_type = upload(client, token, PLAN, name="program.exe", content=bytes(range(256)) * 8)
    assert wrong_type.status_code == 422 and "program.exe" in wrong_type.text
    too_big = upload(client, token, PLAN, name="big.txt", content=b"x" * 300_000)
    assert too_big.status_code == 413 and "GOVGRAPH_MAX_UPLOAD_MB" in too_big.text and "0.2 MB" in too_big.text
    no_file = client.post("/upload", data={"csrf": token}, files={"other": ("x", b"")})
    assert no_file.status_code == 400 and "Choose a file" in no_file.text
    forged = client.post("/upload", data={"csrf": "forged"}, files={"file": (PLAN.name, PLAN.read_bytes())})
    assert forged.status_code == 403 and "security token" in forged.text
    no_token = client.post("/upload", files={"file": (PLAN.name, PLAN.read_bytes())})
    assert no_token.status_code == 403
    with httpx.Client(base_url=desk.url, cookies=client.cookies, headers={"Origin": "https://elsewhere.example"}) as other:
        cross_site = other.post("/upload", data={"csrf": token}, files={"file": (PLAN.name, PLAN.read_bytes())})
        assert cross_site.status_code == 403
    with browser(desk) as stranger:  # not signed in
        assert upload(stranger, token, PLAN).status_code == 401
        assert stranger.post("/documents/remove", data={"graph": KIRKLEES_GRAPH, "csrf": token}).status_code == 401
        assert stranger.get("/upload/preview/anything").status_code == 401
    for answer in (unreadable, wrong_type, too_big, forged):
        assert answer.headers["content-type"].startswith("text/html") and '<p class="error" role="alert">' in answer.text

    # a preview belongs to the session that read it; an unknown one is gone
    waiting = upload(client, token, PLAN)
    other_client, other_token = signed_in(desk)
    assert other_client.get(waiting.headers["location"]).status_code == 410
    assert other_client.post(waiting.headers["location"] + "/commit", data={"csrf": other_token}).status_code == 410
    assert client.get("/upload/preview/not-a-preview").status_code == 410
    # a session's token does not work for another session
    assert other_client.post(waiting.headers["location"] + "/commit", data={"csrf": token}).status_code == 403
    assert client.post(waiting.headers["location"] + "/discard", data={"csrf": token}).status_code == 303
    assert client.post("/documents/remove", data={"graph": "https://example.org/not-a-document",
                                                  "csrf": token}).status_code == 404
    assert contents(desk.store) == before


def test_a_preview_expires(tmp_path):
    server = LiveServer(tmp_path / "store", env={"GOVGRAPH_UPLOAD_TOKEN": TOKEN,
                                                 "GOVGRAPH_UPLOAD_PREVIEW_MINUTES": "0.02"})
    try:
        client, token = signed_in(server)
        before = contents(tmp_path / "store")
        waiting = upload(client, token, PLAN)
        assert client.get(waiting.headers["location"]).status_code == 200
        time.sleep(1.5)
        late = client.post(waiting.headers["location"] + "/commit", data={"csrf": token})
        assert late.status_code == 410 and "Upload the file again" in late.text and "0.02 minutes" in late.text
        assert contents(tmp_path / "store") == before
    finally:
        server.stop()


def test_without_a_token_the_pages_say_how_to_turn_uploads_on(tmp_path):
    server = LiveServer(tmp_path / "store")
    try:
        with browser(server) as client:
            page = client.get("/upload")
            assert page.status_code == 200 and "Uploads are off" in page.text and "GOVGRAPH_UPLOAD_TOKEN" in page.text
            assert "Uploads are off" in client.get("/documents").text
            assert client.post("/upload/sign-in", data={"token": ""}).status_code == 403
            assert client.post("/upload", files={"file": (PLAN.name, PLAN.read_bytes())}).status_code == 403
    finally:
        server.stop()


# --- the parts on their own -------------------------------------------------------------------------------------------

def test_a_session_cookie_cannot_be_forged_or_outlive_its_token_or_its_time():
    from govgraph.server.sessions import UploadSessions

    sessions = UploadSessions("one")
    cookie = sessions.issue()
    session = sessions.read(cookie)
    assert session is not None and sessions.csrf_matches(session, session.csrf)
    number, issued, signature = cookie.split(".")
    assert sessions.read(f"{number}.{int(issued) + 1}.{signature}") is None  # a changed time breaks the signature
    assert sessions.read(f"other.{issued}.{signature}") is None
    assert UploadSessions("two").read(cookie) is None  # another token (or a restart): every session ends
    assert UploadSessions(None).read(cookie) is None and not UploadSessions("").enabled
    short = UploadSessions("one", lifetime_s=-1)
    assert short.read(short.issue()) is None
    assert not sessions.csrf_matches(session, "") and not sessions.csrf_matches(session, None)
    assert sessions.read(sessions.issue()).csrf != session.csrf  # each session its own form token


def test_wrong_tokens_are_limited_per_address():
    from govgraph.server.sessions import FAILURES_PER_MINUTE, UploadSessions

    sessions = UploadSessions("one")
    for _ in range(FAILURES_PER_MINUTE):
        assert sessions.may_try("10.0.0.1")
        sessions.failed("10.0.0.1")
    assert not sessions.may_try("10.0.0.1") and sessions.may_try("10.0.0.2")


def _reading(triples: int):
    from pyoxigraph import Literal, NamedNode, Triple

    from govgraph.loaders import LoadedDocument
    from govgraph.server.previews import Preview

    g = NamedNode("https://w3id.org/govgraph/id/document/t")
    return Preview(name="t.txt", size=1, loaded=LoadedDocument(
        path=Path("t.txt"), loader="document", graph=g,
        triples=[Triple(g, NamedNode("https://example.org/p"), Literal(str(i))) for i in range(triples)]))


def test_waiting_readings_are_bounded_in_number_size_and_time_and_kept_for_their_session():
    from govgraph.server.previews import PendingPreviews, PreviewTooLarge

    pending = PendingPreviews(most=2, triples=10, minutes=30)
    first, second = pending.keep(_reading(3), "a"), pending.keep(_reading(3), "a")
    assert len(first.id) >= 32 and first.id != second.id
    assert pending.get(first.id, "b") is None and pending.get(first.id, "a") is first
    third = pending.keep(_reading(3), "a")  # a third: the oldest goes
    assert pending.get(first.id, "a") is None and pending.get(second.id, "a") is second
    pending.keep(_reading(8), "a")  # 3 + 3 + 8 > 10: both others go
    assert pending.get(second.id, "a") is None and pending.get(third.id, "a") is None and len(pending) == 1
    with pytest.raises(PreviewTooLarge, match="GOVGRAPH_UPLOAD_PREVIEW_TRIPLES"):
        pending.keep(_reading(11), "a")
    taken = pending.keep(_reading(1), "a")
    assert pending.take(taken.id, "a") is taken and pending.take(taken.id, "a") is None
    expiring = PendingPreviews(most=2, triples=10, minutes=0.0001)
    gone = expiring.keep(_reading(1), "a")
    time.sleep(0.02)
    assert expiring.get(gone.id, "a") is None
