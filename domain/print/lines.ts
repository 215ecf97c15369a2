/**
 * Text for the PDF broken into lines and written into the page, both in time linear in the text.
 * A long registration is ~650,000 characters on ~550 pages: every step per character counts.
 */
import { tablesOf, type FaceTables, type FontkitFont } from './fonts';

/** Closing punctuation never starts a line. */
const NO_LINE_START = new Set(Array.from('，。、；：？！）》」』】〕”’,.;:?!)]}%').map((c) => c.codePointAt(0)!));
const SPACE = 0x20;
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/**
 * Lines break between CJK characters anywhere, Latin words at spaces when they fit, and closing
 * punctuation never starts a line. Widths are the glyphs' advances summed in font units (exact
 * integers), each looked up once per character. (pdfkit's own wrapping re-measures a growing prefix
 * of any run it cannot break — a long profile without break points took ~20 s and blocked the API.)
 */
export class LineBreaker {
  private readonly t: FaceTables;
  constructor(font: FontkitFont) {
    this.t = tablesOf(font);
  }

  private advance(cp: number): number {
    return this.t.advance(this.t.gid(cp));
  }

  /** The width of one line of text at a size, in points. */
  width(text: string, size: number): number {
    let units = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      units += this.advance(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    return (units * size) / this.t.unitsPerEm;
  }

  lines(text: string, maxWidth: number, size: number): string[] {
    const out: string[] = [];
    const max = (maxWidth * this.t.unitsPerEm) / size;
    for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
      let start = 0; // the line is paragraph[start, i)
      let width = 0;
      let lastSpaceEnd = -1; // index just after the line's last space
      let lastChar = -1; // index of the line's last character
      for (let i = 0; i < paragraph.length; ) {
        const cp = paragraph.codePointAt(i)!;
        const next = i + (cp > 0xffff ? 2 : 1);
        const w = this.advance(cp);
        if (width + w > max && i > start) {
          let cut = i;
          // A Latin word that began on this line moves down whole.
          if (cp !== SPACE && lastSpaceEnd > start && !/\s/.test(String.fromCodePoint(cp)) && !CJK.test(String.fromCodePoint(cp))) cut = lastSpaceEnd;
          // Closing punctuation stays with the character before it.
          else if (NO_LINE_START.has(cp) && lastChar > start) cut = lastChar;
          out.push(paragraph.slice(start, cut).trimEnd());
          start = cut;
          width = 0;
          for (let j = cut; j < i; ) {
            const c = paragraph.codePointAt(j)!;
            width += this.advance(c);
            j += c > 0xffff ? 2 : 1;
          }
          lastSpaceEnd = -1;
          if (cp === SPACE && start === i) {
            start = next;
            i = next;
            continue;
          }
        }
        width += w;
        lastChar = i;
        if (cp === SPACE) lastSpaceEnd = next;
        i = next;
      }
      out.push(paragraph.slice(start).trimEnd());
    }
    return out;
  }
}

/** The parts of pdfkit's document and embedded font that writing text straight into a page uses (pdfkit 0.20). */
interface EmbeddedFont {
  id: string;
  ascender: number;
  subset: { includeGlyph(id: number): number };
  widths: number[];
  unicode: number[][];
  ref(): unknown;
}
interface DocInternals {
  _font: EmbeddedFont;
  _fontSize: number;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(data: string): unknown;
}

const num = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * Pre-broken lines written into the page's content stream as pdfkit's `text()` writes them — the
 * glyphs of the document's subset of the current font, their widths and Unicode values recorded for
 * the font's embedding (so text can be copied and searched) — without pdfkit's per-line layout,
 * measuring and option handling, which were most of the time of a long form.
 */
export class LineWriter {
  /** Per embedded font (one per document and face): glyph id + 1 in the document's subset, by code point. */
  private readonly subsetIds = new Map<EmbeddedFont, Int32Array>();
  private readonly t: FaceTables;
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    face: FontkitFont,
  ) {
    this.t = tablesOf(face);
  }

  private subsetId(font: EmbeddedFont, ids: Int32Array, cp: number): number {
    const known = cp < ids.length ? ids[cp] : 0;
    if (known) return known - 1;
    const glyph = this.t.gid(cp);
    const gid = font.subset.includeGlyph(glyph);
    if (font.widths[gid] == null) font.widths[gid] = (this.t.advance(glyph) * 1000) / this.t.unitsPerEm;
    if (font.unicode[gid] == null) font.unicode[gid] = [cp];
    if (cp < ids.length) ids[cp] = gid + 1;
    return gid;
  }

  /** Each line with its top-left corner, in the document's current font (which must be `face`) and size. */
  draw(lines: { text: string; x: number; y: number }[]) {
    const doc = this.doc as unknown as DocInternals;
    const font = doc._font;
    let ids = this.subsetIds.get(font);
    if (!ids) {
      ids = new Int32Array(0x30000);
      this.subsetIds.set(font, ids);
    }
    if (doc.page.fonts[font.id] == null) doc.page.fonts[font.id] = font.ref();
    const size = doc._fontSize;
    const baseline = (font.ascender / 1000) * size;
    const height = doc.page.height;
    // Each glyph is 2 bytes of a literal string (4 as hex): half the stream to build and deflate.
    let room = 64;
    for (const line of lines) room += 48 + 4 * line.text.length;
    const out = Buffer.allocUnsafe(room);
    let pos = out.write(`q 1 0 0 -1 0 ${num(height)} cm BT /${font.id} ${num(size)} Tf\n`, 0, 'latin1');
    for (const line of lines) {
      if (!line.text) continue;
      pos += out.write(`1 0 0 1 ${num(line.x)} ${num(height - line.y - baseline)} Tm (`, pos, 'latin1');
      for (let i = 0; i < line.text.length; ) {
        const cp = line.text.codePointAt(i)!;
        i += cp > 0xffff ? 2 : 1;
        const gid = this.subsetId(font, ids, cp);
        pos = putByte(out, pos, gid >> 8);
        pos = putByte(out, pos, gid & 0xff);
      }
      pos += out.write(') Tj\n', pos, 'latin1');
    }
    pos += out.write('ET Q\n', pos, 'latin1');
    doc.addContent(out.subarray(0, pos) as never);
  }
}

/** One byte of a PDF literal string: the delimiters and the backslash escaped, and CR and LF (which a reader would normalise). */
function putByte(out: Buffer, pos: number, b: number): number {
  if (b === 0x28 || b === 0x29 || b === 0x5c) {
    out[pos++] = 0x5c;
    out[pos++] = b;
  } else if (b === 0x0a || b === 0x0d) {
    out[pos++] = 0x5c;
    out[pos++] = b === 0x0a ? 0x6e : 0x72; // \n, \r
  } else out[pos++] = b;
  return pos;
}

