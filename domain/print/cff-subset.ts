/**
 * Subsetting Noto CJK (a CID-keyed CFF font) without drawing every glyph. fontkit learns which
 * subroutines a glyph calls by building the glyph's whole outline (`glyph.path`): about 0.1 ms a
 * glyph, most of the time of a PDF with many distinct characters (the largest registration has
 * ~20,000). The subset needs only the subroutine numbers, so here a glyph's charstring is read for
 * its subroutine calls alone — the operand stack, the stem count that sizes a hint mask, the calls —
 * and the answer is kept per glyph for the life of the face. A charstring using anything else (the
 * arithmetic and storage operators, CFF2) is left to fontkit's own reading.
 */

interface Range {
  offset: number;
  length: number;
}
interface PrivateDict {
  Subrs?: Range[];
}
interface Cff {
  version: number;
  isCIDFont: boolean;
  stream: { buffer: Uint8Array };
  globalSubrIndex?: Range[];
  topDict: { CharStrings: Range[]; FDArray: { Private?: PrivateDict | null }[]; FDSelect?: unknown; Private?: PrivateDict | null };
  fdForGlyph(gid: number): number | null;
  privateDictForGlyph(gid: number): PrivateDict | null;
  getCharString(gid: number): Uint8Array;
}
interface Face {
  getGlyph(gid: number): { path: unknown; _usedGsubrs?: Record<string, boolean>; _usedSubrs?: Record<string, boolean> };
}
/** fontkit's CFFSubset, the parts replaced here. */
interface CffSubset {
  cff: Cff;
  font: Face;
  glyphs: number[];
  charstrings: Uint8Array[];
  gsubrs: Uint8Array[];
  subsetSubrs(subrs: Range[], used: Record<number, boolean>): Uint8Array[];
  subsetCharstrings(): void;
  subsetFontdict(topDict: Record<string, unknown>): void;
}

/** The global and local subroutines one glyph calls (indices into the INDEXes, bias applied). */
export interface UsedSubrs {
  global: number[];
  local: number[];
}

const bias = (subrs: Range[]) => (subrs.length < 1240 ? 107 : subrs.length < 33900 ? 1131 : 32768);

/** Glyph id → the subroutines it calls, per CFF table (one per face). */
const usedByCff = new WeakMap<Cff, Map<number, UsedSubrs>>();

/** The subroutines a glyph calls, or null when its charstring uses an operator this reader leaves to fontkit. */
export function scanCharString(cff: Cff, gid: number): UsedSubrs | null {
  if (cff.version >= 2) return null;
  const buf = cff.stream.buffer;
  const gsubrs = cff.globalSubrIndex ?? [];
  const subrs = cff.privateDictForGlyph(gid)?.Subrs ?? [];
  const gBias = bias(gsubrs);
  const lBias = bias(subrs);
  const global = new Set<number>();
  const local = new Set<number>();
  const stack: number[] = [];
  let sp = 0;
  let stems = 0;
  let depth = 0;

  // Answers false for an operator left to fontkit.
  const run = (start: number, end: number): boolean => {
    if (++depth > 10) return false; // Type 2 allows 10 levels of subroutine calls
    let pos = start;
    while (pos < end) {
      const op = buf[pos++];
      if (op >= 32) {
        if (op < 247) stack[sp++] = op - 139;
        else if (op < 251) stack[sp++] = (op - 247) * 256 + buf[pos++] + 108;
        else if (op < 255) stack[sp++] = -(op - 251) * 256 - buf[pos++] - 108;
        else {
          stack[sp++] = (((buf[pos] << 24) | (buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]) >> 0) / 65536;
          pos += 4;
        }
        continue;
      }
      switch (op) {
        case 28:
          stack[sp++] = ((buf[pos] << 24) | (buf[pos + 1] << 16)) >> 16;
          pos += 2;
          break;
        case 1: // hstem
        case 3: // vstem
        case 18: // hstemhm
        case 23: // vstemhm
          stems += sp >> 1; // an odd count starts with the width
          sp = 0;
          break;
        case 19: // hintmask
        case 20: // cntrmask
          stems += sp >> 1; // operands here are an implied vstemhm
          sp = 0;
          pos += (stems + 7) >> 3;
          break;
        case 10: // callsubr
        case 29: {
          // callgsubr
          const isGlobal = op === 29;
          const index = stack[--sp] + (isGlobal ? gBias : lBias);
          const subr = (isGlobal ? gsubrs : subrs)[index];
          if (subr) {
            (isGlobal ? global : local).add(index);
            if (!run(subr.offset, subr.offset + subr.length)) return false;
          }
          break;
        }
        case 11: // return
          depth--;
          return true;
        case 14: // endchar (fontkit reads on to the end of the charstring, as here)
        case 4: // vmoveto
        case 5: // rlineto
        case 6: // hlineto
        case 7: // vlineto
        case 8: // rrcurveto
        case 21: // rmoveto
        case 22: // hmoveto
        case 24: // rcurveline
        case 25: // rlinecurve
        case 26: // vvcurveto
        case 27: // hhcurveto
        case 30: // vhcurveto
        case 31: // hvcurveto
          sp = 0;
          break;
        case 12: {
          const esc = buf[pos++];
          if (esc >= 34 && esc <= 37) sp = 0; // the flex operators
          else return false;
          break;
        }
        default:
          return false;
      }
    }
    depth--;
    return true;
  };
  const cs = cff.topDict.CharStrings[gid];
  if (!run(cs.offset, cs.offset + cs.length)) return null;
  return { global: [...global], local: [...local] };
}

function usedSubrs(cff: Cff, face: Face, gid: number): UsedSubrs {
  let known = usedByCff.get(cff);
  if (!known) {
    known = new Map();
    usedByCff.set(cff, known);
  }
  let used = known.get(gid);
  if (!used) {
    used = scanCharString(cff, gid) ?? fontkitUsedSubrs(face, gid);
    known.set(gid, used);
  }
  return used;
}

/** fontkit's own answer: the glyph's outline built, its calls recorded on the way. */
export function fontkitUsedSubrs(face: Face, gid: number): UsedSubrs {
  const glyph = face.getGlyph(gid);
  void glyph.path;
  return { global: Object.keys(glyph._usedGsubrs ?? {}).map(Number), local: Object.keys(glyph._usedSubrs ?? {}).map(Number) };
}

/**
 * Makes a subset of a CID-keyed CFF 1 font learn each glyph's subroutines by `usedSubrs` instead of
 * its outline; otherwise the same steps as fontkit 2.0's CFFSubset.subsetCharstrings and
 * subsetFontdict (the font is written by fontkit as before).
 */
export function withFastSubroutines<T>(subset: T): T {
  const s = subset as unknown as CffSubset;
  if (!s.cff || s.cff.version >= 2 || !s.cff.isCIDFont || !s.cff.topDict.FDSelect) return subset;
  s.subsetCharstrings = function subsetCharstrings(this: CffSubset) {
    this.charstrings = [];
    const used: Record<number, boolean> = {};
    for (const gid of this.glyphs) {
      this.charstrings.push(this.cff.getCharString(gid));
      for (const i of usedSubrs(this.cff, this.font, gid).global) used[i] = true;
    }
    this.gsubrs = this.subsetSubrs(this.cff.globalSubrIndex ?? [], used);
  };
  s.subsetFontdict = function subsetFontdict(this: CffSubset, topDict: Record<string, unknown>) {
    const fdArray: { Private?: PrivateDict | null; FontName?: unknown }[] = [];
    const fds: number[] = [];
    topDict.FDArray = fdArray;
    topDict.FDSelect = { version: 0, fds };
    const usedLocal: Record<number, boolean>[] = [];
    const newFd: Record<number, number> = {};
    for (const gid of this.glyphs) {
      const fd = this.cff.fdForGlyph(gid);
      if (fd == null) continue;
      if (newFd[fd] === undefined) {
        fdArray.push({ ...this.cff.topDict.FDArray[fd] });
        usedLocal.push({});
        newFd[fd] = fdArray.length - 1;
      }
      fds.push(newFd[fd]);
      for (const i of usedSubrs(this.cff, this.font, gid).local) usedLocal[newFd[fd]][i] = true;
    }
    fdArray.forEach((dict, i) => {
      delete dict.FontName;
      if (dict.Private?.Subrs) dict.Private = { ...dict.Private, Subrs: this.subsetSubrs(dict.Private.Subrs, usedLocal[i]) as never };
    });
  };
  return subset;
}

/**
 * The subroutines of the face's glyphs read ahead (at start-up, all of them unless `gids` says
 * which), so that subsetting reads nothing. Answers how many glyphs were read.
 */
export function scanAhead(face: unknown, gids?: Iterable<number>): number {
  const cff = (face as { 'CFF '?: Cff })['CFF '];
  if (!cff || cff.version >= 2) return 0;
  let n = 0;
  const all = cff.topDict.CharStrings.length;
  for (const gid of gids ?? Array.from({ length: all }, (_, i) => i)) {
    usedSubrs(cff, face as Face, gid);
    n++;
  }
  return n;
}
