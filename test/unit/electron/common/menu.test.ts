import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, test, vi } from 'vitest';
import { buildMenuTemplate, type MenuContext } from '../../../../electron/common/menu.js';

const ctx = (over: Partial<MenuContext> = {}): MenuContext => ({ isDev: false, platform: 'linux', actionsEnabled: true, onAction: vi.fn(), onAbout: vi.fn(), ...over });
const sub = (t: MenuItemConstructorOptions[], label: string) => (t.find((m) => m.label === label)?.submenu ?? []) as MenuItemConstructorOptions[];
const roles = (items: MenuItemConstructorOptions[]) => items.map((i) => i.role).filter(Boolean);

describe('buildMenuTemplate', () => {
  test('File has New, Open, Save, Save As and Quit; clicks report the action', () => {
    const c = ctx();
    const file = sub(buildMenuTemplate(c), 'File');
    expect(file.filter((i) => i.label).map((i) => i.label)).toEqual(['New', 'Open…', 'Save', 'Save As…']);
    expect(roles(file)).toEqual(['quit']);
    file.find((i) => i.id === 'file.saveAs')!.click!({} as never, undefined, {} as never);
    expect(c.onAction).toHaveBeenCalledWith('file.saveAs');
  });

  test('developer tools and reload only in development', () => {
    expect(roles(sub(buildMenuTemplate(ctx({ isDev: false })), 'View'))).not.toContain('toggleDevTools');
    expect(roles(sub(buildMenuTemplate(ctx({ isDev: false })), 'View'))).not.toContain('reload');
    expect(roles(sub(buildMenuTemplate(ctx({ isDev: true })), 'View'))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  test('File actions are disabled until the renderer can receive them', () => {
    const file = sub(buildMenuTemplate(ctx({ actionsEnabled: false })), 'File');
    expect(file.filter((i) => i.id).every((i) => i.enabled === false)).toBe(true);
  });

  test('has a Help menu with About', () => {
    const t = buildMenuTemplate(ctx());
    const help = t.find((m) => m.role === 'help');
    expect((help?.submenu as MenuItemConstructorOptions[]).map((i) => i.label)).toEqual(['About Layerlab']);
  });
});
