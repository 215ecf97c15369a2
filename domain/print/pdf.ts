/**
 * The 登记表 as a PDF made on the server with pdfkit: the same table as the HTML view, drawn cell by
 * cell, with Noto Sans CJK embedded (subset) so every Chinese character shows in any viewer. A cell
 * too long for the page continues on the next one under the same label.
 */
import PDFDocument from 'pdfkit';
import { findCjkFonts, fontBytes } from './fonts';
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
  doc.registerFont('cjk', fontBytes(fonts.regular), fonts.regular.postscriptName);
  doc.registerFont('cjk-bold', fontBytes(fonts.bold), fonts.bold.postscriptName);

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
    doc
      .font('cjk')
      .fontSize(SIZE.footer)
      .fillColor('#555555')
      .text(`第 ${i + 1} 页 / 共 ${pages.count} 页`, MARGIN.left, PAGE.height - 40, { width: TABLE_WIDTH, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
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
  constructor(private readonly doc: Doc) {}

  newPage() {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  private textHeight(text: string, width: number, size = SIZE.text): number {
    if (!text) return 0;
    return this.doc.font('cjk').fontSize(size).heightOfString(text, { width, lineGap: LINE_GAP });
  }

  private labelHeight(label: string, hint: string | undefined, width: number): number {
    return this.textHeight(label, width) + (hint ? this.textHeight(hint, width, SIZE.hint) : 0);
  }

  private drawLabel(label: string, hint: string | undefined, x: number, y: number, width: number, height: number) {
    const inner = width - 2 * PAD;
    const h = this.labelHeight(label, hint, inner);
    let ty = y + Math.max(PAD, (height - h) / 2);
    this.doc.font('cjk').fontSize(SIZE.text).text(label, x + PAD, ty, { width: inner, align: 'center', lineGap: LINE_GAP });
    ty += this.textHeight(label, inner);
    if (hint) this.doc.font('cjk').fontSize(SIZE.hint).text(hint, x + PAD, ty, { width: inner, align: 'center', lineGap: LINE_GAP - 1 });
  }

  private drawValue(text: string, x: number, y: number, width: number, height: number, valign: 'top' | 'middle') {
    if (!text) return;
    const inner = width - 2 * PAD;
    const h = this.textHeight(text, inner);
    const ty = valign === 'middle' ? y + Math.max(PAD, (height - h) / 2) : y + PAD;
    this.doc.font('cjk').fontSize(SIZE.text).text(text, x + PAD, ty, { width: inner, lineGap: LINE_GAP });
  }

  private box(x: number, y: number, w: number, h: number) {
    this.doc.lineWidth(0.8).rect(x, y, w, h).stroke('#000000');
  }

  /** 牵头学校 | … | 法人代表 | … */
  fourCellRow([label1, value1]: [string, string], [label2, value2]: [string, string]) {
    const widths = [LABEL_WIDTH, 176, 76, VALUE_WIDTH - 176 - 76];
    const height = Math.max(
      30,
      this.textHeight(value1, widths[1] - 2 * PAD) + 2 * PAD,
      this.textHeight(value2, widths[3] - 2 * PAD) + 2 * PAD,
    );
    if (this.y + height > CONTENT_BOTTOM) this.newPage();
    let x = MARGIN.left;
    const cells: [string, boolean][] = [[label1, true], [value1, false], [label2, true], [value2, false]];
    cells.forEach(([text, isLabel], i) => {
      this.box(x, this.y, widths[i], height);
      if (isLabel) this.drawLabel(text, undefined, x, this.y, widths[i], height);
      else this.drawValue(text, x, this.y, widths[i], height, 'middle');
      x += widths[i];
    });
    this.y += height;
  }

  /** label | value; a value longer than the page continues on the next one, the footer closes the last part. */
  textRow(row: { label: string; hint?: string; value: string; minHeight: number; footer?: Footer }) {
    const inner = VALUE_WIDTH - 2 * PAD;
    const footerHeight = row.footer?.height ?? 0;
    let remaining = row.value.replace(/\r\n?/g, '\n');
    let label = row.label;
    for (;;) {
      const labelNeed = this.labelHeight(label, row.hint, LABEL_WIDTH - 2 * PAD) + 2 * PAD;
      const need = Math.max(row.minHeight, this.textHeight(remaining, inner) + 2 * PAD + footerHeight, labelNeed);
      const available = CONTENT_BOTTOM - this.y;
      if (need <= available) {
        this.drawRow(label, row.hint, remaining, need, row.footer);
        return;
      }
      const room = available - 2 * PAD;
      const [head, tail] = room > 80 ? this.splitToFit(remaining, inner, room) : ['', remaining];
      // Nothing fits here, or a short row would fit whole on a fresh page: move it there rather than split it.
      const fitsFreshPage = need <= CONTENT_BOTTOM - MARGIN.top;
      if (!head || (this.y > MARGIN.top + 1 && fitsFreshPage && (need < 260 || available < 120))) {
        if (this.y <= MARGIN.top + 1) throw new Error('a cell cannot fit on an empty page');
        this.newPage();
        continue;
      }
      this.drawRow(label, row.hint, head, available, undefined);
      this.newPage();
      remaining = tail;
      label = `${row.label}（续）`;
    }
  }

  private drawRow(label: string, hint: string | undefined, value: string, height: number, footer: Footer | undefined) {
    const x = MARGIN.left;
    this.box(x, this.y, LABEL_WIDTH, height);
    this.box(x + LABEL_WIDTH, this.y, VALUE_WIDTH, height);
    this.drawLabel(label, hint, x, this.y, LABEL_WIDTH, height);
    const short = !value.includes('\n') && this.textHeight(value, VALUE_WIDTH - 2 * PAD) <= SIZE.text * 2 + LINE_GAP;
    this.drawValue(value, x + LABEL_WIDTH, this.y, VALUE_WIDTH, footer ? height - footer.height : height, short && !footer && height < 60 ? 'middle' : 'top');
    if (footer) footer.draw(x + LABEL_WIDTH, this.y + height - footer.height, VALUE_WIDTH);
    this.y += height;
  }

  /** The longest head of the text that fits the height, broken at a line end when one is near. */
  private splitToFit(text: string, width: number, maxHeight: number): [string, string] {
    const chars = Array.from(text);
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.textHeight(chars.slice(0, mid).join(''), width) <= maxHeight) lo = mid;
      else hi = mid - 1;
    }
    let cut = lo;
    const newline = chars.slice(0, lo).lastIndexOf('\n');
    if (newline > lo * 0.85) cut = newline + 1;
    return [chars.slice(0, cut).join('').trimEnd(), chars.slice(cut).join('').replace(/^\n+/, '')];
  }
}
