import type { CommandHandlers } from '../../src-shared/commands';
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
  /** The graceful stop every host runs at quit: tasks cancelled at their await points, then clients closed. */
  shutdown(): Promise<void>;
}

/** Composes the app once; the desktop app, the browser host and the CLI all start from here. */
export function createAppRoot(options?: EngineOptions): AppRoot {
  const engine = new EchoEngine(options);
  const clients = new ClientPool(engine.bus, () => engine.target());
  const handlers = createCommandHandlers(engine, clients);
  return {
    engine,
    bus: engine.bus,
    clients,
    handlers,
    shutdown: async () => {
      await handlers.stop({});
    },
  };
}
