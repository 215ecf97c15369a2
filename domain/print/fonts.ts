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
export interface FontkitFont {
  layout(text: string, features?: unknown, ...rest: unknown[]): unknown;
  unitsPerEm: number;
  glyphForCodePoint(codePoint: number): { id: number; path: unknown; advanceWidth: number };
}

const parsed = new Map<string, FontkitFont>();
/** Every feature fontkit turns on by default, turned off. */
const PLAIN_TEXT = Object.fromEntries(
  ['rvrn', 'ltra', 'ltrm', 'frac', 'numr', 'dnom', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern'].map((tag) => [tag, false]),
);
/**
 * The face parsed once per process (per PDF thread) and handed to every document. fontkit keeps what
 * it has parsed on the font — glyphs, their outlines, the substitution tables — so a glyph outlined
 * (and subset) for one PDF costs nothing in the next; subsetting Noto CJK glyph by glyph dominated
 * the render. Each document still embeds only its own subset.
 */
export function parsedFont(font: CjkFont): FontkitFont {
  let f = parsed.get(font.path);
  if (!f) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fontkit = require('fontkit') as { create(bytes: Uint8Array, postscriptName?: string): FontkitFont };
    const face = fontkit.create(fontBytes(font), font.postscriptName);
    // Text is set glyph by glyph from the character map, without OpenType substitutions: Noto CJK's
    // contextual lookups, run over every line, were nearly all the time of a long form, and change
    // nothing a Chinese form shows (no ligatures, no kerning — the line breaker measures advances).
    const shape = face.layout.bind(face);
    face.layout = (text, features, ...rest) => shape(text, features ?? PLAIN_TEXT, ...rest);
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
  f.layout(text.slice(0, 200)); // the substitution tables, loaded on first layout
  return seen.size;
}
