/**
 * Runs the real built main process (out/main/index.js) with `require('electron')` answered by the
 * stand-in. Started by the desktop e2e fixture as `node --import tsx e2e/desktop/stand-in/run-main.ts`.
 */
import Module from 'node:module';
import { join } from 'node:path';
import { readStandInConfig } from './stand-in-config';

const resolver = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
const resolveFilename = resolver._resolveFilename;
const standIn = require.resolve('./electron-main');
resolver._resolveFilename = (request: string, ...rest: unknown[]): string =>
  request === 'electron' ? standIn : resolveFilename.call(resolver, request, ...rest);

require(join(readStandInConfig().appPath, 'out', 'main', 'index.js'));
