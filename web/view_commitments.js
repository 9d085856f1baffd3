// Commitments to the adopted norms and the implementation reports filed
// on them, across members.
import { getAll, members, memberName } from './api.js';
import { t, label, lang, date } from './i18n.js';
import { h, rec, section, lazy } from './dom.js';

function commitment(code, c, names) {
  return h('tr', {},
    h('th', { scope: 'row' }, memberName(names, code), ' ', h('code', {}, code)),
    h('td', {}, label('cm_', c.status)),
    h('td', {}, (c.reports || []).length ? h('ul', {}, c.reports.map((r) => h('li', {},
      h('span', { class: 'badge' }, label('rp_', r.status)), ' ', date(r.ms), rec(r.text, 'p')))) : t('none')));
}

function item(it, names) {
  const norms = Object.entries(it.norms || {});
  return section(h('a', { href: '#/documents/' + encodeURIComponent(it.document) }, it.document),
    [h('p', {}, t('adopted_by', { decision: it.decision }), ' · ', t('revision_n', { n: it.revision })),
      norms.map(([norm, byMember]) => h('table', {},
        h('caption', {}, t('norm'), ' ', h('code', {}, norm)),
        h('thead', {}, h('tr', {}, [t('member'), t('status'), t('reports')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, Object.entries(byMember).map(([code, c]) => commitment(code, c, names)))))], 2);
}

export async function viewCommitments() {
  const [list, names] = await Promise.all([getAll('/v1/commitments'), members(lang())]);
  const body = h('div', { class: 'view view-commitments' },
    list.items.length ? list.items.map((it) => item(it, names)) : h('p', {}, t('no_commitments')),
    await lazy(() => import('./act_commit.js'), (m) => m.commitmentsPanel(list.items)));
  return { title: t('commitments'), body, envelope: list };
}
