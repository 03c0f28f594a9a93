"""`perfcomm cert …`: the issuer's key and profile, issuing, verifying, revoking, and the files to
publish under the issuer's base URL."""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from pathlib import Path

from ..course import find_course
from ..grading.workdir import Workdir
from ..players.words import words

DEFAULT_KEYS = Path(os.environ.get("PERFCOMM_ISSUER_KEYS", Path.home() / ".local/share/perfcomm/issuer"))


def cert_dir(workdir: Workdir) -> Path:
    return workdir.root / "certificates"


def _achievement(issuer: dict, blueprint) -> dict:
    from . import credentials

    zh, en = words("zh")["certificate"], words("en")["certificate"]
    return credentials.achievement(issuer, blueprint.name, zh, en, blueprint.pass_mark)


def issue(workdir: Workdir, course, keys: Path) -> list[Path]:
    from . import badge, certificate_page, credentials
    from ..grading.roster import read_roster
    from .commands import _bank
    from .results import exam_results

    issuer = credentials.load_issuer(keys)
    _, blueprint = _bank(course)
    folder = cert_dir(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    index_file = folder / "index.json"
    index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else {}
    names = {}
    roster_file = workdir.root / "exam" / "roster.csv"
    if roster_file.exists():
        names = {learner.id: learner.name for learner in read_roster(roster_file)}
    achievement = _achievement(issuer, blueprint)
    register = credentials.register(keys)
    image = badge.image()
    written = []
    for result in exam_results(workdir, blueprint.name, workdir.root / "exam" / "forms", blueprint.pass_mark):
        if not result.passed or result.candidate in {v["candidate"] for v in index.values()}:
            continue
        credential_id = f"urn:uuid:{uuid.uuid4()}"
        number = credentials.allocate(register, credential_id)
        document = credentials.credential(issuer, result.candidate, names.get(result.candidate, result.candidate),
                                          achievement, {"type": ["Result"], "value": f"{result.share:.0%}"},
                                          number, credential_id)
        signed = credentials.sign(document, keys)
        path = folder / f"{result.candidate}.json"
        path.write_text(json.dumps(signed, ensure_ascii=False, indent=1), encoding="utf-8")
        path.with_suffix(".svg").write_text(badge.bake(image, signed), encoding="utf-8")
        certificate_page.write(signed, path.with_suffix(".html"))
        index[signed["id"]] = {"candidate": result.candidate, "index": number, "revoked": False}
        credentials.save_register(keys, register)
        index_file.write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    index_file.write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    write_status(workdir, keys)
    shutil.copy(keys / credentials.ISSUER_FILE, folder / credentials.ISSUER_FILE)
    return written


def signed_status(keys: Path) -> dict:
    from . import credentials

    register = credentials.register(keys)
    return credentials.status_list(credentials.load_issuer(keys), register["revoked"], keys, register["size"])


def write_status(workdir, keys) -> None:
    from . import credentials

    status = signed_status(keys)
    (cert_dir(workdir) / credentials.STATUS_FILE).write_text(json.dumps(status, indent=1), encoding="utf-8")


def revoke(workdir: Workdir, keys: Path, wanted: str) -> str:
    from . import credentials

    index_file = cert_dir(workdir) / "index.json"
    index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else {}
    found = [cid for cid, entry in index.items() if wanted in (cid, entry["candidate"])]
    if not found:
        raise LookupError(f"no certificate '{wanted}' in {index_file} — give a credential id or a candidate id")
    entry = index[found[0]]
    register = credentials.register(keys)
    if register["assigned"].get(str(entry["index"])) != found[0]:
        raise LookupError(f"certificate '{wanted}' was not issued with the key in {keys} — give the --keys it was"
                          " issued with")
    entry["revoked"] = True
    register["revoked"] = sorted(set(register["revoked"]) | {entry["index"]})
    credentials.save_register(keys, register)
    index_file.write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    write_status(workdir, keys)
    return found[0]


def publish(keys: Path, course, to: Path) -> dict[str, str]:
    """Write the files to host under the base URL; returns {relative path: URL}."""
    from . import badge, credentials
    from .commands import _bank

    issuer = credentials.load_issuer(keys)
    base = credentials.settings(issuer)["base"]
    _, blueprint = _bank(course)
    achievement = _achievement(issuer, blueprint)
    files = {credentials.ISSUER_FILE: issuer, credentials.STATUS_FILE: signed_status(keys),
             f"achievements/{blueprint.name}.json": {"@context": credentials.CONTEXT, **achievement}}
    if credentials.settings(issuer)["did_web"]:
        files[credentials.did_document_path(base)] = credentials.did_document(issuer)
    else:
        files[credentials.KEY_DOC] = credentials.key_document(issuer)
    for relative, document in files.items():
        (to / relative).parent.mkdir(parents=True, exist_ok=True)
        (to / relative).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    (to / credentials.BADGE_FILE).write_text(badge.image(), encoding="utf-8")
    return {relative: base + relative for relative in [*files, credentials.BADGE_FILE]}


# -- commands -------------------------------------------------------------------------------------

def _settings_error(err) -> int:
    print(f"perfcomm: {err}", file=sys.stderr)
    return 2


def cmd_keygen(args) -> int:
    from . import credentials

    try:
        issuer = credentials.keygen(Path(args.keys), args.name, args.base_url, args.url, args.email, args.did_web)
    except credentials.IssuerError as err:
        return _settings_error(err)
    except FileExistsError as err:
        print(f"perfcomm: {err}", file=sys.stderr)
        return 1
    print(f"issuer {issuer.get('id') or '(no base URL yet: set it with perfcomm cert profile --base-url)'}\n"
          f"private key: {Path(args.keys) / credentials.KEY_FILE} (keep it outside any released material)")
    return 0


def cmd_profile(args) -> int:
    from . import credentials

    try:
        if any(v is not None for v in (args.name, args.url, args.email, args.base_url, args.did_web)):
            issuer = credentials.update_profile(Path(args.keys), args.name, args.url, args.email, args.base_url,
                                                args.did_web)
        else:
            issuer = credentials.load_issuer(Path(args.keys), need_base=False)
    except credentials.IssuerError as err:
        return _settings_error(err)
    found = credentials.settings(issuer)
    for key in ("name", "url", "email", "base"):
        print(f"{key:<6} {found[key] or '—'}")
    print(f"issuer {issuer.get('id') or '—'}")
    return 0


def cmd_issue(args) -> int:
    from . import credentials

    try:
        written = issue(Workdir(Path(args.workdir)), find_course(), Path(args.keys))
    except credentials.IssuerError as err:
        return _settings_error(err)
    print(f"{len(written)} certificate(s) issued in {cert_dir(Workdir(Path(args.workdir)))}; publish the status"
          f" list: perfcomm cert publish --keys {args.keys} --to FOLDER")
    return 0


def cmd_verify(args) -> int:
    from . import credentials

    path = Path(args.file)
    online = args.online
    issuer = args.issuer or (None if online else path.parent / credentials.ISSUER_FILE)
    status = args.status or (None if online else path.parent / credentials.STATUS_FILE)
    try:
        document = credentials.verify(path, issuer, status)
    except (credentials.VerifyError, OSError, KeyError, ValueError, TypeError) as err:
        print(f"{path}: NOT VALID — {err}", file=sys.stderr)
        return 1
    subject = document["credentialSubject"]
    print(f"{path}: valid — {subject['name']}, {document['name']}, issued {document['validFrom']}"
          f" by {document['issuer']['name']} ({document['issuer']['id']})")
    return 0


def cmd_revoke(args) -> int:
    credential_id = revoke(Workdir(Path(args.workdir)), Path(args.keys), args.id)
    print(f"revoked {credential_id}; publish the new status list: perfcomm cert publish --keys {args.keys}"
          " --to FOLDER")
    return 0


def cmd_publish(args) -> int:
    from . import credentials

    to = Path(args.to)
    try:
        urls = publish(Path(args.keys), find_course(), to)
    except credentials.IssuerError as err:
        return _settings_error(err)
    print(f"{len(urls)} files written in {to}; host each at its address:")
    for relative, url in urls.items():
        print(f"  {relative} → {url}")
    return 0


def add_parsers(sub) -> None:
    cert = sub.add_parser("cert", help="verifiable certificates (Open Badges 3.0)").add_subparsers(
        dest="step", required=True)
    p = cert.add_parser("keygen", help="create the issuer's Ed25519 key and profile")
    p.add_argument("--keys", default=str(DEFAULT_KEYS))
    p.add_argument("--name", required=True, help="the issuing organisation, e.g. the company's HR department")
    _profile_options(p)
    p.set_defaults(func=cmd_keygen)
    p = cert.add_parser("profile", help="show or change the issuer's profile (name, url, email, base URL)")
    p.add_argument("--keys", default=str(DEFAULT_KEYS))
    p.add_argument("--name")
    _profile_options(p)
    p.set_defaults(func=cmd_profile)
    p = cert.add_parser("issue", help="issue certificates to the candidates who passed")
    p.add_argument("--workdir", required=True)
    p.add_argument("--keys", default=str(DEFAULT_KEYS))
    p.set_defaults(func=cmd_issue)
    p = cert.add_parser("verify", help="check a certificate (.json or baked .svg): signature, issuer, revocation")
    p.add_argument("file")
    p.add_argument("--issuer", help="the trusted issuer.json, a file or its URL (default: beside the file)")
    p.add_argument("--status", help="the status list, a file or its URL (default: beside the file)")
    p.add_argument("--online", action="store_true",
                   help="fetch the issuer's keys and the status list from the addresses the certificate names")
    p.set_defaults(func=cmd_verify)
    p = cert.add_parser("revoke", help="revoke a certificate (credential id or candidate id)")
    p.add_argument("id")
    p.add_argument("--workdir", required=True)
    p.add_argument("--keys", default=str(DEFAULT_KEYS))
    p.set_defaults(func=cmd_revoke)
    p = cert.add_parser("publish", help="write the files to host under the base URL (profile, key, status list,"
                                        " achievement, badge image)")
    p.add_argument("--keys", default=str(DEFAULT_KEYS))
    p.add_argument("--to", required=True, help="folder to write them to (e.g. docs/credentials for the course site)")
    p.set_defaults(func=cmd_publish)


def _profile_options(p) -> None:
    p.add_argument("--url", help="the organisation's web site")
    p.add_argument("--email", help="a contact address for questions about certificates")
    p.add_argument("--base-url", help="the address the published files will have, e.g."
                                      " https://hr.example.com/credentials/ (set once)")
    p.add_argument("--did-web", action="store_true", default=None,
                   help="identify the issuer by a did:web made from the base URL instead of a URL")
