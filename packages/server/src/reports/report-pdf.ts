/**
 * PDF reports, made in-process by pdfkit from the same report document the HTML comes from:
 * headings, paragraphs, label/value lists and tables that break across pages (the header row
 * repeated), and on every page a footer with the reference, the journal head and "page N of
 * M". The PDF's standard fonts cover Latin-1 only; other characters print as "?" (the HTML
 * and the stored incident keep them).
 */
import PDFDocument from 'pdfkit';
import type { ReportBlock, ReportDocument } from './report-document.ts';
import { iso } from './report-document.ts';

const MARGIN = 50;
const FOOTER = 30;
const BODY = 9.5;

/** Characters the standard fonts can show (WinAnsi is Latin-1 plus a few). */
const printable = (value: string): string =>
  value
    .replace(/\r\n?/g, '\n')
    .replace(
      /[^\t\n\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/gu,
      '?',
    );

type Pdf = InstanceType<typeof PDFDocument>;

function bottom(pdf: Pdf): number {
  return pdf.page.height - MARGIN - FOOTER;
}

function ensureRoom(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottom(pdf)) pdf.addPage();
}

function heading(pdf: Pdf, value: string): void {
  ensureRoom(pdf, 40);
  pdf.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('#000').text(printable(value));
  const y = pdf.y + 2;
  pdf
    .moveTo(MARGIN, y)
    .lineTo(pdf.page.width - MARGIN, y)
    .strokeColor('#888')
    .stroke();
  pdf.moveDown(0.5).font('Helvetica').fontSize(BODY);
}

function factsBlock(pdf: Pdf, rows: readonly (readonly [string, string])[]): void {
  const labelWidth = 150;
  const width = pdf.page.width - 2 * MARGIN - labelWidth - 10;
  for (const [label, value] of rows) {
    const shown = printable(value || '—');
    const h = Math.max(
      pdf.font('Helvetica').fontSize(BODY).heightOfString(shown, { width }),
      pdf.font('Helvetica-Bold').heightOfString(printable(label), { width: labelWidth }),
    );
    ensureRoom(pdf, h + 2);
    const y = pdf.y;
    pdf.font('Helvetica-Bold').text(printable(label), MARGIN, y, { width: labelWidth });
    pdf.font('Helvetica').text(shown, MARGIN + labelWidth + 10, y, { width });
    pdf.x = MARGIN;
    pdf.y = y + h + 2;
  }
}

function tableBlock(
  pdf: Pdf,
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  const total = pdf.page.width - 2 * MARGIN;
  const widths = columnWidths(columns, rows, total);
  const pad = 3;
  const drawRow = (cells: readonly string[], bold: boolean): void => {
    pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(BODY - 1);
    const shown = cells.map((c) => printable(c || '—'));
    const h =
      Math.max(...shown.map((c, i) => pdf.heightOfString(c, { width: widths[i]! - 2 * pad }))) +
      2 * pad;
    if (pdf.y + h > bottom(pdf)) {
      pdf.addPage();
      if (!bold) drawRow(columns, true);
      pdf.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(BODY - 1);
    }
    const y = pdf.y;
    let x = MARGIN;
    shown.forEach((cell, i) => {
      const w = widths[i]!;
      if (bold) pdf.rect(x, y, w, h).fillColor('#e8e8e8').fill().fillColor('#000');
      pdf.rect(x, y, w, h).strokeColor('#aaa').stroke();
      pdf.text(cell, x + pad, y + pad, { width: w - 2 * pad });
      x += w;
    });
    pdf.x = MARGIN;
    pdf.y = y + h;
  };
  drawRow(columns, true);
  for (const row of rows) drawRow(row, false);
  pdf.moveDown(0.5).font('Helvetica').fontSize(BODY);
}

/** Wider columns for longer content, none narrower than 40 points. */
function columnWidths(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  total: number,
): number[] {
  const weight = columns.map((c, i) => {
    const longest = Math.max(c.length, ...rows.slice(0, 200).map((r) => (r[i] ?? '').length));
    return Math.min(60, Math.max(6, longest));
  });
  const sum = weight.reduce((a, b) => a + b, 0);
  const raw = weight.map((w) => Math.max(40, (w / sum) * total));
  const scale = total / raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w * scale);
}

function block(pdf: Pdf, item: ReportBlock): void {
  switch (item.kind) {
    case 'text':
      ensureRoom(pdf, 20);
      pdf.font('Helvetica').fontSize(BODY).text(printable(item.text)).moveDown(0.4);
      return;
    case 'facts':
      factsBlock(pdf, item.rows);
      pdf.moveDown(0.4);
      return;
    case 'table':
      tableBlock(pdf, item.columns, item.rows);
      return;
  }
}

function footers(pdf: Pdf, doc: ReportDocument): void {
  const range = pdf.bufferedPageRange();
  const head = doc.journalHead
    ? `journal head ${doc.journalHead.seq} ${doc.journalHead.hash.slice(0, 16)}…`
    : 'journal head —';
  for (let i = 0; i < range.count; i += 1) {
    pdf.switchToPage(range.start + i);
    const y = pdf.page.height - MARGIN - 12;
    pdf.page.margins.bottom = 0;
    pdf
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor('#555')
      .text(printable(`${doc.reference} · ${head} · page ${i + 1} of ${range.count}`), MARGIN, y, {
        width: pdf.page.width - 2 * MARGIN,
        align: 'center',
        lineBreak: false,
      });
  }
}

export async function renderReportPdf(doc: ReportDocument): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: printable(`${doc.title} ${doc.reference}`),
      Author: 'Cordon',
      Subject: printable(doc.tenantName),
      CreationDate: new Date(doc.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.font('Helvetica-Bold').fontSize(18).text(printable(doc.title));
  pdf
    .font('Helvetica')
    .fontSize(10)
    .fillColor('#333')
    .text(printable(`${doc.reference} · ${doc.tenantName}`))
    .text(printable(`Generated ${iso(doc.generatedAt)} by ${doc.generatedBy}`));
  if (doc.journalHead) {
    const cp = doc.journalHead.checkpoint
      ? `, signed checkpoint ${doc.journalHead.checkpoint}`
      : '';
    pdf.text(`Journal head: entry ${doc.journalHead.seq}${cp}`).text(doc.journalHead.hash);
  }
  pdf.fillColor('#000');
  for (const section of doc.sections) {
    heading(pdf, section.heading);
    for (const item of section.blocks) block(pdf, item);
  }
  footers(pdf, doc);
  pdf.end();
  return done;
}
