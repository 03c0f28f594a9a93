"""The eddsa-rdfc-2022 proof reproduces the published test vectors byte for byte: the W3C
vc-di-eddsa specification's (section "Representation: eddsa-rdfc-2022") and the Open Badges 3.0
implementation guide's (Linked Data Proof test vector)."""

from __future__ import annotations

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from perfcomm.exam import dataintegrity as di

W3C_EXAMPLES_V2 = {"https://www.w3.org/ns/credentials/examples/v2":
                   {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}}
W3C_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"      # multibase(0x8026 + Ed25519 seed)
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_DOCUMENT = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
W3C_PROOF_VALUE = "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"

OB_SEED = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"
OB_PUBLIC = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
OB_DOCUMENT = {
    "@context": ["https://www.w3.org/ns/credentials/v2",
                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "http://example.com/credentials/3527",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"],
               "url": "https://www.imsglobal.org", "name": "Example Corp"},
    "validFrom": "2010-01-01T00:00:00Z",
    "name": "Teamwork Badge",
    "credentialSubject": {
        "id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.com/achievements/21st-century-skills/teamwork", "type": ["Achievement"],
            "criteria": {"narrative": "Team members are nominated for this badge by their peers and recognized"
                                      " upon review by Example Corp management."},
            "description": "This badge recognizes the development of the capacity to collaborate within a group"
                           " environment.",
            "name": "Teamwork"}},
}
OB_PROOF_VALUE = "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"


def test_the_w3c_vc_di_eddsa_test_vector_is_reproduced():
    seed = base58.b58decode(W3C_KEY[1:])
    assert seed[:2] == b"\x80\x26"
    private = Ed25519PrivateKey.from_private_bytes(seed[2:])
    assert di.multikey(private.public_key()) == W3C_PUBLIC
    loader = di.document_loader(W3C_EXAMPLES_V2)
    signed = di.sign(W3C_DOCUMENT, private, f"did:key:{W3C_PUBLIC}#{W3C_PUBLIC}", "2023-02-24T23:36:38Z", loader)
    assert signed["proof"]["proofValue"] == W3C_PROOF_VALUE
    di.verify(signed, di.public_key(W3C_PUBLIC), loader)


def test_the_open_badges_3_test_vector_is_reproduced():
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(OB_SEED))
    assert di.multikey(private.public_key()) == OB_PUBLIC
    signed = di.sign(OB_DOCUMENT, private, f"https://example.edu/issuers/565049#{OB_PUBLIC}",
                     "2010-01-01T19:23:24Z")
    assert signed["proof"]["proofValue"] == OB_PROOF_VALUE
    di.verify(signed, di.public_key(OB_PUBLIC))


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(name="Teamwork Badge!"), "signature does not match"),
    (lambda d: d["proof"].update(created="2010-01-01T19:23:25Z"), "signature does not match"),
    (lambda d: d.update(unknownTerm="x"), "contexts do not define"),
    (lambda d: d.update({"@context": [*d["@context"], "https://evil.example/ctx.json"]}), "fetches nothing"),
    (lambda d: d["proof"].update(cryptosuite="eddsa-jcs-2022"), "no eddsa-rdfc-2022"),
], ids=["field", "proof-option", "undefined-term", "unknown-context", "other-cryptosuite"])
def test_a_changed_document_or_proof_is_refused(change, message):
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(OB_SEED))
    signed = di.sign(OB_DOCUMENT, private, f"https://example.edu/issuers/565049#{OB_PUBLIC}",
                     "2010-01-01T19:23:24Z")
    change(signed)
    with pytest.raises(di.ProofError, match=message):
        di.verify(signed, di.public_key(OB_PUBLIC))
