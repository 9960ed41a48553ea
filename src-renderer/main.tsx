import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ApiContext } from './api-context';
import { appStore } from './store/app-store';
import { syncStore } from './store/store-sync';
import { connectApi } from './transport';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/tables.css';
import './styles/panels.css';

const api = connectApi();
// Subscribe before the first render: the store is built from a snapshot, then kept current by batches.
syncStore(api, appStore);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiContext value={api}>
      <App />
    </ApiContext>
  </StrictMode>,
);
