"""Certificates: Open Badges 3.0 credentials signed with eddsa-rdfc-2022 by the organisation's
profile, every address under HR's base URL; any alteration, a foreign key or issuer, a revocation
fails; the baked badge carries the same credential."""

from __future__ import annotations

import json

import pytest

from perfcomm.exam import badge
from perfcomm.exam import credentials as c
from perfcomm.players.words import words

BASE = "https://hr.example.com/credentials/"


def sign_one(keys, issuer, name="张伟", score="81%"):
    achievement = c.achievement(issuer, "certification", words("zh")["certificate"], words("en")["certificate"], 0.7)
    register = c.register(keys)
    credential_id = "urn:uuid:00000000-0000-4000-8000-000000000001"
    index = c.allocate(register, credential_id)
    c.save_register(keys, register)
    document = c.credential(issuer, "cand0001", name, achievement, {"type": ["Result"], "value": score}, index,
                            credential_id)
    return c.sign(document, keys), index


@pytest.fixture()
def issued(tmp_path):
    keys = tmp_path / "keys"
    issuer = c.keygen(keys, "示例公司人力资源部", BASE, "https://www.example.com", "hr@example.com")
    doc, index = sign_one(keys, issuer)
    out = tmp_path / "certs"
    out.mkdir()
    (out / "cand0001.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / c.ISSUER_FILE).write_text((keys / c.ISSUER_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    (out / c.STATUS_FILE).write_text(json.dumps(c.status_list(issuer, [], keys)), encoding="utf-8")
    return out / "cand0001.json", keys, issuer, index


def verify(path):
    return c.verify(path, path.parent / c.ISSUER_FILE, path.parent / c.STATUS_FILE)


def urls(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from urls(v)
    elif isinstance(value, list):
        for v in value:
            yield from urls(v)
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        yield value


def test_a_fresh_certificate_verifies_and_has_the_open_badges_shape(issued):
    path, _, issuer, _ = issued
    doc = verify(path)
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert "OpenBadgeCredential" in doc["type"] and doc["issuer"]["id"] == BASE + "issuer.json"
    assert doc["issuer"] == {"id": BASE + "issuer.json", "type": ["Profile"], "name": "示例公司人力资源部",
                             "url": "https://www.example.com", "email": "hr@example.com"}
    achievement = doc["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert {"name", "description", "criteria", "image"} <= achievement.keys()
    assert doc["proof"]["type"] == "DataIntegrityProof" and doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert doc["proof"]["proofValue"].startswith("z")
    assert doc["credentialStatus"]["statusListCredential"] == BASE + "status-list.json"
    addresses = {u for u in urls({**doc, "@context": None}) if u != "https://www.example.com"}
    assert addresses and all(u.startswith(BASE) for u in addresses), addresses
    assert "PRIVATE" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("change", [
    lambda t: t.replace("张伟", "张玮"),
    lambda t: t.replace('"81%"', '"91%"'),
    lambda t: t.replace('"validFrom": "2', '"validFrom": "1'),
    lambda t: t.replace("示例公司人力资源部", "冒名机构", 1),
], ids=["name", "score", "date", "issuer-name"])
def test_changing_one_field_fails(issued, change):
    path, *_ = issued
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="signature does not match"):
        verify(path)


def test_changing_one_byte_fails(issued):
    path, *_ = issued
    data = bytearray(path.read_bytes())
    position = data.index(b'"proofValue": "z') + 20
    data[position] = ord("A") if data[position] != ord("A") else ord("B")
    path.write_bytes(bytes(data))
    with pytest.raises(c.VerifyError):
        verify(path)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["credentialSubject"].update(grade="A+"), "contexts do not define"),
    (lambda d: d["credentialSubject"].update({"@context": {"name": "https://evil.example/name"}}),
     "redefine a protected term"),
    (lambda d: d.update({"@context": [*d["@context"], {"@vocab": "https://evil.example/"}]}), "@context must be"),
], ids=["undefined-field", "inline-context", "extra-context"])
def test_json_ld_tricks_that_leave_the_signed_data_alone_are_refused(issued, change, message):
    path, *_ = issued
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(c.VerifyError, match=message):
        verify(path)


def test_a_certificate_from_another_issuer_fails(issued, tmp_path):
    path, *_ = issued
    other = c.keygen(tmp_path / "other", "冒名机构", "https://forger.example/")
    doc, _ = sign_one(tmp_path / "other", other)
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="not by the trusted issuer"):
        verify(path)


def test_a_certificate_signed_with_a_swapped_key_fails(issued, tmp_path):
    """Same issuer and key address in the file, but signed with another key."""
    path, _, issuer, _ = issued
    c.keygen(tmp_path / "other", "冒名机构", BASE)
    doc = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(c.sign(doc, tmp_path / "other")), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="signature does not match"):
        verify(path)


def test_a_revoked_certificate_fails(issued):
    path, keys, issuer, index = issued
    (path.parent / c.STATUS_FILE).write_text(json.dumps(c.status_list(issuer, [index], keys)), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="revoked"):
        verify(path)
    assert c.revoked_indices(json.loads((path.parent / c.STATUS_FILE).read_text())) == [index]


def test_an_unsigned_change_to_the_status_list_fails(issued):
    path, keys, issuer, index = issued
    status = c.status_list(issuer, [index], keys)
    status["credentialSubject"]["encodedList"] = c.status_list(issuer, [], keys)["credentialSubject"]["encodedList"]
    (path.parent / c.STATUS_FILE).write_text(json.dumps(status), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="signature does not match"):
        verify(path)


def test_a_status_list_from_another_issuer_fails(issued, tmp_path):
    path, *_ = issued
    other = c.keygen(tmp_path / "other", "冒名机构", "https://forger.example/")
    (path.parent / c.STATUS_FILE).write_text(json.dumps(c.status_list(other, [], tmp_path / "other")))
    with pytest.raises(c.VerifyError, match="not by the trusted issuer"):
        verify(path)


def test_the_baked_badge_carries_the_credential_and_verifies(issued):
    path, keys, issuer, _ = issued
    doc, _ = sign_one(keys, issuer, name="王芳 ]]> <script>alert(1)</script>")
    svg = badge.bake(badge.image(), doc)
    assert svg.count("<openbadges:credential>") == 1
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    assert svg.index("<openbadges:credential>") < svg.index("<title>")    # directly after the <svg> tag
    assert "<script>" not in svg
    baked = path.with_suffix(".svg")
    baked.write_text(svg, encoding="utf-8")
    assert badge.extract(svg.encode()) == doc
    assert verify(baked)["credentialSubject"]["name"] == "王芳 ]]> <script>alert(1)</script>"
    tampered = path.with_name("tampered.svg")
    tampered.write_text(svg.replace("王芳", "王方"), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="signature does not match"):
        verify(tampered)


@pytest.mark.parametrize("content, message", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "no credential baked in"),
    (b"<svg", "not a readable SVG badge"),
    (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "not a readable SVG badge"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
     b'<o:credential verify="a.b.c"/></svg>', "VC-JWT"),
], ids=["plain-image", "broken-xml", "entities", "jwt"])
def test_an_image_without_a_usable_credential_is_reported(tmp_path, content, message):
    path = tmp_path / "badge.svg"
    path.write_bytes(content)
    with pytest.raises(c.VerifyError, match=message):
        c.load_credential(path)


@pytest.mark.parametrize("base, message", [
    ("hr.example.com/credentials", "not an absolute web address"),
    ("http://hr.example.com/credentials/", "must use https"),
    ("https://hr.example.com/credentials/?x=1", "query or a fragment"),
], ids=["no-scheme", "plain-http", "query"])
def test_a_base_url_that_cannot_host_the_files_is_refused(tmp_path, base, message):
    with pytest.raises(c.IssuerError, match=message):
        c.keygen(tmp_path / "keys", "示例公司人力资源部", base)
    assert not (tmp_path / "keys" / c.KEY_FILE).exists()


def test_the_base_url_is_set_once(tmp_path):
    keys = tmp_path / "keys"
    c.keygen(keys, "示例公司人力资源部")
    with pytest.raises(c.IssuerError, match="no base URL yet"):
        c.load_issuer(keys)
    issuer = c.update_profile(keys, base="https://hr.example.com/credentials", email="hr@example.com")
    assert issuer["id"] == BASE + "issuer.json" and issuer["email"] == "hr@example.com"
    assert c.update_profile(keys, name="示例公司 HR")["name"] == "示例公司 HR"
    with pytest.raises(c.IssuerError, match="cannot change"):
        c.update_profile(keys, base="https://elsewhere.example/")


def test_a_did_web_issuer_is_made_from_the_base_url(tmp_path):
    issuer = c.keygen(tmp_path / "keys", "示例公司人力资源部", "https://hr.example.com:8443/cert%20s/", use_did_web=True)
    assert issuer["id"] == "did:web:hr.example.com%3A8443:cert%20s"
    assert issuer["assertionMethod"] == [issuer["id"] + "#key-1"]
    assert c.settings(issuer)["base"] == "https://hr.example.com:8443/cert s/"
    assert c.did_document_path("https://hr.example.com/") == ".well-known/did.json"
