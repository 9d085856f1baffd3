/*
 * The scripted forum of forum_writer (see forum_writer.h): genesis, then
 * scenes that together use every rule module: credentials and keys, a
 * document with a revision and amendments, a decision by consensus with an
 * objection withdrawn and a dissociation, a recorded vote admitting a new
 * member, a silence procedure adopted at its deadline, stakeholders
 * accredited on notification, by non-objection, and refused, and
 * commitments with implementation reports. Each scene also runs alone
 * right after genesis (fuzz seeds), so each creates what it needs under its
 * own ids.
 */
#include "forum_writer.h"

#include <stdio.h>
#include <string.h>

const char *const fw_member_codes[] = {
	"BRA", "CHN", "EGY", "FJI", "FRA", "IND",
	"JPN", "KEN", "MEX", "NOR", "RUS", "USA",
};
const size_t fw_member_count = sizeof fw_member_codes / sizeof *fw_member_codes;

void fw_genesis(fw *w)
{
	json_t *members = json_array();
	for (size_t i = 0; i < fw_member_count; i++)
		json_array_append_new(members, json_pack("{s:s,s:s}", "code",
							 fw_member_codes[i], "key",
							 fw_vkey(&fw_who(w, fw_member_codes[i])->key)));
	char chair_key[700];
	snprintf(chair_key, sizeof chair_key, "%s", fw_vkey(&fw_who(w, "chair.1")->key));
	json_t *rules = json_pack("{s:[sss],s:b,s:i,s:i,s:i,s:s,s:s}", "procedures",
				  "consensus", "silence", "vote", "vote_on_request", 1,
				  "quorum_percent", 50, "silence_min_hours", 72,
				  "objection_window_hours", 336, "majority", "simple",
				  "important_majority", "two-thirds");
	fw_act(w, "secretariat", "forum.create",
	       "{s:s,s:[ssssss],s:o,s:s,s:[{s:s,s:s,s:s}],s:o,s:[s]}", "title",
	       "Open-ended working group on security of and in the use of ICTs",
	       "languages", "ar", "en", "es", "fr", "ru", "zh", "rules", rules,
	       "secretariat_key", fw_vkey(&fw_who(w, "secretariat")->key), "chairs",
	       "id", "chair.1", "key", chair_key, "name", "The Chair", "members",
	       members, "consultative_list", "Internet Society");
}

static void credentials(fw *w)
{
	static const char *const who[] = {"BRA", "FRA", "KEN", "NOR"};
	for (size_t i = 0; i < sizeof who / sizeof *who; i++)
		fw_act(w, "secretariat", "credentials.record", "{s:s,s:s}", "member",
		       who[i], "text", "Credentials issued by the Head of State, "
		       "received by the secretariat");
}

/* KEN moves to a new key and revokes the old one; FRA and the chair add a
 * second key; FRA revokes a spare one. */
static void keys(fw *w)
{
	fw_actor *ken = fw_who(w, "KEN");
	pnyx_signer fresh;
	fw_make_key(w, "KEN-2026", &fresh);
	char old_key[700];
	snprintf(old_key, sizeof old_key, "%s", fw_vkey(&ken->key));
	fw_act(w, "KEN", "key.add", "{s:s}", "key", fw_vkey(&fresh));
	pnyx_signer old = ken->key;
	ken->key = fresh;
	pnyx_signer_clear(&old);
	fw_act(w, "KEN", "key.revoke", "{s:s}", "key", old_key);
	pnyx_signer spare;
	fw_make_key(w, "FRA-spare", &spare);
	char spare_key[700];
	snprintf(spare_key, sizeof spare_key, "%s", fw_vkey(&spare));
	fw_act(w, "FRA", "key.add", "{s:s}", "key", spare_key);
	fw_act(w, "FRA", "key.revoke", "{s:s}", "key", spare_key);
	pnyx_signer_clear(&spare);
	pnyx_signer backup;
	fw_make_key(w, "chair.1-backup", &backup);
	fw_act(w, "chair.1", "key.add", "{s:s}", "key", fw_vkey(&backup));
	pnyx_signer_clear(&backup);
}

/* Document id (Rev.1: p1, and the norms p2, p3) by the secretariat. */
static void make_document(fw *w, const char *id, const char *title)
{
	fw_act(w, "secretariat", "document.create",
	       "{s:s,s:{s:s,s:s},s:[{s:s,s:{s:s}},{s:s,s:b,s:{s:s}},{s:s,s:b,s:{s:s}}]}",
	       "id", id, "title", "en", title, "fr", "Projet", "paragraphs", "id", "p1",
	       "text", "en", "States should cooperate to prevent harmful ICT practices.",
	       "id", "p2", "norm", 1, "text", "en", "States should not conduct or "
	       "knowingly support ICT activity that damages critical infrastructure.",
	       "id", "p3", "norm", 1, "text", "en", "States should respond to "
	       "appropriate requests for assistance by another State.");
}

static void documents(fw *w)
{
	/* a title with a terminal escape sequence and a right-to-left
	 * override: pnyx verify must print them escaped */
	make_document(w, "draft-norms", "Draft report on norms \x1b[31mURGENT\x1b[0m \xe2\x80\xae");
	fw_act(w, "FRA", "amendment.table", "{s:s,s:s,s:i,s:s,s:s,s:{s:s}}", "id", "am-1",
	       "document", "draft-norms", "revision", 1, "paragraph", "p1", "op",
	       "replace", "text", "en", "States should cooperate closely to prevent "
	       "harmful ICT practices.");
	fw_act(w, "BRA", "amendment.cosponsor", "{s:s}", "amendment", "am-1");
	fw_act(w, "KEN", "amendment.table", "{s:s,s:s,s:i,s:s,s:s}", "id", "am-2",
	       "document", "draft-norms", "revision", 1, "paragraph", "p3", "op", "delete");
	fw_act(w, "KEN", "amendment.withdraw", "{s:s}", "amendment", "am-2");
	fw_act(w, "IND", "input.submit", "{s:s,s:{s:s},s:s}", "document", "draft-norms",
	       "text", "en", "Capacity building should accompany every norm.",
	       "paragraph", "p2");
	fw_act(w, "chair.1", "revision.issue", "{s:s,s:[{s:s,s:{s:s}},{s:s},{s:s}],s:[s]}",
	       "document", "draft-norms", "paragraphs", "id", "p1", "text", "en",
	       "States should cooperate closely to prevent harmful ICT practices.",
	       "id", "p2", "id", "p3", "amendments_taken", "am-1");
}

/* A consensus decision on Rev.1 of its own document, adopted: an objection
 * lodged and withdrawn, a dissociation, an explanation of position. */
static void consensus(fw *w)
{
	make_document(w, "report-2026", "Annual progress report");
	fw_act(w, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:{s:s}}", "id", "dec-report",
	       "procedure", "consensus", "document", "report-2026", "revision", 1,
	       "title", "en", "Adoption of the annual progress report");
	fw_act(w, "FRA", "consensus.join", "{s:s}", "decision", "dec-report");
	fw_act(w, "RUS", "consensus.object", "{s:s,s:{s:s}}", "decision", "dec-report",
	       "reason", "en", "Paragraph 2 prejudges ongoing negotiations.");
	fw_act(w, "BRA", "consensus.join", "{s:s,s:[s]}", "decision", "dec-report",
	       "dissociate", "p3");
	fw_act(w, "RUS", "consensus.withdraw_objection", "{s:s}", "decision", "dec-report");
	fw_act(w, "RUS", "position.explain", "{s:s,s:s,s:{s:s}}", "decision", "dec-report",
	       "when", "before", "text", "en", "We do not stand in the way of consensus.");
	fw_act(w, "KEN", "consensus.join", "{s:s}", "decision", "dec-report");
	fw_act(w, "chair.1", "decision.close", "{s:s}", "decision", "dec-report");
}

/* A recorded vote admits a new member, which then records a key. */
static void vote(fw *w)
{
	fw_act(w, "chair.1", "decision.open", "{s:s,s:s,s:b,s:{s:s,s:s,s:s}}", "id",
	       "dec-admit-nzl", "procedure", "vote", "important", 1, "subject", "kind",
	       "admit", "member", "NZL", "key", fw_vkey(&fw_who(w, "NZL")->key));
	static const char *const yes[] = {"BRA", "FRA", "JPN", "KEN", "MEX", "NOR", "USA"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		fw_act(w, yes[i], "vote.cast", "{s:s,s:s}", "decision", "dec-admit-nzl",
		       "vote", "yes");
	fw_act(w, "CHN", "vote.cast", "{s:s,s:s}", "decision", "dec-admit-nzl", "vote",
	       "abstain");
	fw_act(w, "RUS", "vote.cast", "{s:s,s:s}", "decision", "dec-admit-nzl", "vote", "no");
	fw_act(w, "chair.1", "decision.close", "{s:s}", "decision", "dec-admit-nzl");
	fw_act(w, "RUS", "position.explain", "{s:s,s:s,s:{s:s}}", "decision",
	       "dec-admit-nzl", "when", "after", "text", "en",
	       "We voted against for reasons of procedure.");
	pnyx_signer spare;
	fw_make_key(w, "NZL-2", &spare);
	fw_act(w, "NZL", "key.add", "{s:s}", "key", fw_vkey(&spare));
	pnyx_signer_clear(&spare);
}

/* A silence procedure nobody breaks: adopted at its deadline, recorded by
 * the next leaf. */
static void silence(fw *w)
{
	make_document(w, "cbm-list", "Initial list of confidence-building measures");
	uint64_t deadline = w->now + 72 * FW_HOUR;
	fw_act(w, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i,s:I}", "id", "dec-cbm",
	       "procedure", "silence", "document", "cbm-list", "revision", 1,
	       "deadline_ms", (json_int_t)deadline);
	fw_act(w, "JPN", "position.explain", "{s:s,s:s,s:{s:s}}", "decision", "dec-cbm",
	       "when", "before", "text", "en", "We welcome the list.");
	w->now = deadline + FW_HOUR;
	fw_act(w, "secretariat", "credentials.record", "{s:s,s:s}", "member", "JPN",
	       "text", "Credentials received");
}

/* Stakeholders: one listed (on notification), one accredited by
 * non-objection after an objection withdrawn, one not accredited. */
static void stakeholders(fw *w)
{
	fw_act(w, "secretariat", "stakeholder.list_add", "{s:[s]}", "names",
	       "International Committee of the Red Cross");
	static const struct {
		const char *id, *name, *category;
	} apps[] = {
		{"sh.icrc", "International Committee of the Red Cross",
		 "international-organisation"},
		{"sh.digital-rights", "Digital Rights Watch", "ngo"},
		{"sh.acme", "Acme Security Ltd", "company"},
	};
	for (size_t i = 0; i < sizeof apps / sizeof *apps; i++)
		fw_act(w, apps[i].id, "stakeholder.apply", "{s:s,s:s,s:s}", "key",
		       fw_vkey(&fw_who(w, apps[i].id)->key), "name", apps[i].name,
		       "category", apps[i].category);
	fw_act(w, "CHN", "stakeholder.object", "{s:s,s:{s:s}}", "stakeholder",
	       "sh.digital-rights", "reason", "en", "Not relevant to the mandate.");
	fw_act(w, "CHN", "stakeholder.withdraw_objection", "{s:s}", "stakeholder",
	       "sh.digital-rights");
	fw_act(w, "EGY", "stakeholder.object", "{s:s}", "stakeholder", "sh.acme");
	w->now += 15 * 24 * FW_HOUR;
	fw_act(w, "sh.digital-rights", "key.add", "{s:s}", "key",
	       fw_vkey(&fw_who(w, "sh.digital-rights-2")->key));
}

/* Commitments to the norms of an adopted text, and reports on them. */
static void commitments(fw *w)
{
	make_document(w, "norms-2026", "Voluntary norms of responsible State behaviour");
	fw_act(w, "chair.1", "decision.open", "{s:s,s:s,s:s,s:i}", "id", "dec-norms",
	       "procedure", "consensus", "document", "norms-2026", "revision", 1);
	fw_act(w, "NOR", "consensus.join", "{s:s}", "decision", "dec-norms");
	fw_act(w, "chair.1", "decision.close", "{s:s}", "decision", "dec-norms");
	fw_act(w, "NOR", "commitment.subscribe", "{s:s,s:s}", "decision", "dec-norms",
	       "norm", "p2");
	fw_act(w, "MEX", "commitment.subscribe", "{s:s,s:s}", "decision", "dec-norms",
	       "norm", "p3");
	fw_act(w, "NOR", "report.file", "{s:s,s:s,s:s,s:{s:s}}", "decision", "dec-norms",
	       "norm", "p2", "status", "in-progress", "text", "en",
	       "A national critical infrastructure register is being drawn up.");
	fw_act(w, "MEX", "commitment.withdraw", "{s:s,s:s,s:{s:s}}", "decision",
	       "dec-norms", "norm", "p3", "reason", "en", "Under national review.");
}

/* A session (fuzz seeds only): scheduled, opened, its agenda adopted as
 * its first decision, members registered, statements with a right of
 * reply, a stakeholder speaking in its segment, closed. */
static void sessions(fw *w)
{
	fw_act(w, "secretariat", "stakeholder.list_add", "{s:[s]}", "names",
	       "International Committee of the Red Cross");
	fw_act(w, "sh.icrc", "stakeholder.apply", "{s:s,s:s,s:s}", "key",
	       fw_vkey(&fw_who(w, "sh.icrc")->key), "name",
	       "International Committee of the Red Cross", "category",
	       "international-organisation");
	fw_act(w, "secretariat", "session.schedule",
	       "{s:s,s:s,s:{s:s},s:I,s:I,s:s,s:[{s:s,s:{s:s}},{s:s,s:{s:s}}]}",
	       "id", "s1", "kind", "substantive", "title", "en",
	       "First substantive session", "start_ms", (json_int_t)w->now,
	       "end_ms", (json_int_t)(w->now + 5 * 24 * FW_HOUR), "venue",
	       "Conference Room 4", "agenda", "id", "1", "title", "en",
	       "Adoption of the agenda", "id", "2", "title", "en",
	       "General exchange of views");
	fw_act(w, "chair.1", "session.open", "{s:s}", "session", "s1");
	fw_act(w, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s}}", "id",
	       "s1-agenda", "procedure", "consensus", "subject", "kind", "agenda",
	       "session", "s1");
	fw_act(w, "KEN", "consensus.join", "{s:s}", "decision", "s1-agenda");
	fw_act(w, "chair.1", "decision.close", "{s:s}", "decision", "s1-agenda");
	fw_act(w, "KEN", "session.register", "{s:s}", "session", "s1");
	fw_act(w, "FRA", "session.register", "{s:s}", "session", "s1");
	fw_act(w, "KEN", "statement.deliver", "{s:s,s:s,s:s,s:s,s:{s:s,s:s}}",
	       "id", "s1-ken", "session", "s1", "item", "2", "mode", "oral",
	       "text", "en", "Kenya thanks the Chair.", "fr",
	       "Le Kenya remercie le Président.");
	fw_act(w, "FRA", "statement.deliver", "{s:s,s:s,s:s,s:s,s:s,s:{s:s}}",
	       "id", "s1-fra", "session", "s1", "item", "2", "mode", "oral",
	       "reply_to", "s1-ken", "text", "fr", "Droit de réponse.");
	fw_act(w, "chair.1", "segment.open", "{s:s,s:s}", "session", "s1",
	       "item", "2");
	fw_act(w, "sh.icrc", "statement.deliver", "{s:s,s:s,s:s,s:s,s:{s:s}}",
	       "id", "s1-icrc", "session", "s1", "item", "2", "mode", "oral",
	       "text", "en", "The ICRC recalls humanitarian law.");
	fw_act(w, "chair.1", "segment.close", "{s:s}", "session", "s1");
	fw_act(w, "chair.1", "session.close", "{s:s}", "session", "s1");
}

/* The capacity-building board (fuzz seeds only): a need, an offer, a
 * pledge accepted, reported on and completed. */
static void board(fw *w)
{
	fw_act(w, "FJI", "need.post", "{s:s,s:s,s:{s:s},s:{s:s},s:[s]}", "id",
	       "fji-cert", "area", "cert-maturity", "title", "en",
	       "Establishing a national CERT", "description", "en",
	       "Procedures, tooling and staff training.", "languages", "en");
	fw_act(w, "NOR", "offer.post", "{s:s,s:s,s:{s:s},s:{s:s},s:[s]}", "id",
	       "nor-cert", "area", "cert-maturity", "title", "en",
	       "CERT mentoring", "description", "en", "Two experts.", "languages",
	       "en");
	fw_act(w, "NOR", "pledge.make", "{s:s,s:s,s:s}", "id", "p1", "need",
	       "fji-cert", "offer", "nor-cert");
	fw_act(w, "FJI", "pledge.accept", "{s:s}", "pledge", "p1");
	fw_act(w, "NOR", "pledge.progress", "{s:s,s:{s:s}}", "pledge", "p1", "note",
	       "en", "First week held.");
	fw_act(w, "FJI", "pledge.complete", "{s:s}", "pledge", "p1");
}

/* Scenes written only as fuzz seeds (forum_writer corpus): the forum of
 * forum_writer create, which other tests count, leaves them out. */
const fw_scene fw_corpus_scenes[] = {
	{"sessions", sessions},
	{"board", board},
};
const size_t fw_corpus_scene_count =
	sizeof fw_corpus_scenes / sizeof *fw_corpus_scenes;

const fw_scene fw_scenes[] = {
	{"credentials", credentials},
	{"keys", keys},
	{"documents", documents},
	{"consensus", consensus},
	{"vote", vote},
	{"silence", silence},
	{"stakeholders", stakeholders},
	{"commitments", commitments},
};
const size_t fw_scene_count = sizeof fw_scenes / sizeof *fw_scenes;
