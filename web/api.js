// The read API (docs/API.md), fetched from the server that serves the
// page. Answers are JSON; a problem document (RFC 9457) becomes an Error
// whose message is the server's detail or title.

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// GET path (with its query) and its JSON; throws ApiError.
export async function get(path) {
  let resp;
  try {
    resp = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError('', 0);
  }
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) {
    const msg = body && (body.detail || body.title) ? body.detail || body.title : resp.statusText;
    throw new ApiError(msg, resp.status);
  }
  return body;
}

// Every item of a list endpoint, following "next" (at most pages pages).
export async function getAll(path, pages = 20) {
  const sep = path.includes('?') ? '&' : '?';
  let items = [];
  let after = null;
  let first = null;
  for (let i = 0; i < pages; i++) {
    const page = await get(path + sep + 'limit=1000' + (after ? '&after=' + encodeURIComponent(after) : ''));
    first = first || page;
    items = items.concat(page.items || []);
    if (!page.next) break;
    after = page.next;
  }
  return { ...first, items };
}

const names = new Map(); // lang -> Promise of Map code -> member

// The members with their names in lang, by code (fetched once per language).
export function members(lang) {
  if (!names.has(lang)) {
    const p = getAll('/v1/members?lang=' + encodeURIComponent(lang)).then(
      (r) => new Map(r.items.map((m) => [m.code, m])),
      (e) => { names.delete(lang); throw e; });
    names.set(lang, p);
  }
  return names.get(lang);
}

// The name of member code in the map from members(), or the code itself.
export function memberName(map, code) {
  const m = map.get(code);
  return m && m.name ? m.name : code;
}
