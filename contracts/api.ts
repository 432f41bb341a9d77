/**
 * The one API the renderer talks to. Two transports carry it: Electron IPC (the preload
 * exposes an allowlisted bridge) and WebSocket (`layerlab serve`). The renderer cannot tell which.
 */
import { z } from 'zod';
import { graphDocument, type GraphDocument } from './graph.js';
import { trainConfig, type TrainConfigInput, type TrainEvent } from './training.js';

export type RunId = string & { readonly __brand: 'RunId' };

export interface TemplateSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

export interface DatasetInfo {
  readonly name: string;
  readonly title: string;
  readonly inputShape: readonly number[];
  readonly classes: number;
  readonly available: boolean;
  readonly note: string;
}

/** Request and response of every method, keyed by method name. */
export interface Api {
  'app.info': (req: Record<string, never>) => { version: string };
  'templates.list': (req: Record<string, never>) => TemplateSummary[];
  'templates.get': (req: { id: string }) => GraphDocument;
  'datasets.list': (req: Record<string, never>) => DatasetInfo[];
  'train.start': (req: { document: GraphDocument; config: TrainConfigInput }) => { runId: RunId };
  'train.stop': (req: { runId: RunId }) => { stopped: boolean };
}
export type ApiMethod = keyof Api;
export type ApiRequest<M extends ApiMethod> = Parameters<Api[M]>[0];
export type ApiResponse<M extends ApiMethod> = ReturnType<Api[M]>;

/** Events pushed from the host to the renderer. */
export interface ApiEvents {
  'train.event': { runId: RunId; event: TrainEvent };
}
export type ApiEventName = keyof ApiEvents;

const empty = z.object({}).strict();

/** Runtime validation of requests, used by every host before it acts on a message. */
export const apiRequestSchemas: { readonly [M in ApiMethod]: z.ZodType<unknown> } = {
  'app.info': empty,
  'templates.list': empty,
  'templates.get': z.object({ id: z.string().regex(/^[a-z0-9-]+$/) }),
  'datasets.list': empty,
  'train.start': z.object({ document: graphDocument, config: trainConfig.partial() }),
  'train.stop': z.object({ runId: z.string() }),
};

export const API_METHODS = Object.keys(apiRequestSchemas) as ApiMethod[];
export const API_EVENTS: readonly ApiEventName[] = ['train.event'];

export function isApiMethod(x: unknown): x is ApiMethod {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(apiRequestSchemas, x);
}
export function isApiEvent(x: unknown): x is ApiEventName {
  return typeof x === 'string' && (API_EVENTS as readonly string[]).includes(x);
}

/** What the renderer holds: a typed client over some transport. */
export interface ApiClient {
  invoke<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** The server side: one handler per method; hosts (Electron main, `layerlab serve`) wrap it. */
export type ApiHandlers = { [M in ApiMethod]: (req: ApiRequest<M>) => Promise<ApiResponse<M>> | ApiResponse<M> };

/** The WebSocket wire protocol. */
export const wireRequest = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type WireRequest = z.infer<typeof wireRequest>;
export type WireMessage =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: string }
  | { kind: 'event'; event: ApiEventName; payload: unknown };
