/*
 * pnyx demo: the scenes of the training simulation (see demo.h). The
 * secretariat creates the forum with the 193 UN members; the chair tables
 * a draft of the eleven voluntary norms of the 2015 report (in Pnyx's own
 * words, data/norms-2015.tsv); members amend it over three revisions and
 * adopt it by consensus, and subscribe to some of its norms; stakeholders
 * apply for accreditation; a second draft, on a directory of points of
 * contact, is under consensus and left open for the newcomer.
 *
 * Which member plays which part is drawn by the seed (demo_cast): the
 * script gives parts, never states. Every text here was written for the
 * simulation; none is a government's position.
 */
#include "demo.h"

#include <string.h>

#define VKEY_MAX 700

const char *const demo_stakeholder_ids[] = {
	"sh.standards", "sh.university", "sh.rights", "sh.security",
};
const size_t demo_stakeholder_count =
	sizeof demo_stakeholder_ids / sizeof *demo_stakeholder_ids;

static const char listed_name[] = "Example Internet Standards Association";
static const char added_name[] = "Example University Centre for Cyber Policy";
static const char fictitious[] =
	"A fictitious organisation of the training simulation.";

static const char text_intro[] =
	"The members recall the eleven voluntary, non-binding norms of "
	"responsible State behaviour in the use of ICTs of the 2015 report of "
	"the Group of Governmental Experts, set out below in this forum's own "
	"words, and resolve to be guided by them.";
static const char text_norm_e[] =
	"In securing the use of ICTs, States respect human rights and "
	"fundamental freedoms, including the right to privacy in the digital "
	"age, online as offline.";
static const char text_poc_notify[] =
	"States use the directory of points of contact to notify one another "
	"of serious ICT incidents without undue delay.";
static const char text_norm_b[] =
	"Faced with an ICT incident, States weigh all relevant information, "
	"including its wider context, the challenges of attribution and the "
	"nature and extent of its consequences, before drawing conclusions.";

static void genesis(struct demo *d)
{
	char key[VKEY_MAX] = "", sec[VKEY_MAX] = "", chair[VKEY_MAX] = "";
	json_t *members = json_array();
	for (size_t i = 0; i < pnyx_country_member_count(d->countries); i++) {
		const char *code = pnyx_country_member(d->countries, i);
		if (members == NULL || !demo_vkey(d, code, key, sizeof key) ||
		    json_array_append_new(members, json_pack("{s:s,s:s}", "code",
							     code, "key", key)) != 0) {
			json_decref(members);
			members = NULL;
			break;
		}
	}
	if (!demo_vkey(d, "secretariat", sec, sizeof sec) ||
	    !demo_vkey(d, "chair.1", chair, sizeof chair)) {
		json_decref(members);
		members = NULL;
	}
	json_t *rules = json_pack("{s:[sss],s:b,s:i,s:i,s:i,s:s,s:s}",
				  "procedures", "consensus", "silence", "vote",
				  "vote_on_request", 1, "quorum_percent", 50,
				  "silence_min_hours", 72,
				  "objection_window_hours", 336, "majority",
				  "simple", "important_majority", "two-thirds");
	demo_act(d, "secretariat", "forum.create",
		 "{s:s,s:b,s:[ssssss],s:o,s:s,s:[{s:s,s:s,s:s}],s:o,s:[s]}",
		 "title", "Training simulation (like a Model UN): "
		 "working group on security in the use of ICTs",
		 "training", 1, "languages", "en", "fr", "es", "ar", "ru", "zh",
		 "rules", rules, "secretariat_key", sec, "chairs", "id", "chair.1",
		 "key", chair, "name", "The Chair (training simulation)",
		 "members", members, "consultative_list", listed_name);
}

static void credentials(struct demo *d)
{
	for (size_t k = 0; k < 3; k++)
		demo_act(d, "secretariat", "credentials.record", "{s:s,s:s}",
			 "member", demo_cast(d, k), "text",
			 "Credentials of the delegation received by the "
			 "secretariat (training simulation).");
}

/* One application for accreditation: id (with its own key) as name. */
static void apply(struct demo *d, const char *id, const char *name,
		  const char *category)
{
	char key[VKEY_MAX];
	if (!demo_vkey(d, id, key, sizeof key))
		key[0] = '\0';
	demo_act(d, id, "stakeholder.apply", "{s:s,s:s,s:s,s:{s:s}}", "key", key,
		 "name", name, "category", category, "description", "en",
		 fictitious);
}

/* Two accredited on notification (on the secretariat's list), one
 * pending in its objection window, one pending with an objection on the
 * record. */
static void stakeholders(struct demo *d)
{
	demo_act(d, "secretariat", "stakeholder.list_add", "{s:[s]}", "names",
		 added_name);
	apply(d, "sh.standards", listed_name, "technical-community");
	apply(d, "sh.university", added_name, "academia");
	apply(d, "sh.rights", "Example Digital Rights Network", "ngo");
	apply(d, "sh.security", "Example Security Research Ltd", "company");
	demo_act(d, demo_cast(d, 3), "stakeholder.object", "{s:s}",
		 "stakeholder", "sh.rights");
	demo_act(d, demo_cast(d, 3), "stakeholder.withdraw_objection", "{s:s}",
		 "stakeholder", "sh.rights");
	demo_act(d, demo_cast(d, 11), "stakeholder.object", "{s:s,s:{s:s}}",
		 "stakeholder", "sh.security", "reason", "en",
		 "The applicant's activities do not appear to relate to the "
		 "mandate of the forum.");
}

/* Appends p (stolen, may be NULL) to list (may be NULL); on failure frees
 * both and returns NULL. */
static json_t *push(json_t *list, json_t *p)
{
	if (list == NULL) {
		json_decref(p);
		return NULL;
	}
	if (json_array_append_new(list, p) == 0) /* steals p even on failure */
		return list;
	json_decref(list);
	return NULL;
}

/* Rev.1 of the norms draft: the introduction and the eleven norms. */
static json_t *norms_first(const struct demo *d)
{
	json_t *list = json_pack("[{s:s,s:{s:s}}]", "id", "intro", "text", "en",
				 text_intro);
	for (size_t i = 0; i < DEMO_NORMS; i++)
		list = push(list, json_pack("{s:s,s:b,s:{s:s}}", "id",
					    d->norms[i].id, "norm", 1, "text",
					    "en", d->norms[i].text));
	return list;
}

/* Where a revision has the paragraph on points of contact. */
enum poc_paragraph { POC_NEW, POC_KEPT };

/* A later revision of the norms draft: every paragraph of the one before
 * by its id (keeping its text), the paragraph replace_id with the new
 * text replace, and the paragraph on points of contact, new (with its
 * text) or kept. */
static json_t *norms_next(const struct demo *d, const char *replace_id,
			  const char *replace, enum poc_paragraph poc)
{
	json_t *list = json_pack("[{s:s}]", "id", "intro");
	for (size_t i = 0; i < DEMO_NORMS; i++) {
		const char *id = d->norms[i].id;
		list = push(list, strcmp(id, replace_id) == 0
			    ? json_pack("{s:s,s:{s:s}}", "id", id, "text", "en",
					replace)
			    : json_pack("{s:s}", "id", id));
	}
	if (poc == POC_NEW)
		list = push(list, json_pack("{s:s,s:{s:s}}", "id", "poc-notify",
					    "text", "en", text_poc_notify));
	else
		list = push(list, json_pack("{s:s}", "id", "poc-notify"));
	return list;
}

static void norms_rev1(struct demo *d)
{
	demo_act(d, "chair.1", "document.create", "{s:s,s:s,s:{s:s,s:s,s:s},s:o}",
		 "id", "norms-2015", "symbol", "TRAINING/2015/NORMS",
		 "title", "en", "Chair's draft: the voluntary norms of responsible "
		 "State behaviour in the use of ICTs (training simulation)",
		 "fr", "Projet de la présidence : les normes facultatives de "
		 "comportement responsable des États dans l'utilisation des TIC "
		 "(simulation de formation)",
		 "es", "Proyecto de la Presidencia: las normas voluntarias de "
		 "comportamiento responsable de los Estados en la utilización de "
		 "las TIC (simulación de capacitación)",
		 "paragraphs", norms_first(d));
}

/* Amendments to Rev.1, written input and a stakeholder's comment. */
static void norms_amend(struct demo *d)
{
	demo_act(d, demo_cast(d, 0), "amendment.table",
		 "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}", "id", "am-1", "document",
		 "norms-2015", "revision", 1, "paragraph", "norm-e", "op",
		 "replace", "text", "en", text_norm_e);
	demo_act(d, demo_cast(d, 1), "amendment.cosponsor", "{s:s}",
		 "amendment", "am-1");
	demo_act(d, demo_cast(d, 2), "amendment.cosponsor", "{s:s}",
		 "amendment", "am-1");
	demo_act(d, demo_cast(d, 3), "amendment.table",
		 "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}", "id", "am-2", "document",
		 "norms-2015", "revision", 1, "paragraph", "norm-k", "op",
		 "insert_after", "text", "en", text_poc_notify);
	demo_act(d, demo_cast(d, 4), "amendment.table",
		 "{s:s,s:s,s:i,s:s,s:s}", "id", "am-3", "document", "norms-2015",
		 "revision", 1, "paragraph", "intro", "op", "delete");
	demo_act(d, demo_cast(d, 4), "amendment.withdraw", "{s:s}",
		 "amendment", "am-3");
	demo_act(d, demo_cast(d, 6), "amendment.table",
		 "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}", "id", "am-4", "document",
		 "norms-2015", "revision", 1, "paragraph", "norm-g", "op",
		 "replace", "text", "en", "States take appropriate measures to "
		 "protect their critical infrastructure from ICT threats, and "
		 "share good practice in doing so.");
	demo_act(d, demo_cast(d, 5), "input.submit", "{s:s,s:s,s:{s:s}}",
		 "document", "norms-2015", "paragraph", "norm-h", "text", "en",
		 "A request for assistance should name a point of contact and "
		 "the kind of help sought.");
	demo_act(d, "sh.standards", "input.submit", "{s:s,s:{s:s}}", "document",
		 "norms-2015", "text", "en", "Open technical standards help "
		 "States apply norms i and j in practice.");
	demo_act(d, "sh.university", "comment.add", "{s:s,s:i,s:s,s:{s:s}}",
		 "document", "norms-2015", "revision", 1, "paragraph", "norm-j",
		 "text", "en", "A common template for vulnerability reports "
		 "would make this norm easier to apply.");
}

/* Rev.2 takes in am-1 and am-2 (am-4 is not taken); am-5 to Rev.2;
 * Rev.3 takes it in. */
static void norms_revisions(struct demo *d)
{
	demo_act(d, "chair.1", "revision.issue", "{s:s,s:o,s:[ss]}", "document",
		 "norms-2015", "paragraphs",
		 norms_next(d, "norm-e", text_norm_e, POC_NEW),
		 "amendments_taken", "am-1", "am-2");
	demo_act(d, demo_cast(d, 7), "amendment.table",
		 "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}", "id", "am-5", "document",
		 "norms-2015", "revision", 2, "paragraph", "norm-b", "op",
		 "replace", "text", "en", text_norm_b);
	demo_act(d, demo_cast(d, 8), "amendment.cosponsor", "{s:s}",
		 "amendment", "am-5");
	demo_act(d, "chair.1", "revision.issue", "{s:s,s:o,s:[s]}", "document",
		 "norms-2015", "paragraphs",
		 norms_next(d, "norm-b", text_norm_b, POC_KEPT),
		 "amendments_taken", "am-5");
}

/* Consensus on Rev.3: an objection lodged and withdrawn, a reservation,
 * explanations before and after; adopted. */
static void norms_adopt(struct demo *d)
{
	demo_act(d, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:{s:s}}", "id",
		 "adopt-norms", "procedure", "consensus", "document", "norms-2015",
		 "revision", 3, "title", "en",
		 "Adoption of the chair's draft on the 2015 norms, Rev.3");
	static const size_t joins[] = {0, 1, 2, 3, 5, 7, 8};
	for (size_t i = 0; i < sizeof joins / sizeof *joins; i++)
		demo_act(d, demo_cast(d, joins[i]), "consensus.join", "{s:s}",
			 "decision", "adopt-norms");
	demo_act(d, demo_cast(d, 4), "consensus.object", "{s:s,s:{s:s}}",
		 "decision", "adopt-norms", "reason", "en", "We need more time "
		 "to consult our capital on the new paragraph on points of "
		 "contact.");
	demo_act(d, demo_cast(d, 6), "position.explain", "{s:s,s:s,s:{s:s}}",
		 "decision", "adopt-norms", "when", "before", "text", "en",
		 "We join the consensus, although our amendment to norm g was "
		 "not taken up.");
	demo_act(d, demo_cast(d, 6), "consensus.join", "{s:s}", "decision",
		 "adopt-norms");
	demo_act(d, demo_cast(d, 4), "consensus.withdraw_objection", "{s:s}",
		 "decision", "adopt-norms");
	demo_act(d, demo_cast(d, 4), "consensus.join", "{s:s,s:[s]}", "decision",
		 "adopt-norms", "dissociate", "poc-notify");
	demo_act(d, "chair.1", "decision.close", "{s:s}", "decision",
		 "adopt-norms");
	demo_act(d, demo_cast(d, 4), "position.explain", "{s:s,s:s,s:{s:s}}",
		 "decision", "adopt-norms", "when", "after", "text", "en",
		 "We joined the consensus and dissociate ourselves from the "
		 "paragraph on points of contact, pending national "
		 "consultations.");
}

static void commitments(struct demo *d)
{
	demo_act(d, demo_cast(d, 0), "commitment.subscribe", "{s:s,s:s}",
		 "decision", "adopt-norms", "norm", "norm-f");
	demo_act(d, demo_cast(d, 0), "report.file", "{s:s,s:s,s:s,s:{s:s}}",
		 "decision", "adopt-norms", "norm", "norm-f", "status",
		 "in-progress", "text", "en", "A register of critical "
		 "infrastructure operators is being drawn up (training "
		 "simulation).");
	demo_act(d, demo_cast(d, 9), "commitment.subscribe", "{s:s,s:s}",
		 "decision", "adopt-norms", "norm", "norm-j");
	demo_act(d, demo_cast(d, 1), "commitment.subscribe", "{s:s,s:s}",
		 "decision", "adopt-norms", "norm", "norm-c");
}

static void poc_draft(struct demo *d)
{
	demo_act(d, "chair.1", "document.create",
		 "{s:s,s:s,s:{s:s,s:s},s:[{s:s,s:{s:s}},{s:s,s:{s:s}},"
		 "{s:s,s:{s:s}},{s:s,s:{s:s}},{s:s,s:{s:s}}]}",
		 "id", "poc-directory", "symbol", "TRAINING/POC/1", "title",
		 "en", "Chair's draft decision: a directory of points of contact "
		 "(training simulation)", "fr", "Projet de décision de la "
		 "présidence : un répertoire de points de contact (simulation de "
		 "formation)", "paragraphs",
		 "id", "p1", "text", "en", "The forum establishes a directory of "
		 "diplomatic and technical points of contact for ICT incidents.",
		 "id", "p2", "text", "en", "Each member designates at least one "
		 "diplomatic and one technical point of contact and keeps their "
		 "details up to date.",
		 "id", "p3", "text", "en", "The secretariat invites the members "
		 "to confirm their points of contact every six months.",
		 "id", "p4", "text", "en", "The directory is open to the members "
		 "only.",
		 "id", "p5", "text", "en", "The members hold an exercise each year "
		 "to check that every point of contact can be reached.");
	demo_act(d, demo_cast(d, 10), "amendment.table",
		 "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}", "id", "am-6", "document",
		 "poc-directory", "revision", 1, "paragraph", "p3", "op",
		 "replace", "text", "en", "The secretariat invites the members "
		 "to confirm their points of contact once a year.");
	demo_act(d, demo_cast(d, 11), "amendment.cosponsor", "{s:s}",
		 "amendment", "am-6");
	demo_act(d, "chair.1", "revision.issue",
		 "{s:s,s:[{s:s},{s:s},{s:s,s:{s:s}},{s:s},{s:s}],s:[s]}",
		 "document", "poc-directory", "paragraphs", "id", "p1", "id", "p2",
		 "id", "p3", "text", "en", "The secretariat invites the members "
		 "to confirm their points of contact once a year.", "id", "p4",
		 "id", "p5", "amendments_taken", "am-6");
}

/* Consensus on Rev.2 of the directory, left open: joins, a reservation,
 * a standing objection, an explanation. */
static void poc_open(struct demo *d)
{
	demo_act(d, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:{s:s,s:s}}",
		 "id", DEMO_OPEN_DECISION, "procedure", "consensus", "document",
		 "poc-directory", "revision", 2, "title", "en", "Adoption of the "
		 "draft decision on a directory of points of contact, Rev.2",
		 "fr", "Adoption du projet de décision sur un répertoire de "
		 "points de contact, Rev.2");
	static const size_t joins[] = {9, 10, 11};
	for (size_t i = 0; i < sizeof joins / sizeof *joins; i++)
		demo_act(d, demo_cast(d, joins[i]), "consensus.join", "{s:s}",
			 "decision", DEMO_OPEN_DECISION);
	demo_act(d, demo_cast(d, 2), "consensus.join", "{s:s,s:[s]}", "decision",
		 DEMO_OPEN_DECISION, "dissociate", "p5");
	demo_act(d, demo_cast(d, 5), "consensus.object", "{s:s,s:{s:s}}",
		 "decision", DEMO_OPEN_DECISION, "reason", "en", "Paragraph p4 "
		 "should say how the directory is kept secure.");
	demo_act(d, demo_cast(d, 8), "position.explain", "{s:s,s:s,s:{s:s}}",
		 "decision", DEMO_OPEN_DECISION, "when", "before", "text", "en",
		 "We hope to join the consensus once the concerns raised on "
		 "paragraph p4 are met.");
}

bool demo_script_run(struct demo *d)
{
	static void (*const scenes[])(struct demo *) = {
		genesis, credentials, stakeholders, norms_rev1, norms_amend,
		norms_revisions, norms_adopt, commitments, poc_draft, poc_open,
		demo_sessions,
	};
	for (size_t i = 0; i < sizeof scenes / sizeof *scenes && !d->failed; i++)
		scenes[i](d);
	return !d->failed;
}
