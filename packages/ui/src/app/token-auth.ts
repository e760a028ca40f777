/** Where the page keeps the token for the tab's session (gone when the tab closes). */
export const TOKEN_KEY = 'stepwise.token';

/** What the token form shows: asked for the first time, or after the server refused the one given. */
export type TokenAsk = { refused: boolean };

/** The storage the token is kept in (the page's `sessionStorage`). */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A `fetch` that sends the server's token, and asks for one when the server answers 401. */
export interface TokenAuth {
  /** For `createHttpApi({ fetch })`: adds `Authorization: Bearer <token>`; a 401 waits for a token, then retries. */
  fetch: typeof fetch;
  /** Called with the question while a token is needed, with `undefined` once one was given. */
  subscribe(listener: (ask: TokenAsk | undefined) => void): () => void;
  /** The token the user entered: kept in the storage, and every request waiting for it is sent again. */
  submit(token: string): void;
}

/**
 * The bearer token of a server started with `--token-file`, for a page that could load without it:
 * requests go out with the token kept in `storage` (none at first); the first 401 asks the user once
 * (every request refused meanwhile waits for the same answer), and a token the server refuses is
 * forgotten and asked for again.
 */
export function createTokenAuth(
  storage: TokenStorage,
  baseFetch: typeof fetch = globalThis.fetch.bind(globalThis),
): TokenAuth {
  let token = storage.getItem(TOKEN_KEY) ?? undefined;
  let ask: TokenAsk | undefined;
  let answered: Promise<void> | undefined;
  let answer: (() => void) | undefined;
  const listeners = new Set<(ask: TokenAsk | undefined) => void>();
  const tell = () => {
    for (const listener of listeners) listener(ask);
  };

  /** Waits for a token from the form (one question however many requests wait). */
  const askForToken = (refused: boolean): Promise<void> => {
    if (answered === undefined) {
      answered = new Promise((resolve) => {
        answer = resolve;
      });
      ask = { refused };
      tell();
    }
    return answered;
  };

  const withToken = (init: RequestInit | undefined, sent: string | undefined): RequestInit => {
    const headers = new Headers(init?.headers);
    if (sent !== undefined) headers.set('authorization', `Bearer ${sent}`);
    return { ...init, headers };
  };

  return {
    async fetch(input, init) {
      for (;;) {
        const sent = token;
        const response = await baseFetch(input, withToken(init, sent));
        if (response.status !== 401) return response;
        await response.body?.cancel().catch(() => undefined);
        if (token !== sent) continue; // a token came while this request was out: try it
        if (sent !== undefined) {
          token = undefined;
          storage.removeItem(TOKEN_KEY);
        }
        await askForToken(sent !== undefined);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      listener(ask);
      return () => listeners.delete(listener);
    },
    submit(given) {
      token = given.trim();
      storage.setItem(TOKEN_KEY, token);
      const resolve = answer;
      ask = undefined;
      answered = undefined;
      answer = undefined;
      tell();
      resolve?.();
    },
  };
}
