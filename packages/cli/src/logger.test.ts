import { describe, expect, it } from 'vitest';
import { createCliLog, formatLogEntry, logLevelFor } from './logger.js';
import { colors } from './view/format.js';

const c = colors(false);

function capture(level: string, json = false) {
  let text = '';
  const log = createCliLog({ level, stream: { write: (s: string) => (text += s) }, json, stacks: false, c });
  return { log, text: () => text };
}

describe('createCliLog', () => {
  it('writes entries at or above its level as readable lines', () => {
    const { log, text } = capture('info');
    log.logger.debug('hidden');
    log.logger.child({ runId: 'run_1', stepId: 'load' }).info({ rows: 3 }, 'read');
    expect(text()).toBe('info  load: read  rows=3\n');
  });

  it('drops lines below its level, from children too; at silent, every line', () => {
    const { log, text } = capture('warn');
    log.logger.info('started');
    log.logger.child({ stepId: 'load' }).debug({ rows: 3 }, 'read');
    log.logger.child({ stepId: 'load' }).warn('slow');
    expect(text()).toBe('warn  load: slow\n');
    const silent = capture('silent');
    silent.log.logger.error('lost');
    expect(silent.text()).toBe('');
  });

  it('sends lines to the diverting writer until it is removed', () => {
    const { log, text } = capture('warn');
    const diverted: string[] = [];
    log.divert((line) => diverted.push(line));
    log.logger.warn('one');
    log.divert(undefined);
    log.logger.warn('two');
    expect(diverted).toEqual(['warn  one']);
    expect(text()).toBe('warn  two\n');
  });

  it('writes pino JSON lines when asked', () => {
    const { log, text } = capture('warn', true);
    log.logger.error({ stepId: 's' }, 'bad');
    expect(JSON.parse(text())).toMatchObject({ level: 50, stepId: 's', msg: 'bad' });
  });
});

describe('formatLogEntry', () => {
  const error = new Error('disk full');
  const entry = JSON.stringify({
    level: 40,
    time: 1,
    stepId: 'save',
    msg: 'step failed',
    err: { type: 'Error', message: error.message, stack: error.stack },
  });

  it('names the error, and adds its stack frames only with stacks on', () => {
    expect(formatLogEntry(entry, { stacks: false, c })).toBe('warn  save: step failed (Error: disk full)');
    const lines = formatLogEntry(entry, { stacks: true, c }).split('\n');
    expect(lines[0]).toBe('warn  save: step failed (Error: disk full)');
    expect(lines.slice(1).length).toBeGreaterThan(0);
    expect(lines.slice(1).every((line) => line.startsWith('    at '))).toBe(true);
  });

  it("prefers the runner's error name over pino's `Object` type", () => {
    const info = JSON.stringify({
      level: 40,
      msg: 'run failed',
      err: { type: 'Object', name: 'StepwiseError', message: 'no' },
    });
    expect(formatLogEntry(info, { stacks: false, c })).toBe('warn  run failed (StepwiseError: no)');
  });
});

it('logLevelFor: the config level, or debug with --verbose', () => {
  expect(logLevelFor('warn', false)).toBe('warn');
  expect(logLevelFor('warn', true)).toBe('debug');
  expect(logLevelFor('trace', true)).toBe('trace');
});
