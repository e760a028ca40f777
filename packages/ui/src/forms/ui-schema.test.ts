import { describe, expect, it } from 'vitest';
import { uiSchemaFor, WIDGET_KEYWORD, widgetFor } from './ui-schema.js';

// shapes of the table step library's params, as its catalog gives them
const filterRows = {
  type: 'object',
  properties: { where: { type: 'string', description: 'An Arquero expression over the row `d` that keeps a row.' } },
};
const aggregate = {
  type: 'object',
  properties: {
    groupBy: { type: 'array', items: { type: 'string' }, description: 'The columns to group by.' },
    aggregates: {
      type: 'array',
      items: { type: 'object', properties: { op: { type: 'string', enum: ['count'] }, column: { type: 'string' } } },
    },
  },
};
const derive = {
  type: 'object',
  properties: {
    columns: {
      type: 'object',
      additionalProperties: { type: 'string', description: 'An Arquero expression, e.g. "d.a * 2".' },
    },
  },
};

describe('widgets for step parameters', () => {
  it('follows the table library: path, expression, column lists, one column, SQL', () => {
    expect(widgetFor('path', { type: 'string' })).toBe('path');
    expect(widgetFor('where', filterRows.properties.where)).toBe('expression');
    expect(widgetFor('select', { type: 'array', items: { type: 'string' }, description: 'The columns to keep.' })).toBe(
      'columns',
    );
    expect(widgetFor('column', { type: 'string' })).toBe('column');
    expect(widgetFor('query', { type: 'string' })).toBe('textarea');
    expect(
      widgetFor('delimiter', { type: 'string', description: 'The one-character field separator.' }),
    ).toBeUndefined();
  });

  it('lets a step library name the widget in the schema', () => {
    expect(widgetFor('keys', { type: 'array', items: { type: 'string' }, [WIDGET_KEYWORD]: 'columns' })).toBe(
      'columns',
    );
    expect(widgetFor('path', { type: 'string', [WIDGET_KEYWORD]: 'nonsense' })).toBe('path');
  });

  it('builds the uiSchema through nested objects, array items and map values, with no submit button', () => {
    expect(uiSchemaFor(aggregate)).toEqual({
      groupBy: { 'ui:widget': 'columns' },
      aggregates: { items: { column: { 'ui:widget': 'column' } } },
      'ui:submitButtonOptions': { norender: true },
    });
    expect(uiSchemaFor(derive)).toEqual({
      columns: { additionalProperties: { 'ui:widget': 'expression' } },
      'ui:submitButtonOptions': { norender: true },
    });
    expect(uiSchemaFor(filterRows).where).toEqual({ 'ui:widget': 'expression' });
  });
});
