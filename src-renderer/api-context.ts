import { createContext, useContext } from 'react';
import type { EchoscopeApi } from '../src-shared/api';

/** The host API, provided once at the root; the renderer never knows which transport is behind it. */
export const ApiContext = createContext<EchoscopeApi | null>(null);

export function useApi(): EchoscopeApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi needs an <ApiContext> provider');
  return api;
}
