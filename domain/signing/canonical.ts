/**
 * The canonical content of a registration: what the principal signs. Every field of the form
 * (annex 2) and nothing the server owns (status, version, timestamps, ids of goals). Text is
 * Unicode NFC, trimmed, with \n line ends, and an empty text equals a missing one, so the same
 * form always hashes the same however it was typed or stored.
 */
import { sha256, stableStringify } from '../audit';
import type { Registration } from '../registrations/schema';

function normalize(value: unknown): unknown {
  if (typeof value === 'string') {
    const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
    return text === '' ? null : text;
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.normalize('NFC'), normalize(v)]));
  }
  return value ?? null;
}

export type CanonicalContentSource = Pick<
  Registration,
  | 'id'
  | 'schoolId'
  | 'schoolName'
  | 'name'
  | 'legalRepresentative'
  | 'formedOn'
  | 'memberSchools'
  | 'memberUnits'
  | 'introduction'
  | 'goals'
  | 'leadSchoolOpinion'
  | 'remarks'
  | 'extra'
>;

export function canonicalContent(r: CanonicalContentSource) {
  return normalize({
    registrationId: r.id,
    leadSchool: { id: r.schoolId, name: r.schoolName },
    name: r.name,
    legalRepresentative: r.legalRepresentative,
    formedOn: r.formedOn,
    memberSchools: r.memberSchools.map((s) => ({ name: s.name })),
    memberUnits: r.memberUnits.map((u) => ({
      name: u.name,
      partyType: u.partyType,
      contactPerson: u.contactPerson,
      phone: u.phone,
      role: u.role,
      profile: u.profile,
    })),
    introduction: r.introduction,
    goals: r.goals.map((g) => ({ title: g.title, measures: g.measures, indicator: g.indicator, targetDate: g.targetDate })),
    leadSchoolOpinion: r.leadSchoolOpinion,
    remarks: r.remarks,
    extra: r.extra ?? {},
  });
}

export const canonicalContentString = (r: CanonicalContentSource) => stableStringify(canonicalContent(r));
export const canonicalContentHash = (r: CanonicalContentSource) => sha256(canonicalContentString(r));
