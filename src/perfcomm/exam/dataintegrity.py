"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C vc-di-eddsa), the embedded
proof Open Badges 3.0 names: RDF Dataset Canonicalization by pyld, SHA-256, Ed25519 by
`cryptography`, base58btc by `base58`. Contexts are served from the vendored files; nothing is
fetched from the network."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld

CRYPTOSUITE = "eddsa-rdfc-2022"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.jsonld",
}
_ED25519_PUB = b"\xed\x01"   # multicodec ed25519-pub


class ProofError(Exception):
    """The proof is missing, malformed or does not match the document."""


@lru_cache(maxsize=None)
def _context(url: str) -> dict:
    return json.loads((Path(__file__).with_name("contexts") / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(extra: dict | None = None):
    """A pyld document loader serving the vendored contexts (and `extra` {url: document}) only."""
    def load(url, options=None):
        if extra and url in extra:
            document = extra[url]
        elif url in CONTEXT_FILES:
            document = _context(url)
        else:
            raise ProofError(f"context '{url}' is not one this software knows; it fetches nothing")
        return {"contextUrl": None, "documentUrl": url, "document": document}
    return load


def _dropped(iri) -> None:
    raise ProofError(f"a property the credential's contexts do not define ({iri or 'unknown term'})")


def canonize(document: dict, loader=None) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads; a property its contexts do not define is an error."""
    processor = jsonld.JsonLdProcessor(on_property_dropped=_dropped)
    try:
        return processor.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                              "documentLoader": loader or document_loader()})
    except jsonld.JsonLdError as err:
        cause, deepest = err, err
        while cause is not None and not isinstance(cause, ProofError):
            deepest = cause
            cause = cause.__cause__ or getattr(cause, "cause", None)
        reason = str(deepest.args[0] if deepest.args else deepest).splitlines()[0]
        raise (cause or ProofError(f"not valid JSON-LD: {reason}")) from None


def multikey(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(_ED25519_PUB + raw).decode()


def public_key(multibase: str) -> Ed25519PublicKey:
    if not isinstance(multibase, str) or not multibase.startswith("z"):
        raise ProofError("publicKeyMultibase is not base58btc multibase")
    raw = base58.b58decode(multibase[1:])
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ProofError("the key is not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _hash_data(document: dict, options: dict, loader) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {**{k: v for k, v in options.items() if k != "proofValue"}, "@context": unsecured.get("@context")}
    return hashlib.sha256(canonize(config, loader).encode()).digest() + \
        hashlib.sha256(canonize(unsecured, loader).encode()).digest()


def sign(document: dict, private: Ed25519PrivateKey, verification_method: str, created: str,
         loader=None) -> dict:
    """The document with an embedded DataIntegrityProof (eddsa-rdfc-2022, assertionMethod)."""
    options = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": created,
               "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    value = private.sign(_hash_data(document, options, loader))
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return {**unsecured, "proof": {**options, "proofValue": "z" + base58.b58encode(value).decode()}}


def proof_of(document: dict) -> dict:
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("type") != "DataIntegrityProof" \
            or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"no {CRYPTOSUITE} Data Integrity proof")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof is not made for assertionMethod")
    return proof


def verify(document: dict, public: Ed25519PublicKey, loader=None) -> None:
    """Raise ProofError unless the document's proof was made by this key over this very content."""
    proof = proof_of(document)
    value = proof.get("proofValue")
    try:
        signature = base58.b58decode(value[1:]) if isinstance(value, str) and value.startswith("z") else b""
    except ValueError:
        signature = b""
    try:
        public.verify(signature, _hash_data(document, proof, loader))
    except InvalidSignature:
        raise ProofError("the signature does not match: the file was altered or not issued by this issuer") from None
