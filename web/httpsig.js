// Signed requests in the browser: HTTP Message Signatures (RFC 9421) with
// the member's Ed25519 key of keys.js, the profile of docs/FORMATS.md
// "Authenticated requests". The cooperation endpoints (docs/API.md
// "Cooperation") want
//   Signature-Input: pnyx=("@method" "@authority" "@path" "@query");created=<now>;keyid="<actor>";nonce="<random>";alg="ed25519"
//   Signature: pnyx=:<base64 of the 64-byte signature>:
// The signature base is one line "<component>": <value> per covered
// component, in order, joined by LF, then "@signature-params": <the inner
// list and parameters exactly as sent>, without a final LF. Runs unchanged
// in a browser and in Node 20+ (tests/web/httpsig.test.mjs).

import { base64Encode } from './keys.js';

export const LABEL = 'pnyx';
// What the cooperation endpoints require to be covered.
export const COOP_COMPONENTS = ['@method', '@authority', '@path', '@query'];
const DERIVED = ['@method', '@target-uri', '@authority', '@scheme', '@request-target', '@path', '@query'];
const utf8 = new TextEncoder();

// A request that cannot be signed as asked (a programming error of the
// caller: a component or parameter outside the profile).
export class HttpSigError extends Error {
  constructor(message) {
    super(message);
    this.name = 'HttpSigError';
  }
}

// An RFC 8941 string: printable ASCII, '"' and '\' escaped.
function sfString(s) {
  if (typeof s !== 'string' || s.length > 128 || !/^[\x20-\x7e]*$/.test(s)) {
    throw new HttpSigError('a signature parameter must be at most 128 printable ASCII characters');
  }
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
}

function sfInteger(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new HttpSigError('created and expires are whole numbers of seconds');
  return String(n);
}

// The inner list and parameters (the value after "label="): components in
// order, then the parameters given in params, in the order of its keys
// (created and expires integers; keyid, alg, nonce, tag strings).
export function signatureParams(components, params) {
  for (const c of components) {
    if (!DERIVED.includes(c) && !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(c)) {
      throw new HttpSigError(`"${c}" is not a component this profile can sign`);
    }
  }
  let out = '(' + components.map((c) => `"${c}"`).join(' ') + ')';
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    if (k === 'created' || k === 'expires') out += `;${k}=${sfInteger(v)}`;
    else if (['keyid', 'alg', 'nonce', 'tag'].includes(k)) out += `;${k}=${sfString(v)}`;
    else throw new HttpSigError(`"${k}" is not a signature parameter of this profile`);
  }
  return out;
}

// The value of one component for req: {method, scheme, authority, path,
// query (without '?', '' or null for none), headers: [[name, value], ...]}.
function componentValue(c, req) {
  const path = req.path || '/';
  const query = req.query ? '?' + req.query : '';
  switch (c) {
    case '@method': return req.method;
    case '@scheme': return (req.scheme || '').toLowerCase();
    case '@authority': return req.authority.toLowerCase();
    case '@target-uri': return `${(req.scheme || '').toLowerCase()}://${req.authority.toLowerCase()}${path}${query}`;
    case '@request-target': return path + query;
    case '@path': return path;
    case '@query': return query || '?';
    default: {
      const vals = (req.headers || []).filter(([n]) => n.toLowerCase() === c)
        .map(([, v]) => String(v).replace(/^[ \t]+|[ \t]+$/g, ''));
      if (vals.length === 0) throw new HttpSigError(`the request has no header "${c}" to sign`);
      return vals.join(', ');
    }
  }
}

// The signature base (RFC 9421 section 2.5) of req for components and the
// serialised parameters (from signatureParams).
export function signatureBase(components, req, paramsText) {
  const lines = components.map((c) => `"${c}": ${componentValue(c, req)}`);
  lines.push(`"@signature-params": ${paramsText}`);
  const base = lines.join('\n');
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(lines.slice(0, -1).join(''))) {
    throw new HttpSigError('a covered value holds a control character');
  }
  return base;
}

// Signs req with privateKey (an Ed25519 CryptoKey: keys.js's privateKey).
// Returns the two header fields {'Signature-Input', 'Signature'}.
// opts: {label, components, params (ordered: created, keyid, ...)}.
export async function signRequest(req, privateKey, opts) {
  const label = opts.label || LABEL;
  const components = opts.components || COOP_COMPONENTS;
  const params = signatureParams(components, opts.params);
  const base = signatureBase(components, req, params);
  const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, utf8.encode(base)));
  return { 'Signature-Input': `${label}=${params}`, Signature: `${label}=:${base64Encode(sig)}:` };
}

// A random nonce of 22 characters (16 random bytes, base64url).
export function newNonce() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return base64Encode(b).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The headers that sign method and url (a URL, or a path resolved against
// base) as actor with privateKey, the cooperation profile: created = now
// (seconds), keyid = actor, a fresh nonce, alg ed25519.
export async function coopHeaders(method, url, actor, privateKey, nowMs = Date.now()) {
  const u = url instanceof URL ? url : new URL(url, globalThis.location ? globalThis.location.href : 'http://localhost/');
  const req = { method, authority: u.host, path: u.pathname, query: u.search.replace(/^\?/, '') };
  return signRequest(req, privateKey, {
    params: { created: Math.floor(nowMs / 1000), keyid: actor, nonce: newNonce(), alg: 'ed25519' },
  });
}
