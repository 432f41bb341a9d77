/**
 * What main does with one renderer request, in order: check who sent it, validate it
 * against contracts, relay it, and turn any failure into an {@link InvokeResult} error.
 * Pure (the relay is injected) so the order of checks is unit-tested.
 */
import type { ApiMethod } from '../../contracts/api.js';
import type { InvokeResult } from './channels.js';
import { checkSender, type SenderInfo } from './origin.js';
import { errorMessage } from './relay.js';
import { validateRequest } from './validate.js';

export interface InvokeDeps {
  readonly relay: (method: ApiMethod, params: unknown) => Promise<unknown>;
  readonly log?: (message: string) => void;
}

/** Handles one request on `method`'s channel. Never throws. */
export async function handleInvoke(method: ApiMethod, sender: SenderInfo, req: unknown, deps: InvokeDeps): Promise<InvokeResult> {
  const verdict = checkSender(sender);
  if (!verdict.ok) {
    deps.log?.(`refused ${method}: ${verdict.reason}`);
    return { ok: false, error: `Request refused: ${verdict.reason}.` };
  }
  const valid = validateRequest(method, req);
  if (!valid.ok) return { ok: false, error: valid.error };
  try {
    return { ok: true, value: await deps.relay(valid.method, valid.params) };
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
}
