import type { CommandHandlers } from '../../src-shared/commands';
import { withAttach } from '../attach/attach-handlers';
import { AttachHub } from '../attach/attach-hub';
import { RecordingsFolder, runAtStart } from '../recording/recordings-folder';
import { ClientPool } from './client-pool';
import { createCommandHandlers } from './command-handlers';
import { EchoEngine, type EngineOptions } from './echo-engine';
import type { EventBus } from './event-bus';

/** The app as every host runs it: one engine, its built-in clients and the command handlers over both. */
export interface AppRoot {
  readonly engine: EchoEngine;
  readonly bus: EventBus;
  readonly clients: ClientPool;
  readonly handlers: CommandHandlers;
  /** The Record toggle's folder, when the host keeps one (the desktop app and the browser host do). */
  readonly recordings: RecordingsFolder | null;
  /** Where Python processes running the probe attach, when the host offers it (desktop app, browser host). */
  readonly attach: AttachHub | null;
  /** The graceful stop every host runs at quit: tasks cancelled at their await points, then clients closed. */
  shutdown(): Promise<void>;
}

/** Where a host's Record toggle writes, and what it calls itself in the recordings' headers. */
export interface RecordingsOptions {
  dir: string;
  recorder: string;
  /** Size limit of each recording; default 100 MiB. */
  limitBytes?: number;
}

/** How a host lets Python processes attach: where to log, and where the probe package is. */
export interface AttachOptions {
  log: (line: string) => void;
  probeDir: string;
}

/** Composes the app once; the desktop app, the browser host and the CLI all start from here. */
export function createAppRoot(
  options?: EngineOptions,
  recordingsOptions?: RecordingsOptions,
  attachOptions?: AttachOptions,
): AppRoot {
  const engine = new EchoEngine(options);
  const clients = new ClientPool(engine.bus, () => engine.target());
  const attach = attachOptions
    ? new AttachHub({ bus: engine.bus, serverPhase: () => engine.status().phase, ...attachOptions })
    : null;
  const recordings = recordingsOptions
    ? new RecordingsFolder(engine.bus, {
        ...recordingsOptions,
        settings: () => engine.status().settings,
        runAtStart: () => runAtStart(engine.status(), attach?.attached, engine.bus.state.counters.events),
      })
    : null;
  const engineHandlers = createCommandHandlers(engine, clients, recordings);
  const handlers = attach ? withAttach(engineHandlers, attach) : engineHandlers;
  return {
    engine,
    bus: engine.bus,
    clients,
    handlers,
    recordings,
    attach,
    shutdown: async () => {
      // The engine's own stop: while a process is attached the guarded one refuses, and there is nothing to stop.
      await engineHandlers.stop({});
      await attach?.close();
      // After the stop, so its cancellations and the `stopped` event are in the file.
      await recordings?.close();
    },
  };
}
