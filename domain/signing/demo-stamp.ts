/**
 * The demo seeds' stamp: a red round seal with the school's name around a star and 演示专用
 * ("for demonstration only") beneath, drawn as SVG and rendered to PNG on the server, so a new user
 * can sign at once without network or an upload.
 */
import type { Knex } from 'knex';
import { Resvg } from '@resvg/resvg-js';
import { findCjkFonts, FontMissing } from '../print/fonts';
import { setSchoolStamp } from './stamp';

const RED = '#d7141a';
const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function demoStampSvg(schoolName: string, size = 400): string {
  const c = size / 2;
  const chars = Array.from(schoolName.normalize('NFC').trim());
  const n = Math.max(chars.length, 1);
  // Characters share at most 250° of the upper arc; long names get smaller type.
  const span = Math.min(250, n * 30);
  const fontSize = Math.min(52, Math.max(24, (((2 * Math.PI * c * 0.7 * span) / 360) / n) * 0.92));
  const radius = c * 0.86 - fontSize * 0.75;
  const letters = chars
    .map((ch, i) => {
      const deg = -span / 2 + (span * (i + 0.5)) / n;
      const rad = (deg * Math.PI) / 180;
      const x = c + radius * Math.sin(rad);
      const y = c - radius * Math.cos(rad);
      return `<text x="${x.toFixed(2)}" y="${y.toFixed(2)}" transform="rotate(${deg.toFixed(2)} ${x.toFixed(2)} ${y.toFixed(2)})" dy="0.35em">${escapeXml(ch)}</text>`;
    })
    .join('');
  const star = Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 === 0 ? c * 0.24 : c * 0.095;
    const a = (Math.PI / 5) * i;
    return `${(c + r * Math.sin(a)).toFixed(2)},${(c - r * Math.cos(a)).toFixed(2)}`;
  }).join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">` +
    `<g fill="${RED}" fill-opacity="0.9">` +
    `<circle cx="${c}" cy="${c}" r="${c * 0.93}" fill="none" stroke="${RED}" stroke-opacity="0.9" stroke-width="${size * 0.03}"/>` +
    `<g font-family="Noto Sans CJK SC, Noto Serif CJK SC" font-weight="bold" font-size="${fontSize.toFixed(1)}" text-anchor="middle">${letters}</g>` +
    `<polygon points="${star}"/>` +
    `<text x="${c}" y="${(c * 1.52).toFixed(2)}" font-family="Noto Sans CJK SC, Noto Serif CJK SC" font-weight="bold" font-size="${(size * 0.075).toFixed(1)}" text-anchor="middle">演示专用</text>` +
    `</g></svg>`
  );
}

export function renderDemoStampPng(schoolName: string, size = 400): Buffer {
  let font: { fontFiles: string[]; loadSystemFonts: boolean; defaultFontFamily?: string };
  try {
    const fonts = findCjkFonts();
    font = { fontFiles: [fonts.bold.path, fonts.regular.path], loadSystemFonts: false, defaultFontFamily: fonts.bold.family };
  } catch (err) {
    // Without a CJK font the seal still renders (ring and star); the seeds must never stop a start.
    if (!(err instanceof FontMissing)) throw err;
    font = { fontFiles: [], loadSystemFonts: true };
  }
  return new Resvg(demoStampSvg(schoolName, size), { font, background: 'rgba(0,0,0,0)' }).render().asPng();
}

/**
 * Gives each named school a generated stamp unless it already has one (idempotent: the seeds run at
 * every start, and an uploaded stamp is never replaced). Answers the ids of the schools stamped now.
 */
export async function giveDemoStamps(db: Knex, schoolIds: number[]): Promise<number[]> {
  if (schoolIds.length === 0) return [];
  const schools = (await db('schools').whereIn('id', schoolIds).whereNull('stampFileId').select('id', 'name')) as { id: number; name: string }[];
  const stamped: number[] = [];
  for (const school of schools) {
    const file = await setSchoolStamp(db, {
      schoolId: school.id,
      bytes: renderDemoStampPng(school.name),
      actor: null,
      originalName: 'demo-stamp.png',
      auditAction: 'school.demo_stamp_generated',
      onlyIfMissing: true, // the api and the worker may seed at the same time
    });
    if (file) stamped.push(school.id);
  }
  return stamped;
}
