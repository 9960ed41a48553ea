import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ApiContext } from './api-context';
import { sampleLiveTaskCounts } from './live-tasks/live-task-sampling';
import { startLiveOrReplay } from './replay/replay-mode';
import { replayStore } from './replay/replay-store';
import { appStore } from './store/app-store';
import { connectApi } from './transport';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/tables.css';
import './styles/panels.css';
import './styles/recording.css';
import './styles/load.css';
import 'uplot/dist/uPlot.min.css';
import './styles/live-tasks.css';

const api = connectApi();
// The live-tasks chart covers the whole session, whichever tab is shown.
sampleLiveTaskCounts(appStore, replayStore);
// Before the first render: live, the store is built from a snapshot, then kept current by batches;
// when the host serves a recording instead, the store follows the recording (replay mode).
startLiveOrReplay(api);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiContext value={api}>
      <App />
    </ApiContext>
  </StrictMode>,
);
