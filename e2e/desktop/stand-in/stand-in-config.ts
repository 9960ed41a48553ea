/** What the stand-in needs from the test that starts it, passed in the environment. */
export interface StandInConfig {
  /** The project root, as `app.getAppPath()` returns it for an unpackaged app. */
  appPath: string;
  /** `app.getPath('userData')`: where window-state.json lives; the Chromium profile goes under it. */
  userDataDir: string;
  chromiumPath: string;
}

export const STAND_IN_ENV = {
  appPath: 'ECHOSCOPE_STAND_IN_APP_PATH',
  userDataDir: 'ECHOSCOPE_STAND_IN_USER_DATA',
  chromiumPath: 'ECHOSCOPE_STAND_IN_CHROMIUM',
} as const satisfies Record<keyof StandInConfig, string>;

export function readStandInConfig(): StandInConfig {
  const read = (key: keyof StandInConfig): string => {
    const value = process.env[STAND_IN_ENV[key]];
    if (!value) throw new Error(`stand-in: ${STAND_IN_ENV[key]} is not set`);
    return value;
  };
  return { appPath: read('appPath'), userDataDir: read('userDataDir'), chromiumPath: read('chromiumPath') };
}
