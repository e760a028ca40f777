import { stringifyWorkflow } from '@stepwise/core/model';
import { describe, expect, it } from 'vitest';
import { documentOf } from '../test-kit/catalog.js';
import { copyId, documentText, isDirty, readDocumentText } from './document-file.js';

const document = documentOf([{ id: 'load', type: 'read_rows', config: { path: 'rows.json' } }]);

describe('the document as a file', () => {
  it('exports core canonical text, the bytes a save writes', () => {
    expect(documentText(document)).toBe(stringifyWorkflow(document));
  });

  it('is dirty only when the text differs, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(document).reverse()) as typeof document;
    expect(isDirty(reordered, document)).toBe(false);
    expect(isDirty({ ...document, name: 'Other' }, document)).toBe(true);
  });

  it('reads an imported file, or says why it is not a workflow document', () => {
    expect(readDocumentText(`\uFEFF${JSON.stringify(document)}`)).toEqual(document);
    expect(readDocumentText('{"format": ')).toMatch(/^The file is not JSON: /);
    expect(readDocumentText('[1, 2]')).toMatch(/not a workflow document/);
    expect(readDocumentText('{"format": "stepwise.workflow"}')).toBe(
      'The document has no "id": a workflow is saved under its id.',
    );
  });

  it('names a copy with the first free id', () => {
    expect(copyId('sales', ['sales'])).toBe('sales-copy');
    expect(copyId('sales', ['sales', 'sales-copy', 'sales-copy-2'])).toBe('sales-copy-3');
  });
});
