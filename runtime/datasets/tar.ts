/** Reads the regular files of a (gunzipped) ustar archive: enough for dataset tarballs. */
export function untar(buf: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (from: number, len: number) => new TextDecoder().decode(buf.subarray(from, from + len)).replace(/\0.*$/s, '');
  let off = 0;
  while (off + 512 <= buf.length) {
    const name = text(off, 100);
    if (!name) break;
    const size = parseInt(text(off + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(buf[off + 156]!);
    const prefix = text(off + 345, 155);
    if (type === '0' || type === '\0') files.set(prefix ? `${prefix}/${name}` : name, buf.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
