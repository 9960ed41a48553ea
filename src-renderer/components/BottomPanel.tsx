import type { ReactNode } from 'react';
import { useAppStore } from '../store/app-store';
import type { BottomTab } from '../store/ui-slice';
import { ClientPanel } from './ClientPanel';
import { EventLog } from './EventLog';
import { LoadPanel } from './LoadPanel';
import { Timeline } from './Timeline';
import { WarningsPanel } from './WarningsPanel';

function TabButton({ tab, label, badge }: { tab: BottomTab; label: string; badge?: ReactNode }) {
  const active = useAppStore((s) => s.bottomTab === tab);
  const setTab = useAppStore((s) => s.setBottomTab);
  return (
    <button
      type="button"
      role="tab"
      id={`tab-${tab}`}
      aria-selected={active}
      aria-controls="bottom-tabpanel"
      className={`tab${active ? ' active' : ''}`}
      data-testid={`tab-${tab}`}
      onClick={() => setTab(tab)}
    >
      {label}
      {badge}
    </button>
  );
}

/** Built-in client, load generator, event log, warnings and timeline, one at a time (only the visible one renders). */
export function BottomPanel() {
  const tab = useAppStore((s) => s.bottomTab);
  const openClients = useAppStore((s) => {
    let n = 0;
    for (const c of s.clients.values()) if (c.open) n++;
    return n;
  });
  const warnings = useAppStore((s) => s.warnings.length);
  return (
    <section className="panel bottom-panel" aria-label="Client, load, log, warnings and timeline">
      <div className="tabs" role="tablist">
        <TabButton
          tab="clients"
          label="Built-in client"
          badge={openClients > 0 ? <span className="tab-badge">{openClients}</span> : null}
        />
        <TabButton tab="load" label="Load" />
        <TabButton tab="log" label="Event log" />
        <TabButton
          tab="warnings"
          label="Warnings"
          badge={
            warnings > 0 ? (
              <span className="tab-badge tab-badge-alert" data-testid="warnings-count">
                {warnings}
              </span>
            ) : null
          }
        />
        <TabButton tab="timeline" label="Timeline" />
      </div>
      <div className="tab-panel" id="bottom-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'clients' ? (
          <ClientPanel />
        ) : tab === 'load' ? (
          <LoadPanel />
        ) : tab === 'log' ? (
          <EventLog />
        ) : tab === 'warnings' ? (
          <WarningsPanel />
        ) : (
          <Timeline />
        )}
      </div>
    </section>
  );
}
