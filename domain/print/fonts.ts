/**
 * The CJK font every printed Chinese character is drawn with: Noto Sans CJK from Debian's
 * fonts-noto-cjk (installed by .ci/run and the Dockerfile). A TTC holds several faces; the
 * PostScript name picks the simplified-Chinese one.
 */
import fs from 'node:fs';

export interface CjkFont {
  path: string;
  /** Face inside a TTC collection (pdfkit's family argument). */
  postscriptName: string;
  /** Family name for SVG renderers. */
  family: string;
}

const CANDIDATES: { regular: CjkFont; bold: CjkFont }[] = [
  {
    regular: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular', family: 'Noto Sans CJK SC' },
    bold: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKsc-Bold', family: 'Noto Sans CJK SC' },
  },
  {
    regular: { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', postscriptName: 'NotoSerifCJKsc-Regular', family: 'Noto Serif CJK SC' },
    bold: { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc', postscriptName: 'NotoSerifCJKsc-Bold', family: 'Noto Serif CJK SC' },
  },
];

export class FontMissing extends Error {}

/** The first installed CJK font pair; the bold face falls back to the regular one. */
export function findCjkFonts(): { regular: CjkFont; bold: CjkFont } {
  for (const c of CANDIDATES) {
    if (fs.existsSync(c.regular.path)) return { regular: c.regular, bold: fs.existsSync(c.bold.path) ? c.bold : c.regular };
  }
  throw new FontMissing(
    `No CJK font found (looked for ${CANDIDATES.map((c) => c.regular.path).join(', ')}); install the Debian package fonts-noto-cjk`,
  );
}

const buffers = new Map<string, Buffer>();
/** Font bytes, read once per process (about 20 MB each). */
export function fontBytes(font: CjkFont): Buffer {
  let b = buffers.get(font.path);
  if (!b) {
    b = fs.readFileSync(font.path);
    buffers.set(font.path, b);
  }
  return b;
}

/** The part of fontkit (pdfkit's font engine) used here; pdfkit takes such a font in place of bytes. */
export interface FontkitGlyph {
  id: number;
  path: unknown;
  advanceWidth: number;
  codePoints: number[];
}
export interface FontkitFont {
  layout(text: string, features?: unknown, ...rest: unknown[]): unknown;
  unitsPerEm: number;
  glyphForCodePoint(codePoint: number): FontkitGlyph;
  createSubset(): unknown;
}

/** What pdfkit reads of a layout: the glyphs, their positions (scaled in place by pdfkit) and the total advance. */
interface PlainRun {
  glyphs: FontkitGlyph[];
  positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[];
  readonly advanceWidth: number;
}

/**
 * Text set glyph by glyph from the character map: each character's glyph and its advance, nothing
 * else. fontkit's own layout (script itemisation, the shaper, Noto CJK's substitution and positioning
 * tables) was most of the time of a long form even with every feature off, and changes nothing a
 * Chinese form shows (no ligatures, no kerning — the line breaker measures advances too).
 */
const glyphCaches = new WeakMap<object, Map<number, FontkitGlyph>>();
/** The glyph a code point maps to, looked up once per face (fontkit's character map lookup is slow for CJK). */
export function glyphOf(face: Pick<FontkitFont, 'glyphForCodePoint'>, codePoint: number): FontkitGlyph {
  let byCodePoint = glyphCaches.get(face);
  if (!byCodePoint) {
    byCodePoint = new Map();
    glyphCaches.set(face, byCodePoint);
  }
  let glyph = byCodePoint.get(codePoint);
  if (!glyph) {
    glyph = face.glyphForCodePoint(codePoint);
    byCodePoint.set(codePoint, glyph);
  }
  return glyph;
}

export function plainLayout(face: Pick<FontkitFont, 'glyphForCodePoint'>): (text: string) => PlainRun {
  return (text) => {
    const glyphs: FontkitGlyph[] = [];
    const positions: PlainRun['positions'] = [];
    for (const ch of text) {
      const glyph = glyphOf(face, ch.codePointAt(0)!);
      glyphs.push(glyph);
      positions.push({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return {
      glyphs,
      positions,
      // pdfkit scales the positions after layout and reads the total from them, as from fontkit's GlyphRun.
      get advanceWidth() {
        let w = 0;
        for (const p of positions) w += p.xAdvance;
        return w;
      },
    };
  };
}

const parsed = new Map<string, FontkitFont>();
/**
 * The face parsed once per process (per PDF thread) and handed to every document. fontkit keeps what
 * it has parsed on the font — glyphs and their metrics — so a glyph met in one PDF costs nothing in
 * the next. Each document still embeds only its own subset.
 */
export function parsedFont(font: CjkFont): FontkitFont {
  let f = parsed.get(font.path);
  if (!f) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fontkit = require('fontkit') as { create(bytes: Uint8Array, postscriptName?: string): FontkitFont };
    const face = fontkit.create(fontBytes(font), font.postscriptName);
    face.layout = plainLayout(face);
    f = face;
    parsed.set(font.path, f);
  }
  return f;
}

/**
 * The characters almost every form prints: ASCII, CJK and full-width punctuation, and the 3,755
 * characters of GB 2312 level 1 (常用字), decoded from their GB 2312 codes.
 */
export function commonCharacters(): string {
  const bytes: number[] = [];
  for (let row = 0xb0; row <= 0xd7; row++) {
    for (let col = 0xa1; col <= 0xfe; col++) if (!(row === 0xd7 && col > 0xf9)) bytes.push(row, col);
  }
  const hanzi = new TextDecoder('gb18030').decode(Uint8Array.from(bytes));
  let ascii = '';
  for (let c = 0x20; c < 0x7f; c++) ascii += String.fromCharCode(c);
  return `${ascii}，。、；：？！（）《》「」『』【】〔〕“”‘’—…·％＋－／０１２３４５６７８９${hanzi}`;
}

/**
 * Outlines the common characters ahead of the first PDF (at start-up, off the request path), so the
 * first render subsets as fast as the later ones. Answers how many glyphs are ready.
 */
export function warmFont(font: CjkFont, text = commonCharacters()): number {
  const f = parsedFont(font);
  const seen = new Set<number>();
  for (const ch of text) {
    const glyph = f.glyphForCodePoint(ch.codePointAt(0)!);
    if (seen.has(glyph.id)) continue;
    seen.add(glyph.id);
    void glyph.path; // parses the outline and records the subroutines it uses (what subsetting needs)
  }
  f.layout(text); // each character's glyph and advance, kept by the layout
  return seen.size;
}
