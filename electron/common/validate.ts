/**
 * Main's check of every renderer request against contracts' zod schemas. Runs before the
 * request is relayed, so the backend only ever sees well-formed, parsed (defaulted) params.
 */
import { apiRequestSchemas, isApiMethod, type ApiMethod } from '../../contracts/api.js';

export type ValidatedRequest = { readonly ok: true; readonly method: ApiMethod; readonly params: unknown } | { readonly ok: false; readonly error: string };

const MAX_ISSUES = 5;

/** Validates `req` for `method`; the error lists the offending fields so the caller can fix them. */
export function validateRequest(method: unknown, req: unknown): ValidatedRequest {
  if (!isApiMethod(method)) return { ok: false, error: `Unknown API method ${JSON.stringify(String(method))}.` };
  const parsed = apiRequestSchemas[method].safeParse(req);
  if (parsed.success) return { ok: true, method, params: parsed.data };
  const issues = parsed.error.issues;
  const lines = issues.slice(0, MAX_ISSUES).map((i) => `${i.path.length ? i.path.map(String).join('.') : '(request)'}: ${i.message}`);
  if (issues.length > MAX_ISSUES) lines.push(`…and ${issues.length - MAX_ISSUES} more`);
  return { ok: false, error: `Invalid request for ${method}: ${lines.join('; ')}` };
}
