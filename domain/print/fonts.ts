/**
 * The CJK font every printed Chinese character is drawn with: Noto Sans CJK from Debian's
 * fonts-noto-cjk (installed by .ci/run and the Dockerfile). A TTC holds several faces; the
 * PostScript name picks the simplified-Chinese one.
 */
import fs from 'node:fs';
import { scanAhead, withFastSubroutines } from './cff-subset';

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
/**
 * A face's character map and advance widths, each read from the font once (per process) into flat
 * arrays. fontkit answers both through a glyph object made per character, its character map lookup
 * and its metrics decoding being most of the time of setting a long text in lines.
 */
export class FaceTables {
  /** Glyph id + 1 by code point below 0x30000 (the BMP and CJK extensions B–G); 0: not read yet. */
  private readonly gids = new Int32Array(0x30000);
  private readonly otherGids = new Map<number, number>();
  /** Advance in font units by glyph id; -1: not read yet. */
  private readonly advances: Int32Array;
  private readonly hmtx: { metrics: { length: number; get(i: number): { advance: number } | undefined } };
  readonly unitsPerEm: number;

  constructor(private readonly face: FontkitFont) {
    const f = face as unknown as { hmtx: FaceTables['hmtx']; maxp: { numGlyphs: number }; _cmapProcessor?: { lookup(cp: number): number } };
    this.hmtx = f.hmtx;
    this.advances = new Int32Array(f.maxp.numGlyphs).fill(-1);
    this.unitsPerEm = face.unitsPerEm;
    // fontkit's character map lookup without the glyph object glyphForCodePoint makes around it.
    const cmap = f._cmapProcessor;
    this.lookup = cmap && typeof cmap.lookup === 'function' ? (cp) => cmap.lookup(cp) : (cp) => face.glyphForCodePoint(cp).id;
  }

  private readonly lookup: (cp: number) => number;

  /** The glyph a code point is drawn with (0, .notdef, for one the font lacks). */
  gid(cp: number): number {
    if (cp < 0x30000) {
      const g = this.gids[cp];
      if (g) return g - 1;
      const gid = this.lookup(cp) || 0;
      this.gids[cp] = gid + 1;
      return gid;
    }
    let gid = this.otherGids.get(cp);
    if (gid === undefined) {
      gid = this.lookup(cp) || 0;
      this.otherGids.set(cp, gid);
    }
    return gid;
  }

  /** Reads the character map for the CJK blocks and every glyph's advance ahead (~30,000 lookups). */
  warm(): void {
    for (const [from, to] of [[0x20, 0x7e], [0x2000, 0x206f], [0x3000, 0x30ff], [0x3400, 0x9fff], [0xf900, 0xfaff], [0xff00, 0xffef]]) {
      for (let cp = from; cp <= to; cp++) this.gid(cp);
    }
    for (let gid = 0; gid < this.advances.length; gid++) this.advance(gid);
  }

  /** A glyph's advance width in font units (as fontkit's glyph.advanceWidth: hmtx, the last entry repeating). */
  advance(gid: number): number {
    let a = this.advances[gid];
    if (a < 0) {
      const m = this.hmtx.metrics;
      a = (gid < m.length ? m.get(gid) : m.get(m.length - 1))?.advance ?? 0;
      this.advances[gid] = a;
    }
    return a;
  }
}

const tables = new WeakMap<object, FaceTables>();
export function tablesOf(face: FontkitFont): FaceTables {
  let t = tables.get(face);
  if (!t) {
    t = new FaceTables(face);
    tables.set(face, t);
  }
  return t;
}

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
    const createSubset = face.createSubset.bind(face);
    face.createSubset = () => withFastSubroutines(createSubset());
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
 * Readies a face ahead of the first PDF (at start-up, off the request path): the glyphs and advances
 * of `text`, and for `allGlyphs` the character map of the CJK blocks and every glyph's advance; the
 * subroutines of every glyph (`allGlyphs`) or of those of `text` — what subsetting needs. Answers how many glyphs are ready to subset.
 */
export function warmFont(font: CjkFont, text = commonCharacters(), allGlyphs = true): number {
  const f = parsedFont(font);
  const run = f.layout(text) as PlainRun;
  if (allGlyphs) tablesOf(f).warm();
  return scanAhead(f, allGlyphs ? undefined : new Set(run.glyphs.map((g) => g.id)));
}
