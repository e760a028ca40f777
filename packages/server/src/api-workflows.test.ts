// The catalog, status, OpenAPI document, validation, plans and saved workflows, through a real
// server listening on 127.0.0.1 (a temporary project with the fixture step types).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call, startServer, workflow } from './test-kit.js';

const three = () =>
  workflow('three', [
    ['numbers', 'srv_numbers', { count: 4 }],
    ['double', 'srv_double'],
    ['sum', 'srv_sum'],
  ]);

describe('catalog, status and the OpenAPI document', () => {
  it('lists the step types with their params as JSON Schema, the data types and the categories', async () => {
    const { url } = await startServer();
    const answer = await call(url, 'GET', '/api/catalog');
    expect(answer.status).toBe(200);
    const numbers = answer.json.stepTypes.find((type: { slug: string }) => type.slug === 'srv_numbers');
    expect(numbers).toMatchObject({ outputType: 'JSON', defaults: { count: 3 } });
    expect(numbers.params.properties.count).toMatchObject({ type: 'integer', default: 3 });
    expect(answer.json.stepTypes.map((type: { slug: string }) => type.slug)).toContain('read_csv');
    expect(answer.json.dataTypes.map((type: { name: string }) => type.name)).toContain('DataFrame');
    expect(answer.json.categories).toContain('test');
  });

  it('answers its status: version, runs and limits', async () => {
    const { url } = await startServer();
    const answer = await call(url, 'GET', '/api/status');
    expect(answer.json).toMatchObject({ runs: { running: 0, queued: 0 }, store: 'file' });
    expect(answer.json.limits.bodyLimit).toBe(1024 * 1024);
  });

  it('serves an OpenAPI 3.1 document with every endpoint and its schemas', async () => {
    const { url } = await startServer();
    const { json } = await call(url, 'GET', '/api/openapi.json');
    expect(json.openapi).toBe('3.1.0');
    for (const path of ['/api/catalog', '/api/workflows', '/api/workflows/{id}', '/api/validate', '/api/plan'])
      expect(Object.keys(json.paths)).toContain(path);
    expect(json.paths['/api/workflows/{id}'].put.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
    expect(
      json.paths['/api/validate'].post.requestBody.content['application/json'].schema.properties.steps,
    ).toBeDefined();
  });
});

describe('validate and plan', () => {
  it('validates a document: no issues, and each step inferred output', async () => {
    const { url } = await startServer();
    const answer = await call(url, 'POST', '/api/validate', { body: three() });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ valid: true, issues: [], shapes: { sum: { outputType: 'JSON' } } });
  });

  it('names the steps expected to run pushed down to DuckDB, in validation and in the plan, as the CLI marks them', async () => {
    const { url } = await startServer();
    const document = workflow('pushed', [
      ['read', 'read_csv', { path: 'sales.csv' }],
      ['big', 'filter_rows', { where: 'd.amount > 5' }],
      ['numbers', 'srv_numbers'],
    ]);
    const validated = await call(url, 'POST', '/api/validate', { body: document });
    expect(validated.json.pushdown).toEqual([['read', 'big']]);
    expect((await call(url, 'POST', '/api/plan', { body: document })).json.pushdown).toEqual([['read', 'big']]);
    expect((await call(url, 'POST', '/api/validate', { body: three() })).json.pushdown).toEqual([]);
    expect((await call(url, 'POST', '/api/validate', { body: { ...three(), steps: [null] } })).json.pushdown).toEqual(
      [],
    );
  });

  it('answers every issue of an invalid document with its code and array path', async () => {
    const { url } = await startServer();
    const document = three();
    (document.steps as { type: string }[])[1] = { id: 'double', type: 'srv_dubble', config: {} } as never;
    const answer = await call(url, 'POST', '/api/validate', { body: document });
    expect(answer.status).toBe(200);
    expect(answer.json.valid).toBe(false);
    expect(answer.json.issues[0]).toMatchObject({ code: 'STEP_TYPE_UNKNOWN', path: ['steps', 1, 'type'] });
    expect(answer.json.issues[0].message).toContain('srv_double');
  });

  it('plans a new run (every step runs), and refuses to plan an invalid document with its issues', async () => {
    const { url } = await startServer();
    const plan = await call(url, 'POST', '/api/plan', { body: three() });
    expect(plan.status).toBe(200);
    expect(plan.json).toMatchObject({ workflowId: 'three', reuse: false, counts: { run: 3, reuse: 0, cached: 0 } });
    expect(plan.json.steps.map((step: { action: string }) => step.action)).toEqual(['run', 'run', 'run']);
    const bad = await call(url, 'POST', '/api/plan', { body: { ...three(), steps: 'no' } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe('DOCUMENT_INVALID');
    expect(bad.json.issues[0].path).toEqual(['steps']);
    const unknownRun = await call(url, 'POST', '/api/plan?resume=run_nothere', { body: three() });
    expect(unknownRun.status).toBe(404);
    expect(unknownRun.json.code).toBe('RUN_NOT_FOUND');
  });
});

describe('saved workflows', () => {
  it('creates, lists, gets, saves with If-Match, renames and deletes workflow files', async () => {
    const { url, dir } = await startServer();
    const created = await call(url, 'POST', '/api/workflows', { body: three() });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe(created.json.etag);
    const file = join(dir, 'workflows', 'three.json');
    const bytes = readFileSync(file, 'utf8');
    expect(bytes.endsWith('\n')).toBe(true);
    expect(JSON.parse(bytes).id).toBe('three');

    const list = await call(url, 'GET', '/api/workflows');
    expect(list.json.workflows).toEqual([
      expect.objectContaining({ id: 'three', name: 'Workflow three', steps: 3, description: '' }),
    ]);
    const got = await call(url, 'GET', '/api/workflows/three');
    expect(got.json.etag).toBe(created.json.etag);

    // saving the same document again gives the same bytes and the same version
    const same = await call(url, 'PUT', '/api/workflows/three', {
      body: got.json.document,
      headers: { 'if-match': got.json.etag },
    });
    expect(same.status).toBe(200);
    expect(readFileSync(file, 'utf8')).toBe(bytes);
    expect(same.json.etag).toBe(got.json.etag);

    const edited = { ...got.json.document, name: 'Edited' };
    const saved = await call(url, 'PUT', '/api/workflows/three', {
      body: edited,
      headers: { 'if-match': got.json.etag },
    });
    expect(saved.status).toBe(200);
    expect(saved.json.etag).not.toBe(got.json.etag);

    const renamed = await call(url, 'POST', '/api/workflows/three/rename', {
      body: { id: 'four' },
      headers: { 'if-match': saved.json.etag },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json.document).toMatchObject({ id: 'four', name: 'Edited' });
    expect(readdirSync(join(dir, 'workflows'))).toEqual(['four.json']);

    const deleted = await call(url, 'DELETE', '/api/workflows/four', { headers: { 'if-match': renamed.json.etag } });
    expect(deleted.status).toBe(204);
    expect(readdirSync(join(dir, 'workflows'))).toEqual([]);
    expect((await call(url, 'GET', '/api/workflows/four')).status).toBe(404);
  });

  it('refuses a save without If-Match (428), and one over a newer version with both versions (409)', async () => {
    const { url, dir } = await startServer();
    const created = await call(url, 'POST', '/api/workflows', { body: three() });
    const without = await call(url, 'PUT', '/api/workflows/three', { body: three() });
    expect(without.status).toBe(428);
    expect(without.json.code).toBe('PRECONDITION_REQUIRED');

    // another tab (or a hand edit) saved meanwhile
    const file = join(dir, 'workflows', 'three.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Workflow three"', '"By hand"'));
    const mine = { ...three(), name: 'Mine' };
    const conflict = await call(url, 'PUT', '/api/workflows/three', {
      body: mine,
      headers: { 'if-match': created.json.etag },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.json.code).toBe('WORKFLOW_CONFLICT');
    expect(conflict.json.mine.name).toBe('Mine');
    expect(conflict.json.theirs.document.name).toBe('By hand');
    expect(conflict.json.theirs.etag).not.toBe(created.json.etag);
    expect(JSON.parse(readFileSync(file, 'utf8')).name).toBe('By hand');
  });

  it('saves a work in progress with its issues, refuses an id taken or not a file name', async () => {
    const { url } = await startServer();
    const draft = workflow('draft', [['a', 'srv_nope']]);
    const created = await call(url, 'POST', '/api/workflows', { body: draft });
    expect(created.status).toBe(201);
    expect(created.json.issues[0]).toMatchObject({ code: 'STEP_TYPE_UNKNOWN', path: ['steps', 0, 'type'] });
    const again = await call(url, 'POST', '/api/workflows', { body: draft });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('WORKFLOW_EXISTS');
    const traversal = await call(url, 'POST', '/api/workflows', { body: { ...draft, id: '../escape' } });
    expect(traversal.status).toBe(400);
    expect(traversal.json.code).toBe('FIELD_INVALID');
    const badParam = await call(url, 'GET', '/api/workflows/..%2fescape');
    expect(badParam.status).toBe(400);
  });
});
