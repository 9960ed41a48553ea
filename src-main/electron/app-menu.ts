import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own items do (the rest are Electron's standard roles). */
export interface AppMenuActions {
  openRecording(): void;
}

/** The application menu: File → Open Recording… beside the standard Edit, View and Window menus. */
export function appMenuTemplate(
  actions: AppMenuActions,
  platform = process.platform,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Recording…', accelerator: 'CmdOrCtrl+O', click: () => actions.openRecording() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}
