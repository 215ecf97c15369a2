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
