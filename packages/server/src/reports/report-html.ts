/**
 * HTML reports: the report document turned into the variables a template sees (documented in
 * the README, "Reports"), rendered with the tenant's template or the default one. The page
 * carries a Content-Security-Policy that allows no script and no remote content at all, so even
 * a template written carelessly cannot make a report run code or call out when it is opened.
 */
import type { ReportBlock, ReportDocument } from './report-document.ts';
import { iso } from './report-document.ts';
import { compileTemplate } from './report-template.ts';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

interface BlockView {
  readonly isText: boolean;
  readonly isFacts: boolean;
  readonly isTable: boolean;
  readonly text?: string;
  readonly rows?: readonly unknown[];
  readonly columns?: readonly string[];
}

function blockView(block: ReportBlock): BlockView {
  const flags = { isText: false, isFacts: false, isTable: false };
  switch (block.kind) {
    case 'text':
      return { ...flags, isText: true, text: block.text };
    case 'facts':
      return {
        ...flags,
        isFacts: true,
        rows: block.rows.map(([label, value]) => ({ label, value })),
      };
    case 'table':
      return {
        ...flags,
        isTable: true,
        columns: block.columns,
        rows: block.rows.map((cells) => ({ cells })),
      };
  }
}

/** The variables of a report template. */
export function reportView(doc: ReportDocument): Record<string, unknown> {
  const sections = doc.sections.map((s) => ({
    key: s.key,
    heading: s.heading,
    blocks: s.blocks.map(blockView),
  }));
  return {
    kind: doc.kind,
    title: doc.title,
    reference: doc.reference,
    tenantName: doc.tenantName,
    generatedAt: iso(doc.generatedAt),
    generatedBy: doc.generatedBy,
    journalHead: doc.journalHead,
    csp: REPORT_CSP,
    sections,
    section: Object.fromEntries(sections.map((s) => [s.key, s])),
  };
}

export const DEFAULT_REPORT_TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{csp}}">
<title>{{title}} — {{reference}}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #111; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #999; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; } td, th { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #eee; } dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dt { font-weight: 600; } dd { margin: 0; }
p { white-space: pre-wrap; } .meta { color: #444; } code { word-break: break-all; }
</style>
</head>
<body>
<header>
<h1>{{title}}</h1>
<p class="meta">{{reference}} · {{tenantName}} · generated {{generatedAt}} by {{generatedBy}}</p>
{{#if journalHead}}<p class="meta">Journal head: entry {{journalHead.seq}}, <code>{{journalHead.hash}}</code>{{#if journalHead.checkpoint}}, signed checkpoint {{journalHead.checkpoint}}{{/if}}</p>{{/if}}
</header>
{{#each sections}}
<section id="{{key}}">
<h2>{{heading}}</h2>
{{#each blocks}}
{{#if isText}}<p>{{text}}</p>{{/if}}
{{#if isFacts}}<dl>{{#each rows}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/each}}</dl>{{/if}}
{{#if isTable}}<table><thead><tr>{{#each columns}}<th>{{this}}</th>{{/each}}</tr></thead><tbody>{{#each rows}}<tr>{{#each cells}}<td>{{this}}</td>{{/each}}</tr>{{/each}}</tbody></table>{{/if}}
{{/each}}
</section>
{{/each}}
</body>
</html>
`;

export function renderReportHtml(doc: ReportDocument, template = DEFAULT_REPORT_TEMPLATE): string {
  return compileTemplate(template).render(reportView(doc));
}
