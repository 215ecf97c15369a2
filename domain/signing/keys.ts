/**
 * The server's Ed25519 signing key. From SIGNING_KEY_PEM when configured (several machines share
 * it that way); otherwise generated once on first start and kept under the data folder, so the API
 * and the worker on one machine sign and verify with the same key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from '../audit';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of the SHA-256 of the public key (SPKI DER): names the key in each statement. */
  keyId: string;
  publicKeyPem: string;
}

export interface SigningKeySource {
  /** PEM (PKCS#8) of an Ed25519 private key; wins over the data folder. */
  pem?: string | null;
  dataDir: string;
}

export const signingKeyPath = (dataDir: string) => path.join(dataDir, 'keys', 'signing-ed25519.pem');

const cache = new Map<string, SigningKey>();

function fromPrivatePem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`SIGNING_KEY_PEM must be an Ed25519 private key, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, keyId: sha256(der).slice(0, 16), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Reads the key file, or creates it atomically (link fails if another process won the race). */
function readOrCreateKeyFile(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, pem, { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.unlinkSync(tmp);
  }
  return fs.readFileSync(file, 'utf8');
}

export function loadSigningKey(source: SigningKeySource): SigningKey {
  const pem = source.pem?.trim();
  const cacheKey = pem ? `pem:${sha256(pem)}` : `dir:${path.resolve(source.dataDir)}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const key = fromPrivatePem(pem ? pem.replace(/\\n/g, '\n') : readOrCreateKeyFile(signingKeyPath(path.resolve(source.dataDir))));
  cache.set(cacheKey, key);
  return key;
}
