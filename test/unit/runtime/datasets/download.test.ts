import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadVerified } from '../../../../runtime/datasets/download.js';
import { loadDataset } from '../../../../runtime/datasets/load.js';
import { sharedDatasets } from '../../../helpers/paths.js';

const body = readFileSync(join(sharedDatasets, 'mnist', 't10k-labels-idx1-ubyte.gz'));
const sha256 = createHash('sha256').update(body).digest('hex');
const remote = { file: 't10k-labels-idx1-ubyte.gz', bytes: body.length, sha256 };
const ranges: (string | undefined)[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    ranges.push(req.headers.range);
    if (req.url?.startsWith('/broken/')) {
      res.writeHead(200);
      res.end(Buffer.from('not the file'));
      return;
    }
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    if (m) {
      const from = Number(m[1]);
      res.writeHead(206, { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` });
      res.end(body.subarray(from));
    } else {
      res.writeHead(200);
      res.end(body);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('dataset download', () => {
  it('resumes a partial download with a Range request and verifies the checksum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-dl-'));
    const dest = join(dir, remote.file);
    writeFileSync(`${dest}.part`, body.subarray(0, 1000));
    ranges.length = 0;
    const progress: number[] = [];
    await downloadVerified(remote, [`${base}/ok/`], dest, (p) => progress.push(p.received));
    expect(ranges).toEqual(['bytes=1000-']);
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(progress.at(-1)).toBe(body.length);
  });

  it('refuses a file whose checksum is wrong, falls through to the next mirror, and explains an offline failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-dl-'));
    const dest = join(dir, remote.file);
    await downloadVerified(remote, [`${base}/broken/`, `${base}/ok/`], dest);
    expect(readFileSync(dest).equals(body)).toBe(true);
    const dest2 = join(dir, 'again', remote.file);
    await expect(downloadVerified(remote, [`${base}/broken/`], dest2)).rejects.toThrow(/checksum mismatch.*LAYERLAB_DATA_DIR/s);
    expect(existsSync(dest2)).toBe(false);
  });

  it('does not download when told not to, and says where the file should be', async () => {
    await expect(loadDataset('mnist', { dataDir: mkdtempSync(join(tmpdir(), 'll-empty-')), download: false })).rejects.toThrow(/t.*idx.*is not in/);
  });
});
