"""Verifiable certificates in the shape of Open Badges 3.0: a W3C Verifiable Credential signed with
Ed25519 (a Data Integrity proof, cryptosuite eddsa-jcs-2022) through the `cryptography` package,
with revocation through a signed bitstring status list. The issuer's private key lives outside
the released material (the grader's key folder)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
KEY_FILE, ISSUER_FILE, STATUS_FILE = "issuer-key.pem", "issuer.json", "status-list.json"
STATUS_BITS = 16384
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ED25519_PREFIX = b"\xed\x01"


class VerifyError(Exception):
    pass


def b58encode(data: bytes) -> str:
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        out = _ALPHABET[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + _ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def canonical(data) -> bytes:
    """JSON canonical form (RFC 8785 for the strings, integers and objects used here)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _did(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "did:key:z" + b58encode(_ED25519_PREFIX + raw)


def _public_from_did(did: str) -> Ed25519PublicKey:
    if not did.startswith("did:key:z"):
        raise VerifyError(f"issuer '{did}' is not an Ed25519 did:key")
    raw = b58decode(did[len("did:key:z"):])
    if not raw.startswith(_ED25519_PREFIX):
        raise VerifyError("issuer key is not Ed25519")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def keygen(folder: Path, name: str) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    key_path = folder / KEY_FILE
    if key_path.exists():
        raise FileExistsError(f"{key_path} exists — an issuer keeps its key; remove it only to start over")
    private = Ed25519PrivateKey.generate()
    key_path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    key_path.chmod(0o600)
    issuer = {"id": _did(private.public_key()), "type": ["Profile"], "name": name}
    (folder / ISSUER_FILE).write_text(json.dumps(issuer, ensure_ascii=False, indent=1), encoding="utf-8")
    return issuer


def _private(folder: Path) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key((folder / KEY_FILE).read_bytes(), password=None)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(document: dict, key_folder: Path) -> dict:
    private = _private(key_folder)
    did = _did(private.public_key())
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": _now(),
             "verificationMethod": f"{did}#{did.split(':')[-1]}", "proofPurpose": "assertionMethod"}
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    digest = hashlib.sha256(canonical({**proof, "@context": unsigned.get("@context")})).digest() + \
        hashlib.sha256(canonical(unsigned)).digest()
    proof["proofValue"] = "z" + b58encode(private.sign(digest))
    return {**unsigned, "proof": proof}


def check_signature(document: dict, trusted_did: str) -> None:
    proof = dict(document.get("proof") or {})
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-jcs-2022":
        raise VerifyError("no Ed25519 Data Integrity proof")
    did = proof.get("verificationMethod", "").split("#")[0]
    issuer = document.get("issuer", {}).get("id") if isinstance(document.get("issuer"), dict) else None
    if did != trusted_did or (issuer is not None and issuer != trusted_did):
        raise VerifyError(f"signed by '{did or issuer}', not by the trusted issuer '{trusted_did}'")
    value = proof.pop("proofValue", "")
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    digest = hashlib.sha256(canonical({**proof, "@context": unsigned.get("@context")})).digest() + \
        hashlib.sha256(canonical(unsigned)).digest()
    try:
        _public_from_did(did).verify(b58decode(value[1:]), digest)
    except (InvalidSignature, ValueError) as err:
        raise VerifyError("the signature does not match: the file was altered or not issued by this issuer") from err


def credential(issuer: dict, candidate_id: str, candidate_name: str, achievement: dict, result: dict,
               status_index: int) -> dict:
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    return {
        "@context": CONTEXT,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": _now(),
        "name": achievement["name"],
        "credentialSubject": {"type": ["AchievementSubject"], "id": f"urn:perfcomm:candidate:{candidate_id}",
                              "name": candidate_name, "achievement": achievement, "result": [result]},
        "credentialStatus": {"id": f"{STATUS_FILE}#{status_index}", "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation", "statusListIndex": str(status_index),
                             "statusListCredential": STATUS_FILE},
    }


def _encode_bits(bits: bytearray) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def _decode_bits(text: str) -> bytearray:
    raw = text[1:] + "=" * (-len(text[1:]) % 4)
    return bytearray(gzip.decompress(base64.urlsafe_b64decode(raw)))


def status_list(issuer: dict, revoked: list[int], key_folder: Path) -> dict:
    bits = bytearray(STATUS_BITS // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    return sign({"@context": CONTEXT[:1], "id": STATUS_FILE, "type": ["VerifiableCredential",
                 "BitstringStatusListCredential"], "issuer": issuer, "validFrom": _now(),
                 "credentialSubject": {"type": "BitstringStatusList", "statusPurpose": "revocation",
                                       "encodedList": _encode_bits(bits)}}, key_folder)


def is_revoked(status: dict, index: int) -> bool:
    bits = _decode_bits(status["credentialSubject"]["encodedList"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def revoked_indices(status: dict) -> list[int]:
    bits = _decode_bits(status["credentialSubject"]["encodedList"])
    return [i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> (i % 8))]


def verify(path: Path, issuer_file: Path, status_file: Path) -> dict:
    """Check a credential file: signature, issuer key, revocation. Raises VerifyError saying why not."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise VerifyError(f"not a readable credential: {err}") from None
    if not isinstance(document, dict) or "OpenBadgeCredential" not in document.get("type", []):
        raise VerifyError("not an OpenBadgeCredential")
    trusted = json.loads(Path(issuer_file).read_text(encoding="utf-8"))["id"]
    check_signature(document, trusted)
    status = json.loads(Path(status_file).read_text(encoding="utf-8"))
    check_signature(status, trusted)
    index = int(document["credentialStatus"]["statusListIndex"])
    if is_revoked(status, index):
        raise VerifyError(f"credential {document['id']} has been revoked")
    return document
