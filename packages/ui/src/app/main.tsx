import { createRoot } from 'react-dom/client';
import { createHttpApi } from '../api/http-api.js';
import { App } from './App.js';

// the editor's page, served by `stepwise serve` next to the API it calls
const root = document.getElementById('root');
if (root === null) throw new Error('The page has no #root element.');
createRoot(root).render(<App api={createHttpApi()} />);
