import { BottomPanel } from './components/BottomPanel';
import { ControlBar } from './components/ControlBar';
import { CounterStrip } from './components/CounterStrip';
import { LessonBar } from './components/LessonBar';
import { TaskDetail } from './components/TaskDetail';
import { TaskTable } from './components/TaskTable';

/** The whole window: controls on top, counters, tasks beside their detail, and the tabbed panels below. */
export function App() {
  return (
    <div className="app">
      <ControlBar />
      <LessonBar />
      <CounterStrip />
      <main className="workspace">
        <TaskTable />
        <TaskDetail />
      </main>
      <BottomPanel />
    </div>
  );
}
