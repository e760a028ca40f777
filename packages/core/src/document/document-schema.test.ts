import { describe, expect, it } from 'vitest';
import { workflowDocumentJsonSchema } from './document-schema.js';

type Schema = { properties: Record<string, Schema>; items: Schema; additionalProperties: Schema | false } & Record<
  string,
  unknown
>;
const schema = workflowDocumentJsonSchema() as Schema;

describe('workflowDocumentJsonSchema', () => {
  it('is plain JSON Schema draft 2020-12 of format 1', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.format).toMatchObject({ const: 'stepwise.workflow' });
    expect(schema.properties.version).toMatchObject({ const: 1 });
    expect(schema.required).toEqual(['format', 'version', 'id', 'steps']);
  });

  it('forbids unknown fields except inside ui, metadata and config', () => {
    const step = schema.properties.steps?.items as Schema;
    expect(schema.additionalProperties).toBe(false);
    expect(step.additionalProperties).toBe(false);
    expect(step.required).toEqual(['id', 'type']);
    expect(step.properties.strategy?.additionalProperties).toBe(false);
    expect(schema.properties.ui).toMatchObject({ type: 'object', additionalProperties: {} });
    expect(step.properties.config).toMatchObject({ type: 'object', additionalProperties: {} });
  });

  it('describes a reference as exactly one of step, input and ref', () => {
    const reference = schema.properties.outputs?.additionalProperties as Schema;
    expect(Object.keys(reference.properties)).toEqual(['step', 'input', 'ref']);
    expect(reference).toMatchObject({ minProperties: 1, maxProperties: 1, additionalProperties: false });
  });
});
