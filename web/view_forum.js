// The forum: its rules of procedure, officers, documents, decisions,
// stakeholders with the objections to them, and the members.
import { get, getAll, members, memberName } from './api.js';
import { t, label, lang, date, pick } from './i18n.js';
import { h, rec, dl, section, lazy } from './dom.js';

function rules(r) {
  if (!r) return null;
  const yesNo = (b) => t(b ? 'yes' : 'no');
  return section(t('rules'), dl([
    [t('procedures'), (r.procedures || []).map((p) => label('proc_', p)).join(', ')],
    [t('majority'), label('maj_', r.majority)],
    [t('important_majority'), label('maj_', r.important_majority)],
    [t('quorum'), t('percent', { n: r.quorum_percent })],
    [t('objection_window'), t('hours', { n: r.objection_window_hours })],
    [t('silence_min'), t('hours', { n: r.silence_min_hours })],
    [t('vote_on_request'), yesNo(r.vote_on_request)],
  ]), 2, 'rules');
}

// The officers: the chairs first, then the secretariat.
function officers(list) {
  const sorted = [...(list || [])].sort((a, b) => (a.kind === 'chair' ? 0 : 1) - (b.kind === 'chair' ? 0 : 1));
  return section(t('officers'), h('ul', {}, sorted.map((o) =>
    h('li', {}, o.name || label('kind_', o.kind), ' (', label('kind_', o.kind), ', ',
      h('code', {}, o.id), ')'))), 2, 'officers');
}

function documents(items) {
  return section(t('documents'), h('ul', {}, items.map((d) =>
    h('li', {}, h('a', { href: '#/documents/' + encodeURIComponent(d.id) }, rec(d.title)),
      ' ', h('span', { class: 'muted' }, d.symbol, ' · ', t('revision_n', { n: d.revisions }))))), 2, 'documents');
}

function decisions(items) {
  return section(t('decisions'), h('ul', {}, items.map((d) =>
    h('li', {}, h('a', { href: '#/decisions/' + encodeURIComponent(d.id) }, d.title ? rec(d.title) : d.id),
      ' ', h('span', { class: 'badge st-' + d.status }, label('dec_', d.status))))), 2, 'decisions');
}

function objection(o, names) {
  return h('li', {}, t('objection_by', { member: memberName(names, o.member) }),
    o.reason ? [': ', rec(o.reason)] : '',
    o.withdrawn_ms ? [' — ', t('withdrawn_on', { date: date(o.withdrawn_ms) })] : '');
}

function stakeholders(items, names) {
  const rows = items.map((s) => h('tr', {},
    h('th', { scope: 'row' }, s.name, h('br'), h('code', {}, s.id)),
    h('td', {}, label('cat_', s.category)),
    h('td', {}, label('st_', s.status),
      s.status === 'pending' && s.window_end_ms ? [h('br'), t('window_until', { date: date(s.window_end_ms) })] : ''),
    h('td', {}, s.objections && s.objections.length
      ? h('ul', {}, s.objections.map((o) => objection(o, names))) : t('none'))));
  return section(t('stakeholders'), h('table', {},
    h('thead', {}, h('tr', {}, [t('name'), t('category'), t('status'), t('objections')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows)), 2, 'stakeholders');
}

function memberTable(names) {
  const list = [...names.values()].sort((a, b) => String(a.name || a.code).localeCompare(String(b.name || b.code), lang()));
  return section(t('members'), h('details', {},
    h('summary', {}, t('members_count', { n: list.length })),
    h('table', { class: 'members' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('name')), h('th', { scope: 'col' }, t('code')), h('th', { scope: 'col' }, t('status')))),
      h('tbody', {}, list.map((m) => h('tr', {},
        h('th', { scope: 'row' }, m.name || m.code), h('td', {}, h('code', {}, m.code)), h('td', {}, label('st_', m.status))))))), 2, 'members');
}

// Whether this browser may keep a key (its IndexedDB "pnyx" exists),
// asked without loading the signing modules, so that a newcomer's first
// view stays small.
async function keyMayBeKept() {
  try {
    if (!globalThis.indexedDB || !indexedDB.databases) return !!globalThis.indexedDB;
    return (await indexedDB.databases()).some((d) => d.name === 'pnyx');
  } catch (e) {
    return false;
  }
}

export async function viewForum() {
  const [f, names, sh, docs, decs] = await Promise.all([
    get('/v1/forum'), members(lang()), getAll('/v1/stakeholders'),
    getAll('/v1/documents'), getAll('/v1/decisions')]);
  const forum = f.forum || {};
  const body = h('div', { class: 'view view-forum' },
    dl([[t('forum_id'), h('code', {}, forum.id)],
      [t('languages_of_forum'), (forum.languages || []).join(', ')]]),
    rules(forum.rules), officers(f.officers), documents(docs.items),
    decisions(decs.items), stakeholders(sh.items, names), memberTable(names),
    await keyMayBeKept() ? await lazy(() => import('./act_forum.js'), (m) => m.forumPanel(sh.items)) : null);
  return { title: pick(forum.title) || t('nav_forum'), body, envelope: f };
}
