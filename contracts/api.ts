/**
 * The one API the renderer talks to. Two transports carry it: Electron IPC (the preload
 * exposes an allowlisted bridge) and WebSocket (`layerlab serve`). The renderer cannot tell which.
 */
import { z } from 'zod';
import { graphDocument, type GraphDocument } from './graph.js';
import { trainConfig, type EvaluationEvent, type TrainConfig, type TrainConfigInput, type TrainEvent } from './training.js';

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

/** Formats `layerlab export` and the app write trained weights in. */
export const EXPORT_FORMATS = ['tfjs', 'safetensors', 'pytorch', 'keras'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A run directory as the runs list shows it. */
export interface RunSummary {
  readonly runId: RunId;
  readonly name: string;
  readonly startedAt: string;
  readonly config: TrainConfig | null;
  readonly status: 'running' | 'done' | 'stopped' | 'failed' | 'interrupted';
  readonly epochs: number;
  readonly testAccuracy: number | null;
  readonly trainLoss: number | null;
}

export interface RunDetail {
  readonly summary: RunSummary;
  readonly document: GraphDocument | null;
  /** Every event the run recorded, in order (metrics.jsonl). */
  readonly events: readonly TrainEvent[];
  readonly evaluation: EvaluationEvent | null;
}

/** Request and response of every method, keyed by method name. */
export interface Api {
  'app.info': (req: Record<string, never>) => { version: string };
  'templates.list': (req: Record<string, never>) => TemplateSummary[];
  'templates.get': (req: { id: string }) => GraphDocument;
  'datasets.list': (req: Record<string, never>) => DatasetInfo[];
  'train.start': (req: { document: GraphDocument; config: TrainConfigInput }) => { runId: RunId };
  'train.stop': (req: { runId: RunId; when?: 'now' | 'epochEnd' }) => { stopped: boolean };
  'train.pause': (req: { runId: RunId }) => { ok: boolean };
  'train.resume': (req: { runId: RunId }) => { ok: boolean };
  'runs.list': (req: Record<string, never>) => RunSummary[];
  'runs.get': (req: { runId: RunId }) => RunDetail;
  /** The trained model in TF.js format, for the user to save. */
  'runs.export': (req: { runId: RunId; format: ExportFormat }) => { files: { name: string; base64: string }[] };
  /** Raw uint8 pixels of some examples, for showing misclassified images. */
  'datasets.images': (req: { dataset: string; split: 'train' | 'test'; indices: number[] }) => { shape: number[]; images: string[] };
}
export type ApiMethod = keyof Api;
export type ApiRequest<M extends ApiMethod> = Parameters<Api[M]>[0];
export type ApiResponse<M extends ApiMethod> = ReturnType<Api[M]>;

/** Events pushed from the host to the renderer. */
export interface ApiEvents {
  'train.event': { runId: RunId; event: TrainEvent };
  /** A host menu item was chosen (desktop File menu); the renderer performs the action. */
  'menu.action': { action: MenuAction };
}
export type MenuAction = 'file.new' | 'file.open' | 'file.save' | 'file.saveAs';
export type ApiEventName = keyof ApiEvents;

const empty = z.object({}).strict();
/** Run ids are run-directory names: no separators, so they can never point outside the runs folder. */
const runIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/);

/** Runtime validation of requests, used by every host before it acts on a message. */
export const apiRequestSchemas: { readonly [M in ApiMethod]: z.ZodType<unknown> } = {
  'app.info': empty,
  'templates.list': empty,
  'templates.get': z.object({ id: z.string().regex(/^[a-z0-9-]+$/) }),
  'datasets.list': empty,
  'train.start': z.object({ document: graphDocument, config: trainConfig.partial() }),
  'train.stop': z.object({ runId: runIdSchema, when: z.enum(['now', 'epochEnd']).optional() }),
  'train.pause': z.object({ runId: runIdSchema }),
  'train.resume': z.object({ runId: runIdSchema }),
  'runs.list': empty,
  'runs.get': z.object({ runId: runIdSchema }),
  'runs.export': z.object({ runId: runIdSchema, format: z.enum(EXPORT_FORMATS) }),
  'datasets.images': z.object({ dataset: z.string().max(64), split: z.enum(['train', 'test']), indices: z.array(z.number().int().nonnegative()).max(256) }),
};

export const API_METHODS = Object.keys(apiRequestSchemas) as ApiMethod[];
export const API_EVENTS: readonly ApiEventName[] = ['train.event', 'menu.action'];

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
