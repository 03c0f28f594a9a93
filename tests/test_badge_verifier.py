"""Certificates checked by an independent Open Badges 3.0 verifier — Digital Bazaar's Verifiable
Credentials libraries from npm (tests/verifier/verify.mjs), offline, with the files `perfcomm cert
publish` writes standing in for the issuer's web site — and, online, by both verifiers against
those files served over loopback HTTP."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from verifier.independent import verify_independently

from perfcomm.exam import badge
from perfcomm.exam import credentials as c
from perfcomm.players.words import words

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PERFCOMM = Path(sys.executable).parent / "perfcomm"
ENV = {**os.environ, "PERFCOMM_COURSE": str(ROOT)}
VERIFIER = ROOT / "tests" / "verifier" / "verify.mjs"
BASE = "https://hr.example.com/credentials/"


def run(*args, check=True):
    result = subprocess.run([str(PERFCOMM), *args], cwd=ROOT, capture_output=True, text=True, env=ENV)
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def sign_one(keys: Path, issuer: dict, name: str, score: str = "81%") -> dict:
    achievement = c.achievement(issuer, "certification", words("zh")["certificate"], words("en")["certificate"], 0.7)
    register = c.register(keys)
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    index = c.allocate(register, credential_id)
    c.save_register(keys, register)
    return c.sign(c.credential(issuer, name.split()[0], name, achievement, {"type": ["Result"], "value": score},
                               index, credential_id), keys)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """An issuer set up through the command line, three certificates (one revoked), the published
    files, and a baked badge for each certificate."""
    base = tmp_path_factory.mktemp("issuer")
    keys, out, published = base / "keys", base / "certs", base / "published"
    run("cert", "keygen", "--keys", str(keys), "--name", "示例科技有限公司人力资源部", "--base-url", BASE,
        "--url", "https://www.example.com", "--email", "hr@example.com")
    issuer = c.load_issuer(keys)
    out.mkdir()
    paths = {}
    for key, name in [("wang", "王芳"), ("li", "李娜 <b>&amp;]]>"), ("revoked", "Tom Smith")]:
        document = sign_one(keys, issuer, name)
        paths[key] = out / f"{key}.json"
        paths[key].write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        paths[key].with_suffix(".svg").write_text(badge.bake(badge.image(), document), encoding="utf-8")
    register = c.register(keys)
    revoked = json.loads(paths["revoked"].read_text(encoding="utf-8"))
    register["revoked"] = [int(revoked["credentialStatus"]["statusListIndex"])]
    c.save_register(keys, register)
    published.mkdir()
    run("cert", "publish", "--keys", str(keys), "--to", str(published))
    return keys, paths, published


def test_publish_writes_every_file_the_credentials_point_to(site):
    keys, paths, published = site
    listed = {p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()}
    assert listed == {"issuer.json", "issuer-key.json", "status-list.json", "achievements/certification.json",
                      "badge.svg"}
    document = json.loads(paths["wang"].read_text(encoding="utf-8"))
    achievement = document["credentialSubject"]["achievement"]
    for url in (document["issuer"]["id"], document["proof"]["verificationMethod"], achievement["id"],
                achievement["image"]["id"], document["credentialStatus"]["statusListCredential"]):
        assert url.startswith(BASE) and (published / url[len(BASE):]).is_file(), url
    assert "PRIVATE" not in "".join(p.read_text(encoding="utf-8") for p in published.rglob("*.json"))


def test_the_independent_verifier_accepts_our_certificates_and_baked_badges(site):
    _, paths, published = site
    files = [paths["wang"], paths["li"], paths["wang"].with_suffix(".svg"), paths["li"].with_suffix(".svg")]
    results = verify_independently(published, BASE, *files)
    assert [(r["verified"], r["revoked"]) for r in results] == [(True, False)] * 4, results


def _swap_key(document, keys_dir):
    c.keygen(keys_dir, "冒名机构", BASE)        # same issuer address, another key
    return c.sign(document, keys_dir)


@pytest.mark.parametrize("change", [
    lambda d, _: d["credentialSubject"].update(name="王方"),
    lambda d, _: d["credentialSubject"]["result"][0].update(value="100%"),
    lambda d, _: d.update(validFrom="2020-01-01T00:00:00Z"),
    lambda d, _: d["credentialSubject"]["achievement"].update(name="高级认证"),
    _swap_key,
], ids=["name", "score", "date", "achievement", "swapped-key"])
def test_the_independent_verifier_refuses_tampered_certificates(site, tmp_path, change):
    _, paths, published = site
    document = json.loads(paths["wang"].read_text(encoding="utf-8"))
    document = change(document, tmp_path / "other") or document
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    baked = tmp_path / "tampered.svg"
    baked.write_text(badge.bake(badge.image(), document), encoding="utf-8")
    for result in verify_independently(published, BASE, tampered, baked):
        assert result["verified"] is False, result
        assert any("signature" in e.lower() for e in result["errors"]), result
    assert run("cert", "verify", str(tampered), "--issuer", str(published / "issuer.json"),
               "--status", str(published / "status-list.json"), check=False).returncode == 1


def test_the_independent_verifier_reports_a_revoked_certificate(site):
    _, paths, published = site
    [result] = verify_independently(published, BASE, paths["revoked"])
    assert result["verified"] is True and result["revoked"] is True, result


def test_a_status_list_altered_after_signing_is_refused(site, tmp_path):
    _, paths, published = site
    copy = tmp_path / "published"
    shutil.copytree(published, copy)
    status = json.loads((copy / "status-list.json").read_text(encoding="utf-8"))
    fresh = c.status_list(c.load_issuer(site[0]), [], site[0])
    status["credentialSubject"]["encodedList"] = fresh["credentialSubject"]["encodedList"]   # un-revoke
    (copy / "status-list.json").write_text(json.dumps(status), encoding="utf-8")
    [result] = verify_independently(copy, BASE, paths["revoked"])
    assert result["verified"] is False and "not verified" in " ".join(result["errors"]), result


def test_a_did_web_issuer_is_accepted(tmp_path):
    keys, published = tmp_path / "keys", tmp_path / "published"
    run("cert", "keygen", "--keys", str(keys), "--name", "示例科技有限公司人力资源部", "--base-url", BASE,
        "--did-web")
    document = sign_one(keys, c.load_issuer(keys), "王芳")
    assert document["issuer"]["id"] == "did:web:hr.example.com:credentials"
    path = tmp_path / "wang.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    run("cert", "publish", "--keys", str(keys), "--to", str(published))
    assert (published / "did.json").is_file()
    [result] = verify_independently(published, BASE, path)
    assert (result["verified"], result["revoked"]) == (True, False), result
    assert run("cert", "verify", str(path), "--issuer", str(published / "did.json"),
               "--status", str(published / "status-list.json")).returncode == 0


@pytest.mark.parametrize("url, file", list(c.di.CONTEXT_FILES.items()), ids=["credentials-v2", "ob-3.0.3"])
def test_the_vendored_contexts_are_the_ones_the_verifier_loads(url, file):
    result = subprocess.run(["node", str(VERIFIER), "--dump-context", url], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    vendored = json.loads((ROOT / "src" / "perfcomm" / "exam" / "contexts" / file).read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == vendored


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_verifying_online_fetches_the_published_files(tmp_path):
    published = tmp_path / "site"
    published.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(published)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/credentials/"
        keys = tmp_path / "keys"
        run("cert", "keygen", "--keys", str(keys), "--name", "示例科技有限公司人力资源部", "--base-url", base)
        issuer = c.load_issuer(keys)
        document = sign_one(keys, issuer, "王芳")
        holder = tmp_path / "holder"
        holder.mkdir()
        path = holder / "wang.svg"
        path.write_text(badge.bake(badge.image(), document), encoding="utf-8")
        run("cert", "publish", "--keys", str(keys), "--to", str(published / "credentials"))
        valid = run("cert", "verify", str(path), "--online")
        assert "valid — 王芳" in valid.stdout and base + "issuer.json" in valid.stdout
        [result] = verify_independently(None, None, path)
        assert (result["verified"], result["revoked"]) == (True, False), result
        register = c.register(keys)
        register["revoked"] = [int(document["credentialStatus"]["statusListIndex"])]
        c.save_register(keys, register)
        run("cert", "publish", "--keys", str(keys), "--to", str(published / "credentials"))
        revoked = run("cert", "verify", str(path), "--online", check=False)
        assert revoked.returncode == 1 and "has been revoked" in revoked.stderr
        [result] = verify_independently(None, None, path)
        assert (result["verified"], result["revoked"]) == (True, True), result
        server.shutdown()
        server.server_close()
        gone = run("cert", "verify", str(path), "--online", check=False)
        assert gone.returncode == 1 and "cannot fetch" in gone.stderr
    finally:
        server.shutdown()
        server.server_close()
