/**
 * The 登记表 as a PDF made on the server with pdfkit: the same table as the HTML view, drawn cell by
 * cell, with Noto Sans CJK embedded (subset) so every Chinese character shows in any viewer. A cell
 * too long for the page continues on the next one under the same label.
 */
import PDFDocument from 'pdfkit';
import { findCjkFonts, parsedFont } from './fonts';
import { LineBreaker, LineWriter } from './lines';
import { dateZh, goalLines, LABELS, memberSchoolsText, memberUnitLines, profileEntries, type PrintForm } from './model';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 50, right: 50, top: 50 };
const CONTENT_BOTTOM = PAGE.height - 58; // below: the page footer
const TABLE_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const LABEL_WIDTH = 108;
const VALUE_WIDTH = TABLE_WIDTH - LABEL_WIDTH;
const PAD = 6;
const SIZE = { title: 18, meta: 11, text: 10.5, hint: 8.5, footer: 8 };
const LINE_GAP = 3;
const SIGN_BLOCK_HEIGHT = 112;

type Doc = PDFKit.PDFDocument;

interface Footer {
  height: number;
  draw(x: number, y: number, width: number): void;
}

export async function renderFormPdf(form: PrintForm): Promise<Buffer> {
  const fonts = findCjkFonts();
  const r = form.registration;
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN.top, bottom: 10, left: MARGIN.left, right: MARGIN.right },
    bufferPages: true,
    info: {
      Title: `${LABELS.title} — ${r.name}`,
      Subject: LABELS.title,
      Creator: '教联体登记与审批系统',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // The faces as parsed once per process: glyphs outlined for an earlier PDF are not parsed again.
  doc.registerFont('cjk', parsedFont(fonts.regular) as never);
  doc.registerFont('cjk-bold', parsedFont(fonts.bold) as never);

  const layout = new TableLayout(doc);

  // Title and the alliance's name.
  doc.font('cjk-bold').fontSize(SIZE.title).text(LABELS.title, MARGIN.left, MARGIN.top, { width: TABLE_WIDTH, align: 'center' });
  doc.font('cjk').fontSize(SIZE.meta).text(`${LABELS.allianceName}：${r.name}`, MARGIN.left, doc.y + 4, { width: TABLE_WIDTH, align: 'center' });
  layout.y = doc.y + 10;

  layout.fourCellRow([LABELS.leadSchool, r.schoolName], [LABELS.legalRepresentative, r.legalRepresentative]);
  layout.textRow({ label: LABELS.formedOn, value: dateZh(r.formedOn), minHeight: 26 });
  layout.textRow({ label: LABELS.memberSchools, hint: LABELS.memberSchoolsHint, value: memberSchoolsText(form), minHeight: 40 });
  layout.textRow({ label: LABELS.memberUnits, value: memberUnitLines(form).join('\n'), minHeight: 60 });
  layout.textRow({ label: LABELS.introduction, hint: LABELS.introductionHint, value: r.introduction, minHeight: 120 });
  layout.textRow({ label: LABELS.goals, hint: LABELS.goalsHint, value: goalLines(form).join('\n'), minHeight: 120 });
  for (const f of form.extraFields) layout.textRow({ label: f.labelZh, value: f.value, minHeight: 26 });
  layout.textRow({
    label: LABELS.leadSchoolOpinion,
    value: r.leadSchoolOpinion ?? '',
    minHeight: 50 + SIGN_BLOCK_HEIGHT,
    footer: signatureBlock(doc, form),
  });
  if (form.signature) {
    doc
      .font('cjk')
      .fontSize(SIZE.footer)
      .fillColor('#555555')
      .text(`签名内容摘要（SHA-256）：${form.signature.contentHash}`, MARGIN.left, layout.y + 4, { width: TABLE_WIDTH, lineBreak: false });
    doc.fillColor('#000000');
  }

  // 成员单位、成员简介 on extra pages, then 备注.
  layout.newPage();
  const profiles = profileEntries(form)
    .map((p) => `${p.heading}\n${p.profile}`)
    .join('\n\n');
  layout.textRow({ label: LABELS.profiles, hint: LABELS.profilesHint, value: profiles, minHeight: 480 });
  layout.textRow({ label: LABELS.remarks, value: r.remarks ?? '', minHeight: 40 });
  doc
    .font('cjk')
    .fontSize(SIZE.hint)
    .text(`${LABELS.remarks}：${LABELS.remarksNote}`, MARGIN.left, layout.y + 4, { width: TABLE_WIDTH, lineBreak: false });

  // Page numbers, once the number of pages is known.
  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    const footer = `第 ${i + 1} 页 / 共 ${pages.count} 页`;
    doc.font('cjk').fontSize(SIZE.footer).fillColor('#555555');
    // Centred by hand: given a width, pdfkit runs its line wrapper for each call (~0.3 ms a page).
    doc.text(footer, MARGIN.left + (TABLE_WIDTH - doc.widthOfString(footer)) / 2, PAGE.height - 40, { lineBreak: false });
  }
  fontsStoredUncompressed(doc);
  doc.end();
  return done;
}

/**
 * The embedded font program is stored as it is, not deflated: Noto CJK's charstrings hardly compress
 * (the largest form's subset: 5.5 MB → 5.0 MB) and deflating them was ~0.3 s of its render. pdfkit
 * (0.20) decides per object when it is made; the font's is told apart by its subtype, set before its
 * bytes are written.
 */
function fontsStoredUncompressed(doc: Doc) {
  type Ref = { data: { Subtype?: string }; compress: boolean; end(chunk?: unknown): unknown };
  const d = doc as unknown as { ref(data?: object): Ref };
  const ref = d.ref.bind(d);
  d.ref = (data) => {
    const r = ref(data);
    const end = r.end.bind(r);
    r.end = (chunk) => {
      if (r.data.Subtype === 'CIDFontType0C') r.compress = false;
      return end(chunk);
    };
    return r;
  };
}

/**
 * A made-up form of `text` (~40,000 characters over ~20 pages) rendered once per PDF thread at
 * start-up, so that the code setting and writing text is compiled before the first real PDF: a first
 * render took ~3× the CPU of later ones. Answers the PDF's size.
 */
export async function warmUpRenderer(text: string): Promise<number> {
  const chunk = (i: number) => text.slice((i * 997) % Math.max(1, text.length - 1000)).slice(0, 1000);
  const registration = {
    id: '00000000-0000-0000-0000-000000000000',
    schoolId: 0,
    schoolName: chunk(1).slice(0, 12),
    name: chunk(2).slice(0, 12),
    legalRepresentative: chunk(3).slice(0, 3),
    formedOn: '2026-01-01',
    memberSchools: [{ name: chunk(4).slice(0, 20) }],
    memberUnits: Array.from({ length: 40 }, (_, i) => ({ name: chunk(i).slice(0, 20), partyType: 'community', contactPerson: null, phone: null, role: chunk(i + 1).slice(0, 40), profile: chunk(i + 2) })),
    introduction: chunk(5).slice(0, 800),
    goals: Array.from({ length: 5 }, (_, i) => ({ id: String(i), title: chunk(i).slice(0, 30), measures: chunk(i + 3), indicator: null, targetDate: null })),
    leadSchoolOpinion: chunk(6).slice(0, 100),
    remarks: null,
  } as unknown as PrintForm['registration'];
  const pdf = await renderFormPdf({ registration, partyTypeNames: {}, extraFields: [], signature: null });
  return pdf.length;
}

/** 校长签名：（盖章） and the date, with the drawn signature and the stamp over them. */
function signatureBlock(doc: Doc, form: PrintForm): Footer {
  return {
    height: SIGN_BLOCK_HEIGHT,
    draw(x, y, width) {
      const labelX = x + width * 0.36;
      doc.font('cjk').fontSize(SIZE.text).fillColor('#000000');
      doc.text(LABELS.principalSignature, labelX, y + 18, { lineBreak: false });
      doc.text(LABELS.stamp, labelX, y + 48, { lineBreak: false });
      const sig = form.signature;
      const date = sig ? sig.signedOnZh : '      年    月    日';
      doc.text(date, x, y + SIGN_BLOCK_HEIGHT - 24, { width: width - 16, align: 'right', lineBreak: false });
      if (sig) {
        const sigX = labelX + doc.widthOfString(LABELS.principalSignature) + 4;
        doc.image(sig.signatureImage.bytes, sigX, y + 4, { fit: [Math.min(150, x + width - sigX - 110), 56], valign: 'center' });
        doc.image(sig.stamp.bytes, x + width - 122, y - 6, { fit: [108, 108] });
      }
    },
  };
}

/** Rows of a two-column (label | value) table that flows over pages. */
class TableLayout {
  y = MARGIN.top;
  private readonly breaker: LineBreaker;
  private readonly writer: LineWriter;
  constructor(private readonly doc: Doc) {
    const face = parsedFont(findCjkFonts().regular);
    this.breaker = new LineBreaker(face);
    this.writer = new LineWriter(doc, face);
  }

  newPage() {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  private lineHeight(size: number, gap = LINE_GAP): number {
    return this.doc.font('cjk').fontSize(size).currentLineHeight(true) + gap;
  }

  private wrap(text: string, width: number, size = SIZE.text): string[] {
    return text ? this.breaker.lines(text, width, size) : [];
  }

  private textHeight(text: string, width: number, size = SIZE.text, gap = LINE_GAP): number {
    return this.wrap(text, width, size).length * this.lineHeight(size, gap);
  }

  /** Pre-broken lines, each drawn where it belongs (pdfkit does no wrapping of its own here). */
  private drawLines(lines: string[], x: number, y: number, width: number, size: number, gap: number, align: 'left' | 'center') {
    const lh = this.lineHeight(size, gap);
    this.doc.font('cjk').fontSize(size);
    this.writer.draw(
      lines.map((text, i) => ({
        text,
        x: x + (align === 'center' ? Math.max(0, (width - this.breaker.width(text, size)) / 2) : 0),
        y: y + i * lh,
      })),
    );
  }

  private labelHeight(label: string, hint: string | undefined, width: number): number {
    return this.textHeight(label, width) + (hint ? this.textHeight(hint, width, SIZE.hint, LINE_GAP - 1) : 0);
  }

  private drawLabel(label: string, hint: string | undefined, x: number, y: number, width: number, height: number) {
    const inner = width - 2 * PAD;
    const h = this.labelHeight(label, hint, inner);
    let ty = y + Math.max(PAD, (height - h) / 2);
    this.drawLines(this.wrap(label, inner), x + PAD, ty, inner, SIZE.text, LINE_GAP, 'center');
    ty += this.textHeight(label, inner);
    if (hint) this.drawLines(this.wrap(hint, inner, SIZE.hint), x + PAD, ty, inner, SIZE.hint, LINE_GAP - 1, 'center');
  }

  private drawValue(lines: string[], x: number, y: number, width: number, height: number, valign: 'top' | 'middle') {
    if (!lines.length) return;
    const inner = width - 2 * PAD;
    const h = lines.length * this.lineHeight(SIZE.text);
    const ty = valign === 'middle' ? y + Math.max(PAD, (height - h) / 2) : y + PAD;
    this.drawLines(lines, x + PAD, ty, inner, SIZE.text, LINE_GAP, 'left');
  }

  private box(x: number, y: number, w: number, h: number) {
    this.doc.lineWidth(0.8).rect(x, y, w, h).stroke('#000000');
  }

  /** 牵头学校 | … | 法人代表 | … */
  fourCellRow([label1, value1]: [string, string], [label2, value2]: [string, string]) {
    const widths = [LABEL_WIDTH, 176, 76, VALUE_WIDTH - 176 - 76];
    const lines1 = this.wrap(value1, widths[1] - 2 * PAD);
    const lines3 = this.wrap(value2, widths[3] - 2 * PAD);
    const lh = this.lineHeight(SIZE.text);
    const height = Math.max(30, lines1.length * lh + 2 * PAD, lines3.length * lh + 2 * PAD);
    if (this.y + height > CONTENT_BOTTOM) this.newPage();
    let x = MARGIN.left;
    const cells: [string, string[] | null][] = [[label1, null], [value1, lines1], [label2, null], [value2, lines3]];
    cells.forEach(([text, lines], i) => {
      this.box(x, this.y, widths[i], height);
      if (!lines) this.drawLabel(text, undefined, x, this.y, widths[i], height);
      else this.drawValue(lines, x, this.y, widths[i], height, 'middle');
      x += widths[i];
    });
    this.y += height;
  }

  /** label | value; a value longer than the page continues on the next one, the footer closes the last part. */
  textRow(row: { label: string; hint?: string; value: string; minHeight: number; footer?: Footer }) {
    const inner = VALUE_WIDTH - 2 * PAD;
    const footerHeight = row.footer?.height ?? 0;
    const lh = this.lineHeight(SIZE.text);
    // Broken into lines once; a page takes as many whole lines as fit.
    let remaining = this.wrap(row.value, inner);
    let label = row.label;
    for (;;) {
      const labelNeed = this.labelHeight(label, row.hint, LABEL_WIDTH - 2 * PAD) + 2 * PAD;
      const need = Math.max(row.minHeight, remaining.length * lh + 2 * PAD + footerHeight, labelNeed);
      const available = CONTENT_BOTTOM - this.y;
      if (need <= available) {
        this.drawRow(label, row.hint, remaining, need, row.footer);
        return;
      }
      const room = available - 2 * PAD;
      const fit = room > 80 ? Math.floor(room / lh) : 0;
      // Nothing fits here, or a short row would fit whole on a fresh page: move it there rather than split it.
      const fitsFreshPage = need <= CONTENT_BOTTOM - MARGIN.top;
      if (fit === 0 || (this.y > MARGIN.top + 1 && fitsFreshPage && (need < 260 || available < 120))) {
        if (this.y <= MARGIN.top + 1) throw new Error('a cell cannot fit on an empty page');
        this.newPage();
        continue;
      }
      this.drawRow(label, row.hint, remaining.slice(0, fit), available, undefined);
      this.newPage();
      remaining = remaining.slice(fit);
      while (remaining.length && remaining[0] === '') remaining = remaining.slice(1);
      label = `${row.label}（续）`;
    }
  }

  private drawRow(label: string, hint: string | undefined, lines: string[], height: number, footer: Footer | undefined) {
    const x = MARGIN.left;
    this.box(x, this.y, LABEL_WIDTH, height);
    this.box(x + LABEL_WIDTH, this.y, VALUE_WIDTH, height);
    this.drawLabel(label, hint, x, this.y, LABEL_WIDTH, height);
    const short = lines.length <= 1;
    this.drawValue(lines, x + LABEL_WIDTH, this.y, VALUE_WIDTH, footer ? height - footer.height : height, short && !footer && height < 60 ? 'middle' : 'top');
    if (footer) footer.draw(x + LABEL_WIDTH, this.y + height - footer.height, VALUE_WIDTH);
    this.y += height;
  }
}
