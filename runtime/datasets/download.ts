/**
 * Resumable, checksum-verified download into the dataset cache. A partial download is kept as
 * `<file>.part` and continued with an HTTP Range request; the file is renamed into place only
 * after its SHA-256 matches, so a cache never holds a wrong file under the right name.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatasetError } from './dataset.js';
import type { RemoteFile } from './catalog.js';

export interface DownloadProgress {
  readonly file: string;
  readonly received: number;
  readonly total: number;
}

export async function hashFile(path: string, algorithm: 'sha256' | 'md5' = 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Downloads `remote` to `dest` from the first mirror that works. */
export async function downloadVerified(
  remote: RemoteFile,
  mirrors: readonly string[],
  dest: string,
  onProgress?: (p: DownloadProgress) => void,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  mkdirSync(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const errors: string[] = [];
  for (const mirror of mirrors) {
    const url = mirror + remote.file;
    try {
      await fetchTo(url, part, remote.bytes, onProgress, fetchImpl, remote.file);
      const algorithm = remote.sha256 ? 'sha256' : 'md5';
      const expected = remote.sha256 ?? remote.md5!;
      const digest = await hashFile(part, algorithm);
      if (digest !== expected) {
        rmSync(part, { force: true });
        throw new Error(`checksum mismatch (got ${algorithm} ${digest.slice(0, 12)}…, expected ${expected.slice(0, 12)}…)`);
      }
      renameSync(part, dest);
      return;
    } catch (e) {
      errors.push(`${url}: ${(e as Error).message}`);
    }
  }
  throw new DatasetError(
    `Could not download ${remote.file} (${errors.join('; ')}). If this machine is offline, copy the official file to ${dest} ` +
      `or set LAYERLAB_DATA_DIR to a folder that holds it; the bundled "synthetic-shapes" dataset needs no download.`,
    'E_DOWNLOAD',
  );
}

async function fetchTo(
  url: string,
  part: string,
  total: number,
  onProgress: ((p: DownloadProgress) => void) | undefined,
  fetchImpl: typeof fetch,
  file: string,
): Promise<void> {
  let have = existsSync(part) ? statSync(part).size : 0;
  if (have > total) {
    rmSync(part);
    have = 0;
  }
  if (have === total) return;
  const res = await fetchImpl(url, { headers: have ? { range: `bytes=${have}-` } : {} });
  if (res.status === 200 && have) have = 0; // the server ignored the range: start over
  else if (res.status !== 200 && res.status !== 206) throw new Error(`HTTP ${res.status}`);
  if (!res.body) throw new Error('empty response');
  const out = createWriteStream(part, { flags: have ? 'a' : 'w' });
  try {
    let received = have;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      received += chunk.length;
      onProgress?.({ file, received, total });
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
