/**
 * The signed statement: what the server's Ed25519 key vouches for at signing time. Canonicalised
 * with stableStringify, so a verifier anywhere (GET /api/signing-key gives the public key) can
 * rebuild the exact bytes from the stored payload.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { stableStringify } from '../audit';

export interface SignedStatement {
  v: 1;
  registrationId: string;
  contentHash: string;
  signerId: number;
  schoolId: number;
  stampFileId: string;
  stampFileHash: string;
  signatureFileId: string;
  signatureImageHash: string;
  signedAt: string; // ISO time
  keyId: string;
}

export const statementBytes = (s: SignedStatement) => Buffer.from(stableStringify(s), 'utf8');

export function signStatement(s: SignedStatement, privateKey: KeyObject): string {
  return sign(null, statementBytes(s), privateKey).toString('base64');
}

export function statementVerifies(s: SignedStatement, signatureBase64: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, statementBytes(s), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
