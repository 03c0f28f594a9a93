"""The cmi5 package against a real LRS: ralph (ralph-malph, file-system backend, basic auth) on a
loopback port. The test plays the LMS: it serves the unpacked package under an arbitrary path, a
one-time fetch URL that hands out a token the LRS accepts, and the State API (ralph has none) with
the LMS.LaunchData document put there before launch; statements go through to ralph. It sends the
"launched" statement, launches each kind of AU as a cmi5 LMS does, plays in Chromium (every
non-loopback request refused by the network: see conftest.proxied_browser) and reads back what ralph stored: the cmi5 statements in order, each
valid against ralph's pydantic xAPI model."""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest
from lxml import etree

from perfcomm.course import Course
from perfcomm.lms import make_package
from perfcomm.scenario import Dialogue
from perfcomm.scenario.explore import explore_once
from perfcomm.scenario.library import load_all

from conftest import guarded_page, paths_to_endings
from lms_harness import PREFIX, ROOT, unpack

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCENARIOS = {s.id: s for s in load_all(Course(ROOT), None)[0]}
NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
VERBS = "http://adlnet.gov/expapi/verbs/"
MASTERY = 0.7


# ralph's API under uvicorn. Its file-system LRS backend opens its one file with the CREATE
# operation, so the second POST fails ("already exists and overwrite is not allowed"): started here
# with APPEND as that backend's default, it keeps every statement, as an LRS must.
RALPH = """
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
import uvicorn
uvicorn.run("ralph.api:app", host="127.0.0.1", port={port}, log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    """A real LRS: ralph's API under uvicorn, statements in a file, one user with basic auth."""
    import bcrypt

    home = tmp_path_factory.mktemp("ralph")
    password = secrets.token_urlsafe(12)
    users = [{"username": "lms", "hash": bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode(),
              "scopes": ["all"], "agent": {"mbox": "mailto:lms@lms.example.com"}}]
    (home / "auth.json").write_text(json.dumps(users), encoding="utf-8")
    port = free_port()
    env = dict(os.environ, RALPH_RUNSERVER_BACKEND="fs", RALPH_AUTH_FILE=str(home / "auth.json"),
               RALPH_APP_DIR=str(home / "app"), RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(home / "data"))
    log = (home / "ralph.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", RALPH.format(port=port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    token = base64.b64encode(f"lms:{password}".encode()).decode()
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/__heartbeat__", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"ralph did not start: {(home / 'ralph.log').read_text()[-2000:]}")
            time.sleep(0.3)
    yield {"url": url, "token": token}
    server.terminate()
    server.wait(timeout=10)
    log.close()


def lrs(ralph, method, path, body=None, token=None):
    request = urllib.request.Request(f"{ralph['url']}/xAPI/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Basic {token or ralph['token']}",
                                              "X-Experience-API-Version": "1.0.3",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        data = reply.read()
        return reply.status, json.loads(data) if data else None


class Lms:
    """The LMS's side of a cmi5 launch, on one loopback server: the content, the fetch URL, the State
    API, and the Statement API passed through to ralph."""

    def __init__(self, ralph, packages):
        self.ralph, self.packages = ralph, packages
        self.states: dict = {}
        self.fetches: dict = {}          # fetch key -> True once handed out
        lms = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def translate_path(self, path):
                parts = urlparse(path).path.removeprefix(PREFIX + "/").split("/", 1)
                folder = lms.packages.get(parts[0])
                return str(folder / parts[1]) if folder and len(parts) == 2 else "/nonexistent"

            def reply(self, status, data=None):
                body = b"" if data is None else json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def body(self):
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def authorised(self):
                return self.headers.get("Authorization") == f"Basic {lms.ralph['token']}"

            def do_POST(self):
                url = urlparse(self.path)
                if url.path.startswith("/lms/fetch/"):
                    self.body()
                    key = url.path.rsplit("/", 1)[1]
                    if lms.fetches.get(key) is not False:
                        return self.reply(200, {"error-code": "1", "error-text": "already returned"})
                    lms.fetches[key] = True
                    return self.reply(200, {"auth-token": lms.ralph["token"]})
                if url.path == "/lms/xapi/statements":
                    return self.forward("POST")
                self.reply(404)

            def do_PUT(self):
                url = urlparse(self.path)
                if url.path == "/lms/xapi/activities/state":
                    if not self.authorised():
                        return self.reply(401)
                    lms.states[self.state_key(url)] = json.loads(self.body())
                    return self.reply(204)
                self.reply(404)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/lms/xapi/activities/state":
                    if not self.authorised():
                        return self.reply(401)
                    key = self.state_key(url)
                    if key[3] is None:           # no stateId: the ids of the documents kept
                        return self.reply(200, [k[3] for k in lms.states if k[:3] == key[:3]])
                    return self.reply(200, lms.states[key]) if key in lms.states else self.reply(404)
                return super().do_GET()

            def state_key(self, url):
                q = dict(parse_qsl(url.query))
                return (q["activityId"], json.dumps(json.loads(q["agent"]), sort_keys=True),
                        q.get("registration"), q.get("stateId"))

            def forward(self, method):
                data = self.body()
                request = urllib.request.Request(f"{lms.ralph['url']}/xAPI/statements", method=method, data=data,
                                                 headers={k: v for k, v in self.headers.items()
                                                          if k.lower() in ("authorization", "content-type",
                                                                           "x-experience-api-version")})
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        status, data = answer.status, answer.read()
                except urllib.error.HTTPError as err:
                    status, data = err.code, err.read()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def launch(self, lang: str, au_id: str, url: str, move_on: str, mastery=None, registration=None, activity=None):
        """What a cmi5 LMS does before it opens an AU: the launch data, the "launched" statement,
        the launch URL. A new session each time; the registration and the AU's activity id stay when
        the same learner launches the same AU again."""
        registration, session = registration or str(uuid.uuid4()), str(uuid.uuid4())
        actor = {"objectType": "Agent", "account": {"homePage": "https://lms.example.com", "name": "learner-17"}}
        activity = activity or f"https://lms.example.com/activities/{uuid.uuid4()}"
        template = {"contextActivities": {"grouping": [{"objectType": "Activity", "id": au_id}]},
                    "extensions": {f"{EXT}sessionid": session}}
        launch_data = {"contextTemplate": template, "launchMode": "Normal", "moveOn": move_on}
        if mastery is not None:
            launch_data["masteryScore"] = mastery
        key = (activity, json.dumps(actor, sort_keys=True), registration, "LMS.LaunchData")
        self.states[key] = launch_data
        extensions = {f"{EXT}sessionid": session, f"{EXT}launchmode": "Normal", f"{EXT}moveon": move_on,
                      f"{EXT}launchurl": f"{self.url}{PREFIX}/{lang}/{url}"}
        if mastery is not None:
            extensions[f"{EXT}masteryscore"] = mastery
        launched = {"id": str(uuid.uuid4()), "actor": actor, "verb": {"id": f"{VERBS}launched",
                                                                      "display": {"en-US": "launched"}},
                    "object": {"objectType": "Activity", "id": activity},
                    "timestamp": datetime.now(timezone.utc).isoformat(),
                    "context": {"registration": registration, "extensions": extensions,
                                "contextActivities": {"grouping": template["contextActivities"]["grouping"],
                                                      "category": [{"objectType": "Activity", "id": CMI5}]}}}
        assert lrs(self.ralph, "POST", "statements", [launched])[0] == 200
        fetch_key = secrets.token_urlsafe(8)
        self.fetches[fetch_key] = False
        query = urlencode({"endpoint": f"{self.url}/lms/xapi/", "fetch": f"{self.url}/lms/fetch/{fetch_key}",
                           "actor": json.dumps(actor), "registration": registration, "activityId": activity})
        return {"url": f"{self.url}{PREFIX}/{lang}/{url}?{query}", "registration": registration, "session": session,
                "activity": activity, "actor": actor, "au": au_id}

    def close(self):
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def packages(lms_site, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cmi5")
    out = {}
    for lang in ("zh", "en"):
        make_package("cmi5", lang, tmp / f"{lang}.zip", site=lms_site, course=Course(ROOT))
        out[lang] = unpack(tmp / f"{lang}.zip", tmp / lang)
    return out


@pytest.fixture(scope="module")
def lms(ralph, packages):
    server = Lms(ralph, packages)
    yield server
    server.close()


def course_structure(packages, lang) -> dict:
    """AU url -> (publisher id, moveOn, masteryScore) from the package's cmi5.xml."""
    tree = etree.parse(str(packages[lang] / "cmi5.xml"))
    return {au.findtext("c:url", namespaces=NS): (au.get("id"), au.get("moveOn"), au.get("masteryScore"))
            for au in tree.iterfind(".//c:au", NS)}


def stored(ralph, launch, wait_for="terminated") -> list[dict]:
    """The registration's statements as the LRS stored them, in timestamp order."""
    deadline = time.monotonic() + 20
    while True:
        _, data = lrs(ralph, "GET", f"statements?{urlencode({'registration': launch['registration'], 'limit': 500})}")
        statements = sorted(data["statements"], key=lambda s: s["timestamp"])
        if any(s["verb"]["id"] == VERBS + wait_for for s in statements) or time.monotonic() > deadline:
            return statements


def check_valid_and_in_context(statements, launch):
    from ralph.models.xapi.base.statements import BaseXapiStatement

    for statement in statements:
        BaseXapiStatement.model_validate(statement)       # the xAPI data model, as ralph's pydantic model has it
        context = statement["context"]
        assert context["registration"] == launch["registration"]
        assert context["extensions"][f"{EXT}sessionid"] == launch["session"]
        assert {"objectType": "Activity", "id": launch["au"]} in context["contextActivities"]["grouping"]
        assert statement["actor"] == launch["actor"]


def categories(statement) -> set:
    return {a["id"] for a in statement["context"]["contextActivities"].get("category", [])}


def verbs(statements) -> list[str]:
    return [s["verb"]["id"].removeprefix(VERBS) for s in statements]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scenario_au_sends_the_cmi5_statements_and_passes_at_the_mastery_score(proxied_browser, lms, ralph,
                                                                                   packages, lang):
    scenario = SCENARIOS["s2-shortcut-target"]
    explored = explore_once(scenario)
    url = f"{'' if lang == 'zh' else 'en/'}scenarios/{scenario.id}.lms.html"
    au_id, move_on, mastery = course_structure(packages, lang)[url]
    assert (move_on, float(mastery)) == ("CompletedAndPassed", MASTERY)
    launch = lms.launch(lang, au_id, url, move_on, MASTERY)
    tab = guarded_page(proxied_browser, intercept=False)
    tab.goto(launch["url"])
    player = tab.locator("[data-perfcomm-player]")
    expected = Dialogue(scenario, lang)
    for number in explored.best_path:
        player.locator(f'button[data-choice="{number}"]').click()
        expected.choose(number - 1)
    assert player.locator("[data-ending]").get_attribute("data-ending") == expected.state.node
    assert lms.fetches and all(lms.fetches.values())
    tab.goto("about:blank")                                     # the learner leaves: the AU terminates
    statements = stored(ralph, launch)
    picks = [e for e in expected.transcript if "choice" in e]
    assert verbs(statements) == ["launched", "initialized", *["answered"] * len(picks), "completed", "passed",
                                 "terminated"]
    check_valid_and_in_context(statements, launch)

    for statement in statements[1:]:
        if statement["verb"]["id"] != VERBS + "answered":
            assert statement["object"] == {"objectType": "Activity", "id": launch["activity"]}
            assert CMI5 in categories(statement)
    answered = [s for s in statements if s["verb"]["id"] == VERBS + "answered"]
    for statement, pick in zip(answered, picks):
        assert CMI5 not in categories(statement)                 # cmi5 allowed, not cmi5 defined
        assert statement["context"]["contextActivities"]["parent"] == [{"objectType": "Activity",
                                                                         "id": launch["activity"]}]
        definition = statement["object"]["definition"]
        assert definition["interactionType"] == "choice"
        assert pick["text"] in [c["description"][("zh-CN" if lang == "zh" else "en-US")]
                                for c in definition["choices"]]
        result = statement["result"]
        assert result["response"] == str(pick["choice"])
        extensions = result["extensions"]
        assert sorted(extensions.values(), key=len) == sorted([pick["meets"], pick["violates"]], key=len)
        assert result.get("success") == (False if pick["violates"] else True if pick["meets"] else None)
    completed, passed, terminated = statements[-3:]
    assert completed["result"]["completion"] is True and "score" not in completed["result"]
    assert MOVE_ON in categories(completed) and MOVE_ON in categories(passed)
    score = passed["result"]["score"]
    assert passed["result"]["success"] is True
    assert score["scaled"] == round(expected.score / explored.max_score, 4) >= MASTERY
    assert (score["raw"], score["min"], score["max"]) == (expected.score, 0, explored.max_score)
    assert passed["context"]["extensions"][f"{EXT}masteryscore"] == MASTERY
    assert terminated["result"]["duration"].startswith("PT") and MOVE_ON not in categories(terminated)
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()


def test_a_run_below_the_mastery_score_fails_when_the_session_ends_and_a_relaunch_resumes(proxied_browser, lms,
                                                                                            ralph, packages):
    scenario = SCENARIOS["s4-plan-slipping"]
    explored = explore_once(scenario)
    weak = min(paths_to_endings(scenario).values(), key=lambda p: _score(scenario, p))
    url = f"scenarios/{scenario.id}.lms.html"
    au_id, move_on, _ = course_structure(packages, "zh")[url]
    launch = lms.launch("zh", au_id, url, move_on, MASTERY)
    tab = guarded_page(proxied_browser, intercept=False)
    tab.goto(launch["url"])
    player = tab.locator("[data-perfcomm-player]")
    for number in weak:
        player.locator(f'button[data-choice="{number}"]').click()
    tab.goto("about:blank")
    statements = stored(ralph, launch)
    assert verbs(statements)[-3:] == ["completed", "failed", "terminated"]
    check_valid_and_in_context(statements, launch)
    failed = statements[-2]["result"]
    assert failed["success"] is False and failed["score"]["scaled"] < MASTERY
    assert failed["score"]["max"] == explored.max_score

    # Relaunched in the same registration (a new session, a new fetch URL): the run is where it was.
    again = lms.launch("zh", au_id, url, move_on, MASTERY, launch["registration"], launch["activity"])
    tab.goto(again["url"])
    assert player.locator("[data-ending]").get_attribute("data-ending") == _end(scenario, weak)
    tab.context.close()


def _score(scenario, path):
    d = Dialogue(scenario, "zh")
    for n in path:
        d.choose(n - 1)
    return d.score


def _end(scenario, path):
    d = Dialogue(scenario, "zh")
    for n in path:
        d.choose(n - 1)
    return d.state.node


def test_a_lesson_au_completes_at_the_end_of_its_page(proxied_browser, lms, ralph, packages):
    url = "en/lessons/03-appraisal-feedback.lms.html"
    au_id, move_on, mastery = course_structure(packages, "en")[url]
    assert (move_on, mastery) == ("Completed", None)
    launch = lms.launch("en", au_id, url, move_on)
    tab = guarded_page(proxied_browser, intercept=False)
    tab.goto(launch["url"])
    tab.locator("article h1").wait_for()
    tab.locator("[data-perfcomm-end]").scroll_into_view_if_needed()
    stored(ralph, launch, wait_for="completed")
    tab.goto("about:blank")
    statements = stored(ralph, launch)
    assert verbs(statements) == ["launched", "initialized", "completed", "terminated"]
    check_valid_and_in_context(statements, launch)
    assert statements[2]["result"] == {"completion": True, "duration": statements[2]["result"]["duration"]}
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()


def test_an_au_opened_from_the_file_system_plays_without_an_lms(browser, packages):
    """No launch parameters: a preview. The AU sends nothing and plays as on the site."""
    scenario = SCENARIOS["s1-raised-target"]
    path = next(iter(paths_to_endings(scenario).values()))
    tab = guarded_page(browser)
    tab.goto((packages["zh"] / "scenarios" / f"{scenario.id}.lms.html").as_uri())
    player = tab.locator("[data-perfcomm-player]")
    for number in path:
        player.locator(f'button[data-choice="{number}"]').click()
    assert player.locator("[data-ending]").get_attribute("data-ending") == _end(scenario, path)
    assert tab.errors == [] and tab.blocked == []
    tab.context.close()
