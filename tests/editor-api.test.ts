/**
 * The editor's HTTP client (packages/ui/src/api/http-api.ts) against a real `createServer` listening
 * on 127.0.0.1: the shapes the editor reads are the ones the server sends, and every refusal comes
 * back as an ApiError with the server's code and message.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent, WorkflowDocument } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { startServer, workflow } from '../packages/server/src/test-kit.js';
import { createHttpApi } from '../packages/ui/src/api/http-api.js';
import { ApiError, SaveConflictError } from '../packages/ui/src/api/types.js';

const three = () =>
  workflow('three', [
    ['numbers', 'srv_numbers', { count: 4 }],
    ['double', 'srv_double'],
    ['sum', 'srv_sum'],
  ]) as unknown as WorkflowDocument;

async function connected() {
  const { url, dir } = await startServer();
  return { api: createHttpApi({ baseUrl: url }), dir, url };
}

/** The error a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('the editor API client against a real server', () => {
  it('reads the catalog: step types with params as JSON Schema, data types, categories', async () => {
    const { api } = await connected();
    const catalog = await api.catalog();
    expect(catalog.stepTypes.find((type) => type.slug === 'srv_numbers')).toMatchObject({
      outputType: 'JSON',
      defaults: { count: 3 },
    });
    expect(catalog.dataTypes.map((type) => type.name)).toContain('DataFrame');
  });

  it('creates, lists, opens, saves, renames and deletes a workflow, each change with its version', async () => {
    const { api } = await connected();
    const created = await api.createWorkflow(three());
    expect(created.etag).toMatch(/^".+"$/);
    expect(created.issues).toEqual([]);
    expect(await api.listWorkflows()).toEqual([
      expect.objectContaining({ id: 'three', name: 'Workflow three', steps: 3, updatedAt: expect.any(String) }),
    ]);

    const opened = await api.getWorkflow('three');
    expect(opened).toEqual(created);
    const edited = structuredClone(opened.document);
    (edited.steps[0] as unknown as { config: { count: number } }).config.count = 7;
    const saved = await api.saveWorkflow('three', edited, opened.etag);
    expect(saved.etag).not.toBe(opened.etag);
    expect((await api.getWorkflow('three')).document.steps[0]?.config).toEqual({ count: 7 });

    const renamed = await api.renameWorkflow('three', 'seven', saved.etag);
    expect(renamed.document.id).toBe('seven');
    expect((await api.listWorkflows()).map((summary) => summary.id)).toEqual(['seven']);
    await api.deleteWorkflow('seven', renamed.etag);
    expect(await api.listWorkflows()).toEqual([]);
  });

  it('refuses a save over a newer version with both versions (the file changed on disk)', async () => {
    const { api, dir } = await connected();
    const opened = await api.createWorkflow(three());
    // someone edits the file by hand
    const theirs = { ...three(), name: 'Changed on disk' };
    writeFileSync(join(dir, 'workflows', 'three.json'), `${JSON.stringify(theirs, null, 2)}\n`);
    const mine = { ...opened.document, name: 'Mine' };
    const error = await refusal(api.saveWorkflow('three', mine, opened.etag));
    expect(error).toBeInstanceOf(SaveConflictError);
    const conflict = error as SaveConflictError;
    expect(conflict.status).toBe(409);
    expect(conflict.message).toMatch(/Workflow "three" was changed since the version you edited/);
    expect(conflict.mine.name).toBe('Mine');
    expect(conflict.theirs.document.name).toBe('Changed on disk');
    // saving over theirs with their version tag works
    expect((await api.saveWorkflow('three', mine, conflict.theirs.etag)).document.name).toBe('Mine');
  });

  it('answers each refusal as an ApiError with the server code and message', async () => {
    const { api } = await connected();
    const missing = await refusal(api.getWorkflow('nowhere'));
    expect(missing).toMatchObject({ status: 404, code: 'WORKFLOW_NOT_FOUND' });
    expect(missing.message).toBe('There is no saved workflow "nowhere".');
    await api.createWorkflow(three());
    expect(await refusal(api.createWorkflow(three()))).toMatchObject({ status: 409, code: 'WORKFLOW_EXISTS' });
    const badId = await refusal(api.getWorkflow('no such id'));
    expect(badId).toMatchObject({ status: 400, code: 'FIELD_INVALID', details: { field: 'params.id' } });
  });

  it('says which server it could not reach', async () => {
    const api = createHttpApi({ baseUrl: 'http://127.0.0.1:1' });
    const error = await refusal(api.listWorkflows());
    expect(error).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    expect(error.message).toMatch(/^Cannot reach the Stepwise server at http:\/\/127\.0\.0\.1:1: /);
  });

  it('validates a document: issues with array paths, and the inferred output of each step', async () => {
    const { api } = await connected();
    expect(await api.validate(three())).toMatchObject({
      valid: true,
      issues: [],
      shapes: { sum: { outputType: 'JSON' } },
    });
    const bad = three();
    (bad.steps[0] as { config: Record<string, unknown> }).config = { count: 'many' };
    const validation = await api.validate(bad);
    expect(validation.valid).toBe(false);
    expect(validation.issues).toEqual([
      expect.objectContaining({ code: 'CONFIG_INVALID', path: ['steps', 0, 'config', 'count'] }),
    ]);
  });

  it('plans a run (every step runs the first time, and why) and refuses an invalid document with its issues', async () => {
    const { api } = await connected();
    const plan = await api.plan(three());
    expect(plan.steps.map((step) => [step.id, step.action])).toEqual([
      ['numbers', 'run'],
      ['double', 'run'],
      ['sum', 'run'],
    ]);
    expect(plan.counts).toMatchObject({ run: 3 });
    const bad = three();
    (bad.steps[1] as { type: string }).type = 'srv_dubble';
    const error = await refusal(api.plan(bad));
    expect(error).toMatchObject({ status: 400, code: 'DOCUMENT_INVALID' });
    expect(error.issues).toEqual([expect.objectContaining({ code: 'STEP_TYPE_UNKNOWN', path: ['steps', 1, 'type'] })]);
  });

  it('sends the bearer token to a server that requires one', async () => {
    const { url } = await startServer({ token: 'sesame' });
    expect(await refusal(createHttpApi({ baseUrl: url }).listWorkflows())).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
    expect(await createHttpApi({ baseUrl: url, token: 'sesame' }).listWorkflows()).toEqual([]);
  });

  it('runs a saved workflow and follows its events to the end, then reads the run, its history and its data', async () => {
    const { api } = await connected();
    await api.createWorkflow(three());
    const started = await api.startRun({ workflowId: 'three' });
    expect(started.runId).toMatch(/^run_/);
    const events: RunEvent[] = [];
    const ended = new Promise<unknown>((done) =>
      api.followRun(started.runId, (event) => events.push(event), { onEnd: done }),
    );
    expect(await ended).toBeUndefined();
    expect(events.at(-1)?.type).toBe('run.completed');
    expect(events.filter((event) => event.type === 'step.completed').map((event) => event.stepId)).toEqual([
      'numbers',
      'double',
      'sum',
    ]);
    expect(events.map((event) => event.seq)).toEqual([...events.map((event) => event.seq)].sort((a, b) => a - b));

    const detail = await api.getRun(started.runId);
    if (detail.queued) throw new Error('the run is over, not queued');
    expect(detail.status).toBe('completed');
    const numbers = detail.steps.find((step) => step.id === 'numbers');
    const output = numbers?.output as string;
    expect(detail.values[output]).toMatchObject({ type: 'JSON', rows: 4 });
    expect(await api.refInfo(output)).toMatchObject({ ref: output, type: 'JSON', rows: 4 });
    const page = await api.dataPage(output, 1, 2);
    expect(page.offset).toBe(1);
    expect(page.total).toBe(4);
    expect(page.columns.map((column) => column.name)).toEqual(['n', 'label']);
    expect(page.rows).toEqual([
      [2, 'row 2'],
      [3, 'row 3'],
    ]);
    expect(api.downloadUrl(output, 'csv')).toMatch(/\/api\/data\/ref_[^/]+\/download\?format=csv$/);
    expect(JSON.parse(await (await api.download(output, 'json')).text())).toHaveLength(4);

    const history = await api.listRuns({ workflowId: 'three', status: ['completed', 'failed'] });
    expect(history.runs.map((run) => [run.id, run.status])).toEqual([[started.runId, 'completed']]);
    expect((await api.listRuns({ status: 'failed' })).runs).toEqual([]);

    // a second follow after the end replays from the seq given
    const replay: RunEvent[] = [];
    const last = events.at(-2)?.seq ?? 0;
    await new Promise((done) =>
      api.followRun(started.runId, (event) => replay.push(event), { afterSeq: last, onEnd: done }),
    );
    expect(replay.map((event) => event.seq)).toEqual(events.slice(-1).map((event) => event.seq));
  });

  it('cancels a running run, and resumes it with the edited document: only what did not complete runs', async () => {
    const { api, dir } = await connected();
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    const document = workflow('gated', [
      ['numbers', 'srv_numbers', { count: 3 }],
      ['gate', 'srv_gate', { hold }],
      ['sum', 'srv_sum'],
    ]) as unknown as WorkflowDocument;
    const { runId } = await api.startRun({ document });
    const events: RunEvent[] = [];
    const ended = new Promise((done) => api.followRun(runId, (event) => events.push(event), { onEnd: done }));
    await expect
      .poll(() => events.some((event) => event.type === 'step.started' && event.stepId === 'gate'))
      .toBe(true);
    await api.cancelRun(runId);
    await ended;
    expect(events.at(-1)?.type).toBe('run.cancelled');
    expect(await refusal(api.cancelRun(runId))).toMatchObject({ status: 409, code: 'RUN_NOT_RUNNING' });

    rmSync(hold);
    const plan = await api.plan(document, runId);
    expect(plan.steps.map((step) => [step.id, step.action])).toEqual([
      ['numbers', 'reuse'],
      ['gate', 'run'],
      ['sum', 'run'],
    ]);
    const resumed = await api.resumeRun(runId, document);
    await new Promise((done) => api.followRun(resumed.runId, () => undefined, { onEnd: done }));
    const detail = await api.getRun(resumed.runId);
    expect(detail.status).toBe('completed');
  });

  it('refuses to follow a run that does not exist', async () => {
    const { api } = await connected();
    const error = await new Promise((done) => api.followRun('run_nothing', () => undefined, { onEnd: done }));
    expect(error).toMatchObject({ status: 404, code: 'RUN_NOT_FOUND' });
  });
});
