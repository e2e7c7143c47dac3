/**
 * Reads BinXML tokens (MS-EVEN6 2.2.12; libevtx's format notes) into template node trees.
 * Offsets are relative to the chunk, where names and template definitions live and are
 * shared between records: both are cached per chunk by offset. Every read is bounds-checked
 * and nesting (elements, templates, BinXML inside values) is limited, so hostile input ends
 * in an EvtxFormatError, never a crash or a runaway recursion.
 */
import { need, u16, u32, utf16 } from './bytes.ts';
import { EvtxFormatError } from './evtx-format-error.ts';
import { expandNodes } from './template-expansion.ts';
import type { ExpansionBudget } from './template-expansion.ts';
import type {
  SubstitutionValue,
  Template,
  TemplateAttribute,
  TemplateNode,
  TemplatePart,
} from './template.ts';
import { BinXmlValue } from './template.ts';
import { VALUE_BINXML, VALUE_NULL, decodeValue } from './value-decoder.ts';

const MAX_DEPTH = 48;

const TOKEN_EOF = 0x00;
const TOKEN_OPEN_START = 0x01;
const TOKEN_CLOSE_START = 0x02;
const TOKEN_CLOSE_EMPTY = 0x03;
const TOKEN_END_ELEMENT = 0x04;
const TOKEN_VALUE = 0x05;
const TOKEN_ATTRIBUTE = 0x06;
const TOKEN_CDATA = 0x07;
const TOKEN_CHAR_REF = 0x08;
const TOKEN_ENTITY_REF = 0x09;
const TOKEN_PI_TARGET = 0x0a;
const TOKEN_PI_DATA = 0x0b;
const TOKEN_TEMPLATE_INSTANCE = 0x0c;
const TOKEN_NORMAL_SUBSTITUTION = 0x0d;
const TOKEN_OPTIONAL_SUBSTITUTION = 0x0e;
const TOKEN_FRAGMENT_HEADER = 0x0f;
/** Set on a token when more of its kind follow (attributes, element with attributes …). */
const MORE_FLAG = 0x40;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** What a chunk shares between its records. */
export class ChunkStrings {
  readonly bytes: Uint8Array;
  readonly names = new Map<number, string>();
  readonly templates = new Map<number, Template>();
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

export class BinXmlReader {
  private readonly chunk: ChunkStrings;
  private readonly bytes: Uint8Array;
  private pos: number;
  private end: number;
  /** Shared by every reader working for one record. */
  readonly budget: ExpansionBudget;
  private readonly dependencyIds: boolean;

  constructor(
    chunk: ChunkStrings,
    start: number,
    end: number,
    budget: ExpansionBudget = { nodes: 0 },
    dependencyIds = false,
  ) {
    this.chunk = chunk;
    this.dependencyIds = dependencyIds;
    this.budget = budget;
    this.bytes = chunk.bytes;
    this.pos = start;
    this.end = Math.min(end, chunk.bytes.length);
  }

  /** Reads a fragment (or a sequence of them) up to EOF or the end of the range. */
  readFragment(depth: number): TemplateNode[] {
    if (depth > MAX_DEPTH) throw new EvtxFormatError('too-deep', 'BinXML nested too deeply');
    const nodes: TemplateNode[] = [];
    while (this.pos < this.end) {
      const token = this.bytes[this.pos] as number;
      const base = token & ~MORE_FLAG;
      if (token === TOKEN_EOF) {
        this.pos++;
        break;
      }
      if (token === TOKEN_FRAGMENT_HEADER) {
        this.take(4, 'fragment header');
        continue;
      }
      if (base === TOKEN_OPEN_START) nodes.push(this.readElement(depth + 1));
      else if (token === TOKEN_TEMPLATE_INSTANCE) nodes.push(this.readTemplateInstance(depth + 1));
      else if (token === TOKEN_PI_TARGET) nodes.push(this.readProcessingInstruction());
      else this.readContentToken(nodes, token);
    }
    return nodes;
  }

  private take(length: number, what: string): number {
    const at = this.pos;
    if (at + length > this.end) {
      throw new EvtxFormatError(
        'out-of-bounds',
        `${what} at chunk offset ${at} runs past its data`,
      );
    }
    this.pos = at + length;
    return at;
  }

  private readElement(depth: number): TemplateNode {
    if (depth > MAX_DEPTH)
      throw new EvtxFormatError('too-deep', 'BinXML elements nested too deeply');
    const bytes = this.bytes;
    // Only template definitions carry the 16-bit dependency identifier; BinXML in record
    // bodies and in substitution values is written without it.
    const headerSize = this.dependencyIds ? 11 : 9;
    const start = this.take(headerSize, 'element');
    const token = bytes[start] as number;
    const nameOffset = u32(bytes, start + headerSize - 4);
    const name = this.readName(nameOffset);
    const attributes: TemplateAttribute[] = [];
    if (token & MORE_FLAG) {
      this.take(4, 'attribute list size');
      while (
        this.pos < this.end &&
        ((this.bytes[this.pos] as number) & ~MORE_FLAG) === TOKEN_ATTRIBUTE
      ) {
        const attributeStart = this.take(5, 'attribute');
        const attributeName = this.readName(u32(bytes, attributeStart + 1));
        const parts: TemplatePart[] = [];
        this.readValueParts(parts);
        attributes.push({ name: attributeName, parts });
      }
    }
    const children: TemplateNode[] = [];
    if (this.pos >= this.end)
      throw new EvtxFormatError('out-of-bounds', `element ${name} not closed`);
    const close = bytes[this.pos] as number;
    this.pos++;
    if (close === TOKEN_CLOSE_EMPTY) return { kind: 'element', name, attributes, children };
    if (close !== TOKEN_CLOSE_START) {
      throw new EvtxFormatError(
        'bad-token',
        `unexpected token 0x${close.toString(16)} in element ${name}`,
      );
    }
    for (;;) {
      if (this.pos >= this.end)
        throw new EvtxFormatError('out-of-bounds', `element ${name} not ended`);
      const child = bytes[this.pos] as number;
      if (child === TOKEN_END_ELEMENT) {
        this.pos++;
        break;
      }
      const base = child & ~MORE_FLAG;
      if (base === TOKEN_OPEN_START) children.push(this.readElement(depth + 1));
      else if (child === TOKEN_TEMPLATE_INSTANCE)
        children.push(this.readTemplateInstance(depth + 1));
      else if (child === TOKEN_PI_TARGET) children.push(this.readProcessingInstruction());
      else this.readContentToken(children, child);
    }
    return { kind: 'element', name, attributes, children };
  }

  /** Text-like tokens: values, substitutions, references, CDATA. */
  private readContentToken(into: TemplateNode[], token: number): void {
    const base = token & ~MORE_FLAG;
    if (base === TOKEN_CDATA) {
      const at = this.take(3, 'CDATA');
      const count = u16(this.bytes, at + 1);
      const text = this.take(2 * count, 'CDATA text');
      into.push({ kind: 'text', value: utf16(this.bytes, text, count), cdata: true });
      return;
    }
    if (!this.readValuePart(into as TemplatePart[], token)) {
      throw new EvtxFormatError(
        'bad-token',
        `unexpected BinXML token 0x${token.toString(16)} at chunk offset ${this.pos}`,
      );
    }
  }

  /** Attribute values: every value-like token until something else comes. */
  private readValueParts(into: TemplatePart[]): void {
    while (this.pos < this.end && this.readValuePart(into, this.bytes[this.pos] as number)) {
      // each call consumed one token
    }
  }

  private readValuePart(into: TemplatePart[], token: number): boolean {
    const bytes = this.bytes;
    const base = token & ~MORE_FLAG;
    if (base === TOKEN_VALUE) {
      const at = this.take(4, 'value text');
      const count = u16(bytes, at + 2);
      const text = this.take(2 * count, 'value text');
      into.push({ kind: 'text', value: utf16(bytes, text, count), cdata: false });
      return true;
    }
    if (token === TOKEN_NORMAL_SUBSTITUTION || token === TOKEN_OPTIONAL_SUBSTITUTION) {
      const at = this.take(4, 'substitution');
      into.push({
        kind: 'substitution',
        index: u16(bytes, at + 1),
        optional: token === TOKEN_OPTIONAL_SUBSTITUTION,
      });
      return true;
    }
    if (base === TOKEN_CHAR_REF) {
      const at = this.take(3, 'character reference');
      into.push({ kind: 'text', value: String.fromCharCode(u16(bytes, at + 1)), cdata: false });
      return true;
    }
    if (base === TOKEN_ENTITY_REF) {
      const at = this.take(5, 'entity reference');
      const name = this.readName(u32(bytes, at + 1));
      into.push({ kind: 'text', value: ENTITIES[name] ?? `&${name};`, cdata: false });
      return true;
    }
    return false;
  }

  private readProcessingInstruction(): TemplateNode {
    const at = this.take(5, 'processing instruction');
    const target = this.readName(u32(this.bytes, at + 1));
    let data = '';
    if (this.pos < this.end && this.bytes[this.pos] === TOKEN_PI_DATA) {
      const dataAt = this.take(3, 'processing instruction data');
      const count = u16(this.bytes, dataAt + 1);
      data = utf16(this.bytes, this.take(2 * count, 'processing instruction data'), count);
    }
    return { kind: 'pi', target, data };
  }

  /** A name at a chunk offset; when it is defined right here, the reader steps over it. */
  private readName(offset: number): string {
    const inline = offset === this.pos;
    let name = this.chunk.names.get(offset);
    if (name === undefined) {
      need(this.bytes, offset, 8, 'name');
      const count = u16(this.bytes, offset + 6);
      need(this.bytes, offset + 8, 2 * count, 'name');
      name = utf16(this.bytes, offset + 8, count);
      this.chunk.names.set(offset, name);
    }
    if (inline) this.take(8 + 2 * name.length + 2, 'name');
    return name;
  }

  private readTemplateInstance(depth: number): TemplateNode {
    if (depth > MAX_DEPTH) throw new EvtxFormatError('too-deep', 'templates nested too deeply');
    const bytes = this.bytes;
    const at = this.take(10, 'template instance');
    const definitionOffset = u32(bytes, at + 6);
    let template = this.chunk.templates.get(definitionOffset);
    if (definitionOffset === this.pos) {
      // Defined inline on first use: step over the definition.
      const header = this.take(24, 'template definition');
      this.take(u32(bytes, header + 20), 'template definition');
    }
    if (template === undefined) {
      template = this.readTemplateDefinition(definitionOffset, depth);
      this.chunk.templates.set(definitionOffset, template);
    }
    const values = this.readSubstitutionValues(depth);
    return { kind: 'instance', template, values };
  }

  private readTemplateDefinition(offset: number, depth: number): Template {
    need(this.bytes, offset, 24, 'template definition');
    const size = u32(this.bytes, offset + 20);
    need(this.bytes, offset + 24, size, 'template definition');
    const reader = new BinXmlReader(this.chunk, offset + 24, offset + 24 + size, this.budget, true);
    return { offset, nodes: reader.readFragment(depth + 1) };
  }

  private readSubstitutionValues(depth: number): SubstitutionValue[] {
    const bytes = this.bytes;
    const countAt = this.take(4, 'substitution count');
    const count = u32(bytes, countAt);
    if (count > (this.end - this.pos) / 4) {
      throw new EvtxFormatError('bad-size', `substitution count ${count} exceeds the record`);
    }
    const descriptors = this.take(4 * count, 'substitution descriptors');
    const values: SubstitutionValue[] = new Array<SubstitutionValue>(count);
    for (let i = 0; i < count; i++) {
      const size = u16(bytes, descriptors + 4 * i);
      const type = bytes[descriptors + 4 * i + 2] as number;
      const at = this.take(size, 'substitution value');
      if (type === VALUE_BINXML) {
        const reader = new BinXmlReader(this.chunk, at, at + size, this.budget);
        values[i] = new BinXmlValue(
          expandNodes(reader.readFragment(depth + 1), [], depth + 1, this.budget),
        );
      } else {
        values[i] = type === VALUE_NULL ? null : decodeValue(bytes, at, size, type);
      }
    }
    return values;
  }
}
