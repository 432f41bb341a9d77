/**
 * The Content-Security-Policy and other response headers for everything served on the
 * app origin. Pure data, unit-tested, so a loosened directive shows up in review and in tests.
 */

/** Directive name → sources. Order is kept so the header reads the same every time. */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/**
 * The app's policy. Only our own bundled files may run or be fetched; inline styles are
 * allowed because React Flow and uPlot set `style` attributes and inject style tags at
 * runtime. No inline or eval'd script, no plugins, no `<base>` rewrites, no framing.
 * `connect-src 'self'` keeps the renderer off the network: the backend is reached over IPC.
 */
export const APP_CSP_DIRECTIVES: CspDirectives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Serialises directives as a header value: `name src src; name src`. */
export function buildCsp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => (sources.length ? `${name} ${sources.join(' ')}` : name))
    .join('; ');
}

/** The header value served with every app-origin response. */
export const APP_CSP = buildCsp(APP_CSP_DIRECTIVES);

/** Parses a CSP header back into directives; used by tests and by the e2e check. */
export function parseCsp(header: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}

/** Headers for an app-origin response of the given MIME type. */
export function appResponseHeaders(mimeType: string): Record<string, string> {
  return {
    'Content-Type': mimeType,
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}
