// A document: its revisions, the paragraphs of the latest one with the
// amendments on each, stakeholder inputs, and the difference between two
// revisions (/v1/documents/{ID}/diff).
import { get, members, memberName } from './api.js';
import { t, label, lang, date } from './i18n.js';
import { h, rec, dl, section, lazy } from './dom.js';

const docPath = (id) => '/v1/documents/' + encodeURIComponent(id);

function amendment(a, names) {
  return h('li', { class: 'amendment' },
    h('strong', {}, t('amendment'), ' ', h('code', {}, a.id)), ' · ',
    label('op_', a.op), ' · ', h('span', { class: 'badge am-' + a.status }, label('am_', a.status)),
    ' · ', t('on_revision', { n: a.revision }),
    a.text ? h('blockquote', {}, rec(a.text, 'p')) : null,
    dl([[t('sponsor'), memberName(names, a.sponsor)],
      [t('cosponsors'), (a.cosponsors || []).length
        ? a.cosponsors.map((c) => memberName(names, c.member)).join(', ') : t('none')]]));
}

function paragraphs(rev, amendments, names) {
  const byPara = new Map();
  for (const a of amendments) {
    if (!byPara.has(a.paragraph)) byPara.set(a.paragraph, []);
    byPara.get(a.paragraph).push(a);
  }
  return section(t('paragraphs') + ' — ' + t('revision_n', { n: rev.number }), h('ol', { class: 'paragraphs' },
    rev.paragraphs.map((p) => h('li', { id: 'para-' + p.id },
      h('p', {}, h('code', {}, p.id), p.norm ? [' ', h('span', { class: 'badge' }, t('norm'))] : '', ' ', rec(p.text)),
      byPara.has(p.id) ? h('ul', { class: 'amendments', 'aria-label': t('amendments') },
        byPara.get(p.id).map((a) => amendment(a, names))) : null))), 2, 'paragraphs');
}

function compareForm(id, count, from, to) {
  const options = (sel) => Array.from({ length: count }, (_, i) =>
    h('option', { value: i + 1, selected: i + 1 === sel }, t('revision_n', { n: i + 1 })));
  const form = h('form', { class: 'compare' },
    h('label', { for: 'diff-from' }, t('from')), h('select', { id: 'diff-from', name: 'from' }, options(from)),
    h('label', { for: 'diff-to' }, t('to')), h('select', { id: 'diff-to', name: 'to' }, options(to)),
    h('button', { type: 'submit' }, t('show_diff')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = '#/documents/' + encodeURIComponent(id) + '/diff?from=' +
      form.elements.from.value + '&to=' + form.elements.to.value;
  });
  return section(t('compare'), form, 2, 'compare');
}

function revisions(doc) {
  return section(t('revisions'), h('ul', {}, doc.revisions.map((r) =>
    h('li', {}, t('revision_n', { n: r.number }), ' — ',
      t('issued', { date: date(r.issued_ms), actor: r.issued_by })))), 2, 'revisions');
}

// Who wrote an input or comment: a member's name, or the actor's id.
function author(names, by) {
  return names.has(by) ? memberName(names, by) : by;
}

function contribution(names, c) {
  return h('li', {}, h('strong', {}, author(names, c.by)), ' · ',
    t('revision_n', { n: c.revision }), c.paragraph ? [' · ', h('code', {}, c.paragraph)] : '',
    ' · ', date(c.ms), rec(c.text, 'p'));
}

function inputs(doc, names) {
  const list = (doc.inputs || []).map((c) => contribution(names, c));
  const comments = (doc.comments || []).map((c) => contribution(names, c));
  return [section(t('inputs'), list.length ? h('ul', {}, list) : h('p', {}, t('none')), 2, 'inputs'),
    comments.length ? section(t('comments'), h('ul', {}, comments), 2, 'comments') : null];
}

export async function viewDocument(id) {
  const [d, names] = await Promise.all([get(docPath(id)), members(lang())]);
  const doc = d.document;
  const last = doc.revisions.length;
  const rev = await get(docPath(id) + '/revisions/' + last);
  const amendments = Object.entries(doc.amendments || {}).map(([aid, a]) => ({ id: aid, ...a }));
  const body = h('div', { class: 'view view-document' },
    dl([[t('symbol'), doc.symbol], [t('revisions'), String(last)]]),
    revisions(doc),
    last > 1 ? compareForm(id, last, last - 1, last) : null,
    paragraphs(rev.revision, amendments, names),
    inputs(doc, names),
    await lazy(() => import('./act_document.js'), (m) => m.documentPanel({ ...doc, id }, rev.revision, amendments)));
  return { title: doc.title ? rec(doc.title) : doc.id, body, envelope: d };
}

function diffRow(p) {
  const cell = (texts) => (texts ? rec(texts, 'p') : h('p', { class: 'muted' }, '—'));
  return h('tr', { class: 'ch-' + p.change },
    h('th', { scope: 'row' }, h('code', {}, p.paragraph), h('br'), label('ch_', p.change)),
    h('td', {}, p.change === 'added' ? h('p', { class: 'muted' }, '—') : h('del', {}, cell(p.from))),
    h('td', {}, p.change === 'removed' ? h('p', { class: 'muted' }, '—')
      : p.change === 'unchanged' ? cell(p.to) : h('ins', {}, cell(p.to))));
}

export async function viewDiff(id, from, to) {
  const q = '?from=' + encodeURIComponent(from || '') + '&to=' + encodeURIComponent(to || '');
  const [d, doc] = await Promise.all([get(docPath(id) + '/diff' + q), get(docPath(id))]);
  const title = t('diff_title', { from: d.from, to: d.to });
  const body = h('div', { class: 'view view-diff' },
    h('p', {}, h('a', { href: '#/documents/' + encodeURIComponent(id) }, t('back_to_document')), ' · ', rec(doc.document.title)),
    compareForm(id, doc.document.revisions.length, d.from, d.to),
    h('table', { class: 'diff' },
      h('caption', {}, title),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('paragraph')),
        h('th', { scope: 'col' }, t('before')), h('th', { scope: 'col' }, t('after')))),
      h('tbody', {}, d.paragraphs.map(diffRow))));
  return { title, body, envelope: d };
}
