import { fontkitUsedSubrs, scanCharString } from '../../domain/print/cff-subset';
import { commonCharacters, findCjkFonts, parsedFont, plainLayout, tablesOf, type FontkitFont } from '../../domain/print/fonts';
import { LineBreaker } from '../../domain/print/lines';

type Cff = Parameters<typeof scanCharString>[0];
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('The PDF’s CJK font', () => {
  test.each(['regular', 'bold'] as const)(
    'When the %s face is subset, then the subroutines read from each glyph’s charstring are the ones fontkit finds by drawing the glyph',
    (which) => {
      const face = parsedFont(findCjkFonts()[which]);
      const cff = (face as unknown as { 'CFF ': Cff })['CFF '];
      const glyphs = cff.topDict.CharStrings.length;
      // Every 31st glyph (about 2,100 of 65,535) and the common characters' (all of them agreed when this was written).
      const gids = new Set<number>();
      for (let gid = 0; gid < glyphs; gid += 31) gids.add(gid);
      for (const ch of commonCharacters()) gids.add(tablesOf(face).gid(ch.codePointAt(0)!));
      const differing: unknown[] = [];
      for (const gid of gids) {
        const ours = scanCharString(cff, gid);
        const theirs = fontkitUsedSubrs(face as never, gid);
        const a = ours && `${sorted(ours.global)} | ${sorted(ours.local)}`;
        const b = `${sorted(theirs.global)} | ${sorted(theirs.local)}`;
        if (a !== b) differing.push({ gid, ours: a, fontkit: b });
      }
      expect(gids.size).toBeGreaterThan(5000);
      expect(differing).toEqual([]);
    },
  );

  test('When text is set from the character map, then each character has the glyph and advance fontkit gives it', () => {
    const face = parsedFont(findCjkFonts().regular);
    const text = `${commonCharacters()}𠀀𪚥\u{2a6d6}©é`;
    const run = plainLayout(face)(text);
    const codePoints = Array.from(text, (c) => c.codePointAt(0)!);
    expect(run.glyphs.map((g) => g.id)).toEqual(codePoints.map((cp) => face.glyphForCodePoint(cp).id));
    expect(codePoints.map((cp) => tablesOf(face).gid(cp))).toEqual(codePoints.map((cp) => face.glyphForCodePoint(cp).id));
    expect(codePoints.map((cp) => tablesOf(face).advance(tablesOf(face).gid(cp)))).toEqual(codePoints.map((cp) => face.glyphForCodePoint(cp).advanceWidth));
  });

  test('When lines are broken, then CJK breaks anywhere, a Latin word moves down whole and closing punctuation stays on its line', () => {
    const face: FontkitFont = parsedFont(findCjkFonts().regular);
    const breaker = new LineBreaker(face);
    const width = (s: string) => breaker.width(s, 10);
    const han = '教'.repeat(30);
    expect(breaker.lines(han, width('教'.repeat(10)), 10)).toEqual(['教'.repeat(10), '教'.repeat(10), '教'.repeat(10)]);
    // The eleventh character is a full stop: it takes the tenth with it to the next line.
    expect(breaker.lines(`${'教'.repeat(10)}。`, width('教'.repeat(10)), 10)).toEqual(['教'.repeat(9), '教。']);
    const words = breaker.lines('alliance members together', width('alliance members'), 10);
    expect(words).toEqual(['alliance members', 'together']);
    expect(breaker.lines('第一段\n\n第二段', 100, 10)).toEqual(['第一段', '', '第二段']);
  });
});
