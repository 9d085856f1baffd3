// Building the page's elements. Text from the record always goes in as
// text (textContent), never as markup.
import { lang } from './i18n.js';

// h('p', {class: 'x'}, 'text', child, ...): an element. Attributes whose
// value is null, undefined or false are left out; children that are null
// or false are skipped; strings become text nodes.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Text of the record given as {lang: text}: a span in the current
// language, else in English or the first language given, marked with its
// own lang (and direction) when it is not the page's.
export function rec(texts, tag = 'span') {
  if (texts == null) return h(tag, {}, '');
  if (typeof texts === 'string') return h(tag, {}, texts);
  const cur = lang();
  const l = cur in texts ? cur : 'en' in texts ? 'en' : Object.keys(texts)[0];
  const attrs = l === cur ? {} : { lang: l, dir: l === 'ar' ? 'rtl' : 'ltr' };
  return h(tag, attrs, texts[l] ?? '');
}

// A definition list from [term, value] pairs (values may be nodes).
export function dl(pairs) {
  return h('dl', {}, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

// A section with a heading (level 2 unless given) and its content.
export function section(title, content, level = 2, id = null) {
  return h('section', { 'aria-labelledby': id }, h('h' + level, { id }, title), content);
}

// What a module loaded on demand builds: build(await load()), where load
// is () => import('./x.js') written in the caller's file; a line with
// the error if either fails (the rest of the view still shows).
export async function lazy(load, build) {
  try {
    return await build(await load());
  } catch (e) {
    return h('p', { class: 'error' }, e && e.message ? e.message : String(e));
  }
}
