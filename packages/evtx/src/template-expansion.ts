/**
 * Substitutes a template instance's values into its template's nodes, giving the resolved
 * XML tree. Optional substitutions without a value disappear: an attribute made only of such
 * substitutions is dropped, as Windows renders it. Output size is budgeted, because templates
 * can nest templates and a hostile chunk could otherwise ask for an exponential tree.
 */
import { EvtxFormatError } from './evtx-format-error.ts';
import type { SubstitutionValue, TemplateNode, TemplatePart } from './template.ts';
import { BinXmlValue } from './template.ts';
import type { XmlAttribute, XmlContent, XmlElement, XmlValue } from './xml-tree.ts';
import { valueText } from './xml-tree.ts';

const MAX_DEPTH = 96;
/** Far above any real event (hundreds of nodes), far below what would exhaust memory. */
const MAX_NODES = 200_000;

export interface ExpansionBudget {
  nodes: number;
}

export function expandNodes(
  nodes: readonly TemplateNode[],
  values: readonly SubstitutionValue[],
  depth: number,
  budget: ExpansionBudget = { nodes: 0 },
): XmlContent[] {
  const out: XmlContent[] = [];
  expandInto(out, nodes, values, depth, budget);
  return out;
}

function expandInto(
  out: XmlContent[],
  nodes: readonly TemplateNode[],
  values: readonly SubstitutionValue[],
  depth: number,
  budget: ExpansionBudget,
): void {
  if (depth > MAX_DEPTH) throw new EvtxFormatError('too-deep', 'templates nested too deeply');
  budget.nodes += nodes.length;
  if (budget.nodes > MAX_NODES)
    throw new EvtxFormatError('too-deep', 'event expands to too many nodes');
  for (const node of nodes) {
    switch (node.kind) {
      case 'element':
        out.push(expandElement(node, values, depth, budget));
        break;
      case 'text':
        // A template's text node is already a valid, immutable XmlText: share it.
        out.push(node);
        break;
      case 'substitution': {
        const value = values[node.index] ?? null;
        if (value instanceof BinXmlValue) {
          budget.nodes += value.content.length;
          for (const content of value.content) out.push(content);
        } else if (value !== null) {
          out.push({ kind: 'text', value, cdata: false });
        }
        break;
      }
      case 'pi':
        out.push(node);
        break;
      case 'instance':
        expandInto(out, node.template.nodes, node.values, depth + 1, budget);
        break;
    }
  }
}

function expandElement(
  node: TemplateNode & { kind: 'element' },
  values: readonly SubstitutionValue[],
  depth: number,
  budget: ExpansionBudget,
): XmlElement {
  let attributes: XmlAttribute[] = [];
  if (node.attributes.length > 0) {
    attributes = [];
    for (const attribute of node.attributes) {
      const parts = attributeParts(attribute.parts, values);
      if (parts !== undefined) attributes.push({ name: attribute.name, parts });
    }
  }
  const children: XmlContent[] = [];
  if (node.children.length > 0) expandInto(children, node.children, values, depth + 1, budget);
  return { kind: 'element', name: node.name, attributes, children };
}

/** The attribute's parts, or undefined when it stands only for absent optional values. */
function attributeParts(
  parts: readonly TemplatePart[],
  values: readonly SubstitutionValue[],
): XmlValue[] | undefined {
  const out: XmlValue[] = [];
  let optionalMissing = false;
  for (const part of parts) {
    if (part.kind === 'text') {
      out.push(part.value);
      continue;
    }
    const value = values[part.index] ?? null;
    if (value === null) {
      if (part.optional) optionalMissing = true;
    } else if (value instanceof BinXmlValue) {
      out.push(contentText(value.content));
    } else {
      out.push(value);
    }
  }
  return out.length === 0 && optionalMissing ? undefined : out;
}

function contentText(content: readonly XmlContent[]): string {
  let text = '';
  for (const item of content) {
    if (item.kind === 'text') text += valueText(item.value, 'xml');
    else if (item.kind === 'element') text += contentText(item.children);
  }
  return text;
}
