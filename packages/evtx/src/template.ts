/**
 * BinXML as parsed, before substitution: the node tree of a template definition (parsed once
 * per chunk and cached by its offset) or of a record body. Substitution nodes point into the
 * value array of the template instance that uses the template.
 */
import type { XmlContent, XmlValue } from './xml-tree.ts';

export interface TemplateElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attributes: readonly TemplateAttribute[];
  readonly children: readonly TemplateNode[];
}

export interface TemplateText {
  readonly kind: 'text';
  readonly value: string;
  readonly cdata: boolean;
}

export interface TemplateSubstitution {
  readonly kind: 'substitution';
  readonly index: number;
  /** An optional substitution without a value removes what it stands in (text or attribute). */
  readonly optional: boolean;
}

export interface TemplateProcessingInstruction {
  readonly kind: 'pi';
  readonly target: string;
  readonly data: string;
}

/** A template used with its values (record bodies, BinXML values). */
export interface TemplateInstance {
  readonly kind: 'instance';
  readonly template: Template;
  readonly values: readonly SubstitutionValue[];
}

export type TemplateNode =
  | TemplateElement
  | TemplateText
  | TemplateSubstitution
  | TemplateProcessingInstruction
  | TemplateInstance;

export type TemplatePart = TemplateText | TemplateSubstitution;

export interface TemplateAttribute {
  readonly name: string;
  readonly parts: readonly TemplatePart[];
}

export interface Template {
  readonly offset: number;
  readonly nodes: readonly TemplateNode[];
}

/** A BinXML substitution value (type 0x21): already-resolved content to splice in. */
export class BinXmlValue {
  readonly content: readonly XmlContent[];
  constructor(content: readonly XmlContent[]) {
    this.content = content;
  }
}

export type SubstitutionValue = XmlValue | BinXmlValue;
