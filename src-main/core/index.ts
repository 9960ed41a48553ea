export { ClientPool } from './client-pool';
export { createCommandHandlers, dispatchCommand } from './command-handlers';
export { EchoEngine, type EngineOptions } from './echo-engine';
