import { type FormEvent, useEffect, useState } from 'react';
import type { TokenAsk, TokenAuth } from './token-auth.js';

/** The form that asks for the server's token when the API answers 401 (nothing otherwise). */
export function TokenPrompt({ auth }: { auth: TokenAuth }) {
  const [ask, setAsk] = useState<TokenAsk>();
  const [token, setToken] = useState('');
  useEffect(() => auth.subscribe(setAsk), [auth]);
  if (ask === undefined) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === '') return;
    auth.submit(token);
    setToken('');
  };
  return (
    <form className="sw-overlay sw-token" role="dialog" aria-label="Access token" onSubmit={submit}>
      <h3>This server needs its access token</h3>
      <p>
        {ask.refused
          ? 'The server refused that token. Enter the token again.'
          : 'Enter the token the server was started with (the file given to --token-file).'}{' '}
        It is kept for this tab only.
      </p>
      <label>
        Token{' '}
        <input
          type="password"
          autoComplete="off"
          // biome-ignore lint/a11y/noAutofocus: the form is the only thing to do until it is answered
          autoFocus
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
      </label>
      <div className="sw-buttons">
        <button type="submit" disabled={token.trim() === ''}>
          Continue
        </button>
      </div>
    </form>
  );
}
