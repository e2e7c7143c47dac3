/**
 * A record's XML as Windows renders it (Event Viewer's XML view, `wevtutil qe /f:xml`):
 * single-quoted attributes, no indentation, `{…}` around GUIDs, seven-digit FILETIMEs.
 */
import type { EvtxRecord } from './evtx-item.ts';
import { valueText } from './xml-tree.ts';
import type { XmlContent, XmlValue } from './xml-tree.ts';

export function recordXml(record: EvtxRecord): string {
  let xml = '';
  for (const item of record.content) xml += contentXml(item);
  return xml;
}

function contentXml(item: XmlContent): string {
  switch (item.kind) {
    case 'text':
      return item.cdata ? `<![CDATA[${valueText(item.value, 'xml')}]]>` : escapeText(item.value);
    case 'pi':
      return `<?${item.target}${item.data === '' ? '' : ' ' + item.data}?>`;
    case 'element': {
      let xml = '<' + item.name;
      for (const attribute of item.attributes) {
        let value = '';
        for (const part of attribute.parts) value += valueText(part, 'xml');
        xml += ` ${attribute.name}='${escapeAttribute(value)}'`;
      }
      if (item.children.length === 0) return xml + '/>';
      xml += '>';
      for (const child of item.children) xml += contentXml(child);
      return xml + `</${item.name}>`;
    }
  }
}

function escapeText(value: XmlValue): string {
  // String arrays render as one <string> element per item, as Windows writes them.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return (value as readonly string[]).map((v) => `<string>${escapeText(v)}</string>`).join('');
  }
  return valueText(value, 'xml').replace(/[&<>]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;',
  );
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>'"]/g, (c) => ENTITY[c] as string);
}

const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&apos;',
  '"': '&quot;',
};
