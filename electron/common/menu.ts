/**
 * The application menu as data. Item roles are Electron's; the File actions are app
 * actions that main forwards to the renderer. Pure (type-only Electron import), so the
 * rule "developer tools only in development" is unit-tested.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../../contracts/index.js';

/** App actions the File menu triggers (the `menu.action` event of contracts/api.ts). */
export type { MenuAction };

export interface MenuContext {
  readonly isDev: boolean;
  readonly platform: NodeJS.Platform;
  /** Whether the renderer can receive menu actions yet (contracts has an event for them). */
  readonly actionsEnabled: boolean;
  readonly onAction: (action: MenuAction) => void;
  readonly onAbout: () => void;
}

/** Builds the menu template. */
export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const action = (label: string, accelerator: string, id: MenuAction): MenuItemConstructorOptions => ({
    id,
    label,
    accelerator,
    enabled: ctx.actionsEnabled,
    click: () => ctx.onAction(id),
  });
  const isMac = ctx.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push({
    label: 'File',
    submenu: [
      action('New', 'CmdOrCtrl+N', 'file.new'),
      action('Open…', 'CmdOrCtrl+O', 'file.open'),
      { type: 'separator' },
      action('Save', 'CmdOrCtrl+S', 'file.save'),
      action('Save As…', 'CmdOrCtrl+Shift+S', 'file.saveAs'),
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({ role: 'editMenu' });
  const view: MenuItemConstructorOptions[] = [];
  if (ctx.isDev) view.push({ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  view.push({ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' });
  template.push({ label: 'View', submenu: view });
  template.push({ role: 'help', submenu: [{ label: 'About Layerlab', click: () => ctx.onAbout() }] });
  return template;
}
