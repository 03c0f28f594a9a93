"""Open Badges 3.0 certificates: W3C Verifiable Credentials with an embedded Data Integrity proof
(eddsa-rdfc-2022, see dataintegrity.py), issued by the organisation's profile, revocable through a
signed Bitstring Status List. Every URL in a credential lies under the base URL HR sets, where
`perfcomm cert publish` output is hosted. The issuer's private key and its status register stay in
the key folder, outside any released material."""

from __future__ import annotations

import base64
import gzip
import json
import secrets
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import dataintegrity as di

VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
CONTEXT = [VC2, OB3]
KEY_FILE, ISSUER_FILE, STATUS_FILE = "issuer-key.pem", "issuer.json", "status-list.json"
KEY_DOC, REGISTER_FILE, BADGE_FILE = "issuer-key.json", "status-register.json", "badge.svg"
STATUS_BITS = 131072          # the Bitstring Status List minimum (16 KB), so one index tells nothing
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class VerifyError(Exception):
    pass


class IssuerError(Exception):
    """The issuer's settings cannot be used as they are; the message says what to change."""


# -- the issuer ----------------------------------------------------------------------------------

def base_url(text: str) -> str:
    """The base URL every published file lives under: absolute https (http only on this machine)."""
    parts = urlsplit(str(text).strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise IssuerError(f"base URL '{text}' is not an absolute web address — give one like "
                          "https://hr.example.com/credentials/")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise IssuerError(f"base URL '{text}' must use https (http is accepted only for 127.0.0.1)")
    if parts.query or parts.fragment:
        raise IssuerError(f"base URL '{text}' must not have a query or a fragment")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def did_web(base: str) -> str:
    parts = urlsplit(base)
    if parts.scheme != "https":
        raise IssuerError("a did:web issuer needs an https base URL")
    segments = [quote(unquote(s), safe="") for s in parts.path.strip("/").split("/") if s]
    return ":".join(["did:web", quote(parts.netloc, safe="")] + segments)


def did_document_path(base: str) -> str:
    """Where did:web resolution looks for the DID document, relative to the base URL."""
    return "did.json" if urlsplit(base).path.strip("/") else ".well-known/did.json"


def settings(issuer: dict) -> dict:
    """HR's settings read back from an issuer document: name, url, email, base, did_web."""
    ident = issuer.get("id") or ""
    if ident.startswith("did:web:"):
        host, *path = ident[len("did:web:"):].split(":")
        base = f"https://{unquote(host)}/" + "".join(unquote(p) + "/" for p in path)
    elif ident.endswith("/" + ISSUER_FILE):
        base = ident[: -len(ISSUER_FILE)]
    else:
        base = None
    return {"name": issuer.get("name"), "url": issuer.get("url"), "email": issuer.get("email"),
            "base": base, "did_web": ident.startswith("did:web:")}


def _private(folder: Path) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key((Path(folder) / KEY_FILE).read_bytes(), password=None)


def issuer_document(name: str, public_multikey: str, base: str | None, url: str | None = None,
                    email: str | None = None, use_did_web: bool = False) -> dict:
    """The issuer's profile (Open Badges `Profile`) and, in the same document, the key it signs
    with: what `issuer.json` holds and what is published at <base>/issuer.json."""
    document = {"@context": [DID_V1, MULTIKEY_V1, *CONTEXT], "type": ["Profile"], "name": name}
    if url:
        document["url"] = url
    if email:
        document["email"] = email
    if base is None:
        return {**document, "publicKeyMultibase": public_multikey}
    ident = did_web(base) if use_did_web else base + ISSUER_FILE
    method = f"{ident}#key-1" if use_did_web else base + KEY_DOC
    return {"@context": document["@context"], "id": ident, **{k: v for k, v in document.items() if k != "@context"},
            "verificationMethod": [{"id": method, "type": "Multikey", "controller": ident,
                                    "publicKeyMultibase": public_multikey}],
            "assertionMethod": [method]}


def keygen(folder: Path, name: str, base: str | None = None, url: str | None = None,
           email: str | None = None, use_did_web: bool = False) -> dict:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key_path = folder / KEY_FILE
    if key_path.exists():
        raise FileExistsError(f"{key_path} exists — an issuer keeps its key; remove it only to start over")
    base = base_url(base) if base else None
    if use_did_web and not base:
        raise IssuerError("--did-web needs --base-url: the DID is made from it")
    private = Ed25519PrivateKey.generate()
    issuer = issuer_document(name, di.multikey(private.public_key()), base, url, email, use_did_web)
    key_path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    key_path.chmod(0o600)
    _write(folder / ISSUER_FILE, issuer)
    return issuer


def update_profile(folder: Path, name=None, url=None, email=None, base=None, use_did_web=None) -> dict:
    """Change the issuer's settings. The base URL (and did:web) can be set once: certificates
    already issued point there."""
    folder = Path(folder)
    current = settings(load_issuer(folder, need_base=False))
    if base is not None and current["base"] and base_url(base) != current["base"]:
        raise IssuerError(f"the base URL is already {current['base']}: certificates issued so far point there, "
                          "so it cannot change — keep publishing at that address")
    if use_did_web is not None and current["base"] and use_did_web != current["did_web"]:
        raise IssuerError("did:web is chosen with the base URL and cannot change afterwards")
    new_base = base_url(base) if base is not None else current["base"]
    issuer = issuer_document(name or current["name"], di.multikey(_private(folder).public_key()), new_base,
                             current["url"] if url is None else url, current["email"] if email is None else email,
                             current["did_web"] if use_did_web is None else use_did_web)
    _write(folder / ISSUER_FILE, issuer)
    return issuer


def load_issuer(folder: Path, need_base: bool = True) -> dict:
    path = Path(folder) / ISSUER_FILE
    issuer = json.loads(path.read_text(encoding="utf-8"))
    if need_base and not settings(issuer)["base"]:
        raise IssuerError(f"{path}: the issuer has no base URL yet — set the address where the certificates' "
                          f"files will be published: perfcomm cert profile --keys {folder} --base-url https://…/")
    return issuer


def profile(issuer: dict) -> dict:
    """The issuer as embedded in a credential: the Open Badges Profile, without key material."""
    return {k: issuer[k] for k in ("id", "type", "name", "url", "email") if k in issuer}


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(document: dict, key_folder: Path) -> dict:
    issuer = load_issuer(key_folder)
    return di.sign(document, _private(key_folder), issuer["assertionMethod"][0], _now())


# -- what is published -----------------------------------------------------------------------------

def key_document(issuer: dict) -> dict:
    """The key alone, at its own URL (a URL-keyed issuer): what a verifier fetches for the proof."""
    method = issuer["verificationMethod"][0]
    return {"@context": MULTIKEY_V1, **method}


def did_document(issuer: dict) -> dict:
    return {"@context": [DID_V1, MULTIKEY_V1], "id": issuer["id"],
            "verificationMethod": issuer["verificationMethod"], "assertionMethod": issuer["assertionMethod"]}


def achievement(issuer: dict, name: str, words_zh: dict, words_en: dict, pass_mark: float) -> dict:
    base = settings(issuer)["base"]
    return {"id": f"{base}achievements/{name}.json", "type": ["Achievement"],
            "name": f"{words_zh['achievement']} / {words_en['achievement']}",
            "description": f"{words_zh['description']} / {words_en['description']}",
            "criteria": {"narrative": f"{words_zh['criteria']} ({pass_mark:.0%}) / {words_en['criteria']} "
                                      f"({pass_mark:.0%})"},
            "image": {"id": base + BADGE_FILE, "type": "Image",
                      "caption": f"{words_zh['title']} / {words_en['title']}"},
            "creator": profile(issuer)}


def credential(issuer: dict, candidate_id: str, candidate_name: str, the_achievement: dict, result: dict,
               status_index: int, credential_id: str | None = None) -> dict:
    status_url = settings(issuer)["base"] + STATUS_FILE
    return {
        "@context": CONTEXT,
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile(issuer),
        "validFrom": _now(),
        "name": the_achievement["name"],
        "credentialSubject": {"id": f"urn:perfcomm:candidate:{candidate_id}", "type": ["AchievementSubject"],
                              "name": candidate_name, "achievement": the_achievement, "result": [result]},
        "credentialStatus": {"id": f"{status_url}#{status_index}", "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation", "statusListIndex": str(status_index),
                             "statusListCredential": status_url},
    }


# -- revocation: one status list per issuer ------------------------------------------------------

def register(folder: Path) -> dict:
    path = Path(folder) / REGISTER_FILE
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"size": STATUS_BITS, "assigned": {}, "revoked": []}


def save_register(folder: Path, data: dict) -> None:
    _write(Path(folder) / REGISTER_FILE, data)


def allocate(data: dict, credential_id: str) -> int:
    """A free status index, drawn at random so the index says nothing about the order of issue."""
    used = {int(i) for i in data["assigned"]}
    if len(used) >= data["size"]:
        raise IssuerError("the status list is full")
    while (index := secrets.randbelow(data["size"])) in used:
        pass
    data["assigned"][str(index)] = credential_id
    return index


def _encode_bits(bits: bytearray) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def _decode_bits(text: str) -> bytearray:
    if not isinstance(text, str) or not text.startswith("u"):
        raise VerifyError("the status list's encodedList is not base64url multibase")
    raw = text[1:] + "=" * (-len(text[1:]) % 4)
    return bytearray(gzip.decompress(base64.urlsafe_b64decode(raw)))


def status_list(issuer: dict, revoked: list[int], key_folder: Path, size: int = STATUS_BITS) -> dict:
    bits = bytearray(size // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    url = settings(issuer)["base"] + STATUS_FILE
    return sign({"@context": [VC2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                 "issuer": issuer["id"], "validFrom": _now(),
                 "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                                       "statusPurpose": "revocation", "encodedList": _encode_bits(bits)}},
                key_folder)


def is_revoked(status: dict, index: int) -> bool:
    bits = _decode_bits(status["credentialSubject"]["encodedList"])
    if not 0 <= index < len(bits) * 8:
        raise VerifyError(f"status index {index} is outside the status list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def revoked_indices(status: dict) -> list[int]:
    bits = _decode_bits(status["credentialSubject"]["encodedList"])
    return [i for i in range(len(bits) * 8) if bits[i // 8] & (0x80 >> (i % 8))]


# -- verification ----------------------------------------------------------------------------------

def _issuer_id(document: dict):
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def check_signature(document: dict, trusted: dict) -> None:
    """The document is signed with a key the trusted issuer document lists for assertions."""
    if not isinstance(trusted, dict) or not trusted.get("id"):
        raise VerifyError("the trusted issuer file has no id: it is not an issuer profile or DID document")
    try:
        proof = di.proof_of(document)
    except di.ProofError as err:
        raise VerifyError(str(err)) from None
    method = proof.get("verificationMethod")
    if _issuer_id(document) != trusted["id"]:
        raise VerifyError(f"signed by '{_issuer_id(document)}', not by the trusted issuer '{trusted['id']}'")
    allowed = {m if isinstance(m, str) else m.get("id") for m in trusted.get("assertionMethod", [])}
    keys = {m.get("id"): m for m in trusted.get("verificationMethod", []) if isinstance(m, dict)}
    if method not in allowed or method not in keys:
        raise VerifyError(f"signed with key '{method}', which the trusted issuer '{trusted['id']}' does not "
                          "list — not by the trusted issuer")
    try:
        di.verify(document, di.public_key(keys[method].get("publicKeyMultibase")))
    except di.ProofError as err:
        raise VerifyError(str(err)) from None


def _check_dates(document: dict) -> None:
    now = datetime.now(timezone.utc)
    try:
        start = datetime.fromisoformat(document["validFrom"].replace("Z", "+00:00"))
        end = document.get("validUntil")
        end = datetime.fromisoformat(end.replace("Z", "+00:00")) if end else None
    except (KeyError, AttributeError, ValueError):
        raise VerifyError("validFrom is missing or not a date") from None
    if start > now + timedelta(minutes=5):
        raise VerifyError(f"not valid before {document['validFrom']}")
    if end and end < now:
        raise VerifyError(f"expired on {document['validUntil']}")


def check_credential(document: dict, trusted: dict, status: dict) -> dict:
    """Signature, issuer, dates and revocation of one credential. Raises VerifyError saying why not."""
    if not isinstance(document, dict) or "OpenBadgeCredential" not in document.get("type", []):
        raise VerifyError("not an OpenBadgeCredential")
    if document.get("@context") != CONTEXT:
        raise VerifyError(f"@context must be exactly {CONTEXT}")
    check_signature(document, trusted)
    _check_dates(document)
    entry = document.get("credentialStatus") or {}
    if entry.get("type") != "BitstringStatusListEntry" or entry.get("statusPurpose") != "revocation":
        raise VerifyError("no revocation status entry")
    if not isinstance(status, dict) or "BitstringStatusListCredential" not in status.get("type", []):
        raise VerifyError("the status file is not a BitstringStatusListCredential")
    check_signature(status, trusted)
    if status.get("id") != entry.get("statusListCredential"):
        raise VerifyError(f"the status list is {status.get('id')}, but the certificate uses "
                          f"{entry.get('statusListCredential')}")
    if status.get("credentialSubject", {}).get("statusPurpose") != "revocation":
        raise VerifyError("the status list is not a revocation list")
    try:
        index = int(entry["statusListIndex"])
    except (KeyError, TypeError, ValueError):
        raise VerifyError("statusListIndex is not a number") from None
    if is_revoked(status, index):
        raise VerifyError(f"credential {document['id']} has been revoked")
    return document


def load_credential(path: Path) -> dict:
    """A credential from its JSON file or from a badge image it is baked into."""
    from . import badge

    path = Path(path)
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".svg" or data.lstrip()[:5] in (b"<?xml", b"<svg "):
            return badge.extract(data)
        return json.loads(data.decode("utf-8"))
    except badge.BadgeError as err:
        raise VerifyError(str(err)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise VerifyError(f"not a readable credential: {err}") from None


def read_json(source: str | Path) -> dict:
    """A JSON document from a file, or from an https URL (http only on this machine)."""
    text = str(source)
    if text.startswith(("https://", "http://")):
        return fetch(text)
    return json.loads(Path(source).read_text(encoding="utf-8"))


def fetch(url: str, limit: int = 2_000_000) -> dict:
    import urllib.request

    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        raise VerifyError(f"{url}: only https addresses are fetched")
    request = urllib.request.Request(url.split("#")[0], headers={"Accept": "application/ld+json, application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (scheme checked above)
            return json.loads(response.read(limit + 1)[:limit].decode("utf-8"))
    except (OSError, ValueError) as err:
        raise VerifyError(f"cannot fetch {url}: {err}") from None


def issuer_url(document: dict) -> str:
    """Where the issuer's keys are published: its profile URL, or the did:web document."""
    ident = _issuer_id(document) or ""
    if ident.startswith("did:web:"):
        base = settings({"id": ident})["base"]
        return base + did_document_path(base)
    if ident.startswith("https://") or ident.startswith("http://"):
        return ident
    raise VerifyError(f"issuer '{ident}' is neither a web address nor a did:web — give --issuer")


def verify(path: Path, issuer_source, status_source) -> dict:
    """Check a credential file (JSON or baked badge) against a trusted issuer document and a status
    list, each a file or a URL; None means: fetch it from the address the credential names."""
    document = load_credential(path)
    if not isinstance(document, dict):
        raise VerifyError("not an OpenBadgeCredential")
    trusted = read_json(issuer_source if issuer_source is not None else issuer_url(document))
    if status_source is None:
        status_source = (document.get("credentialStatus") or {}).get("statusListCredential")
        if not status_source:
            raise VerifyError("no revocation status entry")
    return check_credential(document, trusted, read_json(status_source))
