/**
 * The preload builds `window.lantern` from the method list main hands it on the command line
 * (electron replaced by recording fakes, as in windowSecurity.test.ts): one function per listed
 * method, each invoking its own channel with the request unchanged, and nothing else exposed.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';

// Hoisted above the imports, so the preload reads this argument when it loads.
const bridge = vi.hoisted(() => {
  const argument = '--lantern-methods=getCase,listUsers';
  process.argv.push(argument);
  return { argument, exposed: new Map<string, Record<string, (request: unknown) => Promise<unknown>>>(), invoked: [] as unknown[][] };
});
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (request: unknown) => Promise<unknown>>) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      bridge.invoked.push(args);
      return { ok: true, value: null };
    },
  },
}));

import './preload';
import { methodListArgument, methodListFlag, methodNames } from '../contract/ipcContract';

afterAll(() => {
  process.argv.splice(process.argv.indexOf(bridge.argument), 1);
});

describe('preload', () => {
  it('exposes exactly the methods it was handed, each invoking its own channel with the request unchanged', async () => {
    expect([...bridge.exposed.keys()]).toEqual(['lantern']);
    const api = bridge.exposed.get('lantern')!;
    expect(Object.keys(api)).toEqual(['getCase', 'listUsers']);
    expect(await api['getCase']!({ caseId: 'c1' })).toEqual({ ok: true, value: null });
    await api['listUsers']!({});
    expect(bridge.invoked).toEqual([
      ['lantern:getCase', { caseId: 'c1' }],
      ['lantern:listUsers', {}],
    ]);
  });

  it('is handed every contract method by main, under the flag it reads', () => {
    const argument = methodListArgument();
    expect(argument.startsWith(methodListFlag)).toBe(true);
    expect(argument.slice(methodListFlag.length).split(',')).toEqual(methodNames);
    expect(methodNames.length).toBeGreaterThan(40);
  });
});
