"""Certificates: signed, verifiable, and any alteration, a foreign issuer or a revocation fails."""

from __future__ import annotations

import json

import pytest

from perfcomm.exam import credentials as c


@pytest.fixture()
def issued(tmp_path):
    keys = tmp_path / "keys"
    issuer = c.keygen(keys, "示例公司人力资源部")
    doc = c.sign(c.credential(issuer, "cand0001", "张伟", {"id": "urn:x", "type": ["Achievement"], "name": "认证"},
                              {"type": ["Result"], "value": "81%"}, 3), keys)
    out = tmp_path / "certs"
    out.mkdir()
    (out / "cand0001.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / c.ISSUER_FILE).write_text((keys / c.ISSUER_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    (out / c.STATUS_FILE).write_text(json.dumps(c.status_list(issuer, [], keys)), encoding="utf-8")
    return out / "cand0001.json", keys, issuer


def verify(path):
    return c.verify(path, path.parent / c.ISSUER_FILE, path.parent / c.STATUS_FILE)


def test_a_fresh_certificate_verifies_and_has_the_open_badges_shape(issued):
    path, _, issuer = issued
    doc = verify(path)
    assert "OpenBadgeCredential" in doc["type"] and doc["issuer"]["id"] == issuer["id"]
    assert doc["credentialSubject"]["achievement"]["type"] == ["Achievement"]
    assert doc["proof"]["cryptosuite"] == "eddsa-jcs-2022" and doc["proof"]["proofValue"].startswith("z")
    assert "PRIVATE" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("change", [
    lambda t: t.replace("张伟", "张玮"),
    lambda t: t.replace('"81%"', '"91%"'),
    lambda t: t.replace('"validFrom": "2', '"validFrom": "1'),
], ids=["name", "score", "date"])
def test_changing_one_field_fails(issued, change):
    path, _, _ = issued
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="signature does not match"):
        verify(path)


def test_changing_one_byte_fails(issued):
    path, _, _ = issued
    data = bytearray(path.read_bytes())
    position = data.index(b'"proofValue": "z') + 20
    data[position] = ord("A") if data[position] != ord("A") else ord("B")
    path.write_bytes(bytes(data))
    with pytest.raises(c.VerifyError):
        verify(path)


def test_a_certificate_signed_by_another_key_fails(issued, tmp_path):
    path, _, _ = issued
    other = c.keygen(tmp_path / "other", "冒名机构")
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["issuer"] = other
    path.write_text(json.dumps(c.sign(doc, tmp_path / "other")), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="not by the trusted issuer"):
        verify(path)


def test_a_revoked_certificate_fails(issued):
    path, keys, issuer = issued
    (path.parent / c.STATUS_FILE).write_text(json.dumps(c.status_list(issuer, [3], keys)), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="revoked"):
        verify(path)
    assert c.revoked_indices(json.loads((path.parent / c.STATUS_FILE).read_text())) == [3]


def test_an_unsigned_change_to_the_status_list_fails(issued):
    path, keys, issuer = issued
    status = c.status_list(issuer, [3], keys)
    status["credentialSubject"]["encodedList"] = c.status_list(issuer, [], keys)["credentialSubject"]["encodedList"]
    (path.parent / c.STATUS_FILE).write_text(json.dumps(status), encoding="utf-8")
    with pytest.raises(c.VerifyError, match="signature does not match"):
        verify(path)
