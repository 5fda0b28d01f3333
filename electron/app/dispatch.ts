/**
 * The single entry for every call, whichever transport brought it (Electron IPC, loopback HTTP,
 * tests): unknown methods and payloads that fail the contract's schema never reach a handler, and
 * every outcome is an envelope.
 */
import { contract, isMethodName } from '../contract/ipcContract';
import type { ErrorPayload, Result } from '../contract/ipcContract';
import type { MethodHandlers } from './methodHandlers';
import { toErrorPayload, unknownMethod } from './serviceErrors';

function schemaError(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ErrorPayload {
  const first = issues[0];
  const field = first?.path.map(String).join('.') ?? '';
  const message = first ? `${field === '' ? 'request' : field}: ${first.message}` : 'invalid request';
  return field === '' ? { code: 'VALIDATION_FAILED', message } : { code: 'VALIDATION_FAILED', message, field };
}

const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON.parse keeps a `__proto__` key as an own property; schemas would silently drop it. A payload
 * carrying one is refused outright, naming where, so probing is visible rather than ignored.
 */
function findReservedKey(value: unknown, path: string[] = [], depth = 0): string | null {
  if (depth > 32 || typeof value !== 'object' || value === null) return null;
  for (const key of Object.keys(value)) {
    if (reservedKeys.has(key)) return [...path, key].join('.');
    const found = findReservedKey((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

export async function dispatch(handlers: MethodHandlers, method: unknown, payload: unknown): Promise<Result<unknown>> {
  try {
    if (!isMethodName(method)) throw unknownMethod(String(method));
    const reserved = findReservedKey(payload);
    if (reserved !== null) {
      return { ok: false, error: { code: 'VALIDATION_FAILED', message: `${reserved}: reserved key not allowed`, field: reserved } };
    }
    const parsed = contract[method].request.safeParse(payload);
    if (!parsed.success) return { ok: false, error: schemaError(parsed.error.issues) };
    const handler = handlers[method] as (request: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    const error = toErrorPayload(err);
    if (error.code === 'INTERNAL') console.error(`[lantern] ${String(method)} failed:`, err);
    return { ok: false, error };
  }
}
