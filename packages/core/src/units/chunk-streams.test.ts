import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { abortable, collectChunks } from './chunk-streams.js';

describe('abortable', () => {
  it('removes its abort listener when the stream ends, and when the source throws', async () => {
    const controller = new AbortController();
    expect(await collectChunks([1, 2], controller.signal)).toEqual([1, 2]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const failing = (async function* () {
      yield 1;
      throw new Error('source broke');
    })();
    await expect(collectChunks(failing, controller.signal)).rejects.toThrow('source broke');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects a pending read at once when the signal aborts, and lets go of the signal', async () => {
    const controller = new AbortController();
    const endless = (async function* () {
      yield 1;
      await new Promise(() => {});
    })();
    const iterator = abortable(endless, controller.signal)[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    const pending = iterator.next();
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
