import { describe, expect, it } from 'vitest';
import { createTokenAuth, TOKEN_KEY, type TokenAsk } from './token-auth.js';

/** A server that wants `token`: 401 without it, 200 with it; records what each request sent. */
function server(token: string) {
  const sent: (string | null)[] = [];
  const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const authorization = new Headers(init?.headers).get('authorization');
    sent.push(authorization);
    return new Response('{}', { status: authorization === `Bearer ${token}` ? 200 : 401 });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('the token of a server started with --token-file', () => {
  it('asks once for all the requests refused, keeps the answer, and sends them again with it', async () => {
    const { fetch, sent } = server('right');
    const storage = memoryStorage();
    const auth = createTokenAuth(storage, fetch);
    const asks: (TokenAsk | undefined)[] = [];
    auth.subscribe((ask) => asks.push(ask));
    const answers = Promise.all([auth.fetch('/api/catalog'), auth.fetch('/api/workflows')]);
    await expect.poll(() => asks).toEqual([undefined, { refused: false }]);
    auth.submit(' right ');
    expect((await answers).map((answer) => answer.status)).toEqual([200, 200]);
    expect(asks).toEqual([undefined, { refused: false }, undefined]);
    expect(storage.items.get(TOKEN_KEY)).toBe('right');
    expect(sent).toEqual([null, null, 'Bearer right', 'Bearer right']);
  });

  it('sends a kept token from the start; one the server refuses is forgotten and asked for again', async () => {
    const { fetch, sent } = server('new');
    const storage = memoryStorage({ [TOKEN_KEY]: 'old' });
    const auth = createTokenAuth(storage, fetch);
    let asked: TokenAsk | undefined;
    auth.subscribe((ask) => {
      asked = ask;
    });
    const answer = auth.fetch('/api/status', { headers: { accept: 'application/json' } });
    await expect.poll(() => asked).toEqual({ refused: true });
    expect(storage.items.has(TOKEN_KEY)).toBe(false);
    auth.submit('new');
    expect((await answer).status).toBe(200);
    expect(sent).toEqual(['Bearer old', 'Bearer new']);
  });
});
