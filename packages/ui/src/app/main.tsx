import { createRoot } from 'react-dom/client';
import { createHttpApi } from '../api/http-api.js';
import { App } from './App.js';
import { TokenPrompt } from './TokenPrompt.js';
import { createTokenAuth } from './token-auth.js';

// the editor's page, served by `stepwise serve` next to the API it calls; a server started with a
// token serves the page without it, and the API's first 401 asks for it (kept for the tab's session)
const root = document.getElementById('root');
if (root === null) throw new Error('The page has no #root element.');
const auth = createTokenAuth(sessionStorage);
createRoot(root).render(
  <>
    <App api={createHttpApi({ fetch: auth.fetch })} />
    <TokenPrompt auth={auth} />
  </>,
);
