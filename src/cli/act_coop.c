/*
 * pnyx act for the cooperation log (act_coop.h). The command line gives
 * the clear fields (to, kind, severity, tlp, legal basis, request,
 * grounds, ...: the engine's own tables through act_fields.c) and the
 * message (--text or --text-file, --attach, and for a data request
 * --offence and --need). The message is sealed to the points of contact
 * of both members found in the directory, then the action is signed and
 * sent to POST /v1/cooperation/actions.
 */
#include "act_coop.h"
#include "act_fields.h"
#include "cli.h"
#include "cli_text.h"
#include "coop_client.h"

#include "pnyx/action.h"
#include "pnyx/action_sign.h"
#include "pnyx/base64.h"
#include "pnyx/coop.h"
#include "pnyx/coop_seal.h"
#include "pnyx/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define ATTACH_MAX 16
#define SALT_LEN 32

/* What the command line says besides the engine's fields. */
struct coop_args {
	const char *text, *text_file, *offence, *need, *contacts;
	const char *attach[ATTACH_MAX];
	size_t nattach;
	bool help;
	int npass;
	char **pass; /* arguments for act_fields_build (pnyx_calloc'd) */
};

static const struct {
	const char *type, *usage, *text;
} helps[] = {
	{"poc.register", "--contacts FILE",
	 "Registers (replaces) your points of contact. FILE holds a JSON list of\n"
	 "1 to 8 contacts: {\"id\", \"function\" (diplomatic or technical), \"name\",\n"
	 "\"email\", \"phone\", \"hours\", \"time_zone\", \"languages\" (ar en es fr ru zh),\n"
	 "and \"key_file\": a key file of 'pnyx keygen --contact' (its public key is\n"
	 "sent; a relative path is read from FILE's directory), or \"key\": the\n"
	 "public key itself}. At least one technical contact. A random salt is\n"
	 "added so that the entry's hash reveals nothing.\n"},
	{"request.send", "--to MEMBER --kind KIND --severity LEVEL --tlp LABEL\n"
	 "      (--text TEXT | --text-file FILE) [--attach FILE]...\n"
	 "      [--legal-basis TEXT --offence TEXT --need TEXT]",
	 "Sends a request to another member: KIND is incident (a notification),\n"
	 "assistance, information or data; LEVEL low, medium, high or critical\n"
	 "(it sets the acknowledgement deadline); LABEL the TLP 2.0 label CLEAR,\n"
	 "GREEN, AMBER, AMBER+STRICT or RED. The text and the attachments are\n"
	 "encrypted to the recipient's points of contact and to yours: the server\n"
	 "and other members see only who wrote to whom, when, the kind, severity\n"
	 "and label. A data request (data held in the recipient's jurisdiction)\n"
	 "needs --legal-basis (the treaty or law, in clear), --offence (the\n"
	 "offence or incident) and --need (why the data is needed), both\n"
	 "encrypted.\n"},
	{"request.ack", "--request ID",
	 "Acknowledges a request you received (ID as in 'pnyx inbox', e.g. KEN:3).\n"},
	{"request.answer", "--request ID (--text TEXT | --text-file FILE) [--attach FILE]...",
	 "Answers a request you received (also acknowledges it); may be repeated\n"
	 "for follow-ups. Encrypted to the sender's points of contact and yours.\n"},
	{"request.decline", "--request ID --grounds GROUNDS [--text TEXT | --text-file FILE]",
	 "Declines a request you received. GROUNDS (in clear, counted in the\n"
	 "figures): political-offence, human-rights, sovereignty-security,\n"
	 "not-in-jurisdiction, insufficient-information or other. An explanation,\n"
	 "if given, is encrypted like an answer.\n"},
	{"request.close", "--request ID",
	 "Closes a request you sent or received.\n"},
	{"ping.start", "--round ID",
	 "(The secretariat) starts a round testing that every point of contact\n"
	 "answers.\n"},
	{"ping.ack", "--round ID --contact ID",
	 "Acknowledges a ping round for one of your contacts.\n"},
};

static void coop_help(const pnyx_action_type_info *t, FILE *f)
{
	for (size_t i = 0; i < sizeof helps / sizeof *helps; i++)
		if (strcmp(helps[i].type, t->type) == 0) {
			fprintf(f, "Usage: pnyx act --server URL --key FILE --as ACTOR "
				"%s %s\n\n%s", t->type, helps[i].usage, helps[i].text);
			break;
		}
	fputs("\nThe action goes to the members-only cooperation log "
	      "(docs/COOPERATION.md).\n", f);
}

void act_coop_types_list(FILE *f)
{
	for (size_t i = 0; i < pnyx_coop_type_count(); i++) {
		pnyx_action_type_info t;
		if (!pnyx_action_type_find(pnyx_coop_type_name(i), &t))
			continue;
		fprintf(f, "  %-30s %s\n", t.type,
			(t.actors & PNYX_ACTORS_SECRETARIAT) != 0
				? "the secretariat (cooperation log)"
				: "a member (cooperation log)");
	}
}

static bool has_message(const char *type)
{
	return strcmp(type, "request.send") == 0 ||
	       strcmp(type, "request.answer") == 0 ||
	       strcmp(type, "request.decline") == 0;
}

/* Takes one of our own options; false if name is not one. */
static int take_option(struct coop_args *ca, const pnyx_action_type_info *t,
		       const char *name, const char *value, bool *mine)
{
	bool msg = has_message(t->type);
	*mine = true;
	if (msg && strcmp(name, "text") == 0)
		ca->text = value;
	else if (msg && strcmp(name, "text-file") == 0)
		ca->text_file = value;
	else if (msg && strcmp(name, "offence") == 0)
		ca->offence = value;
	else if (msg && strcmp(name, "need") == 0)
		ca->need = value;
	else if (strcmp(t->type, "poc.register") == 0 &&
		 strcmp(name, "contacts") == 0)
		ca->contacts = value;
	else if (msg && strcmp(name, "attach") == 0) {
		if (ca->nattach == ATTACH_MAX)
			return cli_usage_error("act", "at most %d attachments",
					       ATTACH_MAX);
		ca->attach[ca->nattach++] = value;
	} else
		*mine = false;
	return CLI_EXIT_OK;
}

/* Splits the arguments: ours into ca, the others into ca->pass. */
static int split_args(int argc, char **argv, const pnyx_action_type_info *t,
		      struct coop_args *ca)
{
	if ((ca->pass = pnyx_calloc((size_t)argc + 8, sizeof *ca->pass)) == NULL)
		return cli_fail("out of memory");
	for (int i = 0; i < argc;) {
		const char *a = argv[i];
		if (cli_is_help(a)) {
			ca->help = true;
			return CLI_EXIT_OK;
		}
		const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
		int used = eq != NULL || i + 1 == argc ? 1 : 2;
		char name[48] = "";
		size_t len = eq != NULL ? (size_t)(eq - a - 2) : strlen(a) - 2;
		if (strncmp(a, "--", 2) == 0 && len < sizeof name)
			memcpy(name, a + 2, len);
		const char *value = eq != NULL ? eq + 1 : used == 2 ? argv[i + 1] : NULL;
		bool mine = false;
		int rc = value != NULL ? take_option(ca, t, name, value, &mine)
				       : CLI_EXIT_OK;
		if (rc != CLI_EXIT_OK)
			return rc;
		if (!mine && strcmp(name, "legal-basis") == 0 && value != NULL) {
			ca->pass[ca->npass++] = (char *)"--legal_basis";
			ca->pass[ca->npass++] = (char *)value;
		} else if (!mine) {
			for (int j = 0; j < used; j++)
				ca->pass[ca->npass++] = argv[i + j];
		}
		i += used;
	}
	return CLI_EXIT_OK;
}

/* ---- the message ---- */

static const char *media_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".txt", "text/plain"}, {".csv", "text/csv"},
		{".json", "application/json"}, {".pdf", "application/pdf"},
		{".xml", "application/xml"}, {".zip", "application/zip"},
		{".png", "image/png"}, {".jpg", "image/jpeg"},
		{".eml", "message/rfc822"}, {".pcap", "application/vnd.tcpdump.pcap"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot != NULL && i < sizeof types / sizeof *types; i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* Adds {"name", "type", "data"} of the file path to list. */
static int add_attachment(json_t *list, const char *path)
{
	pnyx_buf file;
	if (!cli_read_file(path, &file))
		return CLI_EXIT_FAIL;
	if (file.len > PNYX_COOP_PLAINTEXT_MAX) {
		pnyx_buf_clear(&file);
		return cli_fail("%s is larger than a sealed message may be "
				"(%u bytes)", path, PNYX_COOP_PLAINTEXT_MAX);
	}
	size_t cap = pnyx_base64_len(file.len) + 1;
	char *data = pnyx_malloc(cap);
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	int rc = data == NULL ? cli_fail("out of memory") : CLI_EXIT_OK;
	if (rc == CLI_EXIT_OK) {
		pnyx_base64_encode(file.data, file.len, data, cap);
		if (json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "name",
							  name, "type",
							  media_type(name), "data",
							  data)) != 0)
			rc = cli_fail("out of memory");
	}
	pnyx_free(data);
	pnyx_buf_clear(&file);
	return rc;
}

/* The text of the message: --text, or --text-file's content. */
static int message_text(const struct coop_args *ca, json_t *msg)
{
	if (ca->text != NULL && ca->text_file != NULL)
		return cli_usage_error("act", "give --text or --text-file, not both");
	if (ca->text != NULL)
		return json_object_set_new(msg, "text", json_string(ca->text)) == 0
			       ? CLI_EXIT_OK
			       : cli_usage_error("act", "--text is not UTF-8 text");
	pnyx_buf file;
	if (!cli_read_file(ca->text_file, &file))
		return CLI_EXIT_FAIL;
	json_t *s = json_stringn(file.data != NULL ? (const char *)file.data : "",
				 file.len);
	pnyx_buf_clear(&file);
	if (s == NULL)
		return cli_fail("%s is not UTF-8 text", ca->text_file);
	return json_object_set_new(msg, "text", s) == 0 ? CLI_EXIT_OK
							: cli_fail("out of memory");
}

/* The rules the CLI adds for a data request (docs/COOPERATION.md). */
static int check_data_request(const struct coop_args *ca, const json_t *body)
{
	bool data = strcmp(cli_str_of(body, "kind") != NULL ? cli_str_of(body, "kind")
							    : "", "data") == 0;
	if (data && (json_object_get(body, "legal_basis") == NULL ||
		     ca->offence == NULL || ca->need == NULL))
		return cli_usage_error("act", "a data request needs --legal-basis "
				       "(the treaty or law it rests on), --offence "
				       "(the offence or incident) and --need (why "
				       "the data is needed)");
	if (!data && (ca->offence != NULL || ca->need != NULL ||
		      json_object_get(body, "legal_basis") != NULL))
		return cli_usage_error("act", "--legal-basis, --offence and --need "
				       "are for data requests (--kind data) only");
	return CLI_EXIT_OK;
}

/* The plaintext of a request, answer or decline; NULL in *out for a
 * decline without a message. */
static int make_message(const struct coop_args *ca, const char *type,
			json_t **out)
{
	*out = NULL;
	bool any = ca->text != NULL || ca->text_file != NULL || ca->nattach > 0;
	if (strcmp(type, "request.decline") == 0 && !any)
		return CLI_EXIT_OK;
	if (ca->text == NULL && ca->text_file == NULL)
		return cli_usage_error("act", "%s needs the message: --text TEXT or "
				       "--text-file FILE", type);
	json_t *msg = json_pack("{s:[]}", "attachments");
	int rc = msg == NULL ? cli_fail("out of memory") : message_text(ca, msg);
	for (size_t i = 0; rc == CLI_EXIT_OK && i < ca->nattach; i++)
		rc = add_attachment(json_object_get(msg, "attachments"), ca->attach[i]);
	if (rc == CLI_EXIT_OK && ca->offence != NULL &&
	    json_object_set_new(msg, "offence", json_string(ca->offence)) != 0)
		rc = cli_usage_error("act", "--offence is not UTF-8 text");
	if (rc == CLI_EXIT_OK && ca->need != NULL &&
	    json_object_set_new(msg, "need", json_string(ca->need)) != 0)
		rc = cli_usage_error("act", "--need is not UTF-8 text");
	if (rc != CLI_EXIT_OK) {
		json_decref(msg);
		return rc;
	}
	*out = msg;
	return CLI_EXIT_OK;
}

/* ---- points of contact (poc.register) ---- */

/* Replaces contact c's "key_file" by the public "key" it holds. dir is
 * the contacts file's directory (with its final '/'), dir_len bytes. */
static int resolve_key_file(json_t *c, size_t i, const char *dir,
			    size_t dir_len)
{
	const char *kf = cli_str_of(c, "key_file");
	if (kf == NULL)
		return json_is_string(json_object_get(c, "key"))
			       ? CLI_EXIT_OK
			       : cli_fail("contact %zu has neither \"key_file\" "
					  "nor \"key\"", i + 1);
	char path[4096];
	int n = snprintf(path, sizeof path, "%.*s%s", kf[0] == '/' ? 0 : (int)dir_len,
			 dir, kf);
	pnyx_buf file;
	if (n < 0 || (size_t)n >= sizeof path)
		return cli_fail("contact %zu: the key file's path is too long", i + 1);
	if (!cli_read_file(path, &file))
		return CLI_EXIT_FAIL;
	char name[PNYX_KEY_NAME_MAX + 1], pk64[PNYX_HASH_B64_LEN + 1];
	uint8_t sk[PNYX_HPKE_SK_LEN], pk[PNYX_HPKE_PK_LEN];
	pnyx_diag d = {{0}};
	pnyx_err err = pnyx_coop_key_parse(file.data, file.len, name, sk, pk, &d);
	sodium_memzero(sk, sizeof sk);
	if (file.data != NULL)
		sodium_memzero(file.data, file.len);
	pnyx_buf_clear(&file);
	if (err != PNYX_OK)
		return cli_fail("%s: %s", path, d.msg);
	pnyx_base64_encode(pk, sizeof pk, pk64, sizeof pk64);
	if (json_object_set_new(c, "key", json_string(pk64)) != 0 ||
	    json_object_del(c, "key_file") != 0)
		return cli_fail("out of memory");
	return CLI_EXIT_OK;
}

/* The contacts of the file path, with public keys, as JSON text in
 * *text (pnyx_free'd by the caller). */
static int load_contacts(const char *path, char **text)
{
	pnyx_buf file;
	if (!cli_read_file(path, &file))
		return CLI_EXIT_FAIL;
	json_error_t jerr;
	json_t *list = json_loadb(file.data != NULL ? (const char *)file.data : "",
				  file.len, JSON_REJECT_DUPLICATES, &jerr);
	pnyx_buf_clear(&file);
	if (!json_is_array(list)) {
		json_decref(list);
		return cli_usage_error("act", "%s does not hold a JSON list of "
				       "contacts", path);
	}
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	int rc = CLI_EXIT_OK;
	for (size_t i = 0; rc == CLI_EXIT_OK && i < json_array_size(list); i++)
		rc = json_is_object(json_array_get(list, i))
			     ? resolve_key_file(json_array_get(list, i), i, path,
						dir_len)
			     : cli_fail("contact %zu of %s is not a JSON object",
					i + 1, path);
	if (rc == CLI_EXIT_OK &&
	    (*text = json_dumps(list, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		rc = cli_fail("out of memory");
	json_decref(list);
	return rc;
}

/* Adds --contacts and --salt to the arguments of poc.register. text and
 * salt are owned by the caller and outlive the arguments. */
static int add_register_args(struct coop_args *ca, char **text,
			     char salt[PNYX_HASH_B64_LEN + 1])
{
	if (ca->contacts == NULL)
		return cli_usage_error("act", "poc.register needs --contacts FILE");
	int rc = load_contacts(ca->contacts, text);
	if (rc != CLI_EXIT_OK)
		return rc;
	uint8_t r[SALT_LEN];
	randombytes_buf(r, sizeof r);
	pnyx_base64_encode(r, sizeof r, salt, PNYX_HASH_B64_LEN + 1);
	ca->pass[ca->npass++] = (char *)"--contacts";
	ca->pass[ca->npass++] = *text;
	ca->pass[ca->npass++] = (char *)"--salt";
	ca->pass[ca->npass++] = salt;
	return CLI_EXIT_OK;
}

/* ---- the server: sequence number, forum, directory ---- */

struct coop_who {
	char forum[PNYX_ID_MAX + 1];
	uint64_t seq;
};

static int ask_seq(coop_client *cc, uint64_t *seq)
{
	json_t *me = NULL;
	pnyx_diag d = {{0}};
	if (!coop_get_json(cc, "/v1/cooperation/me", &me, NULL, &d))
		return cli_fail("cannot ask the server for %s's sequence number "
				"on the cooperation log: %s", cc->actor, d.msg);
	const json_t *next = json_object_get(me, "next_seq");
	int rc = json_is_integer(next) && json_integer_value(next) >= 1
			 ? CLI_EXIT_OK
			 : cli_fail("the server's answer about %s has no next "
				    "sequence number", cc->actor);
	if (rc == CLI_EXIT_OK)
		*seq = (uint64_t)json_integer_value(next);
	json_decref(me);
	return rc;
}

static int ask_forum_id(http_client *hc, char forum[PNYX_ID_MAX + 1])
{
	long status;
	json_t *r = NULL;
	pnyx_diag d = {{0}};
	if (!http_get_json(hc, "/v1/forum", &status, &r, &d))
		return cli_fail("cannot ask the server for its forum: %s", d.msg);
	const char *id = cli_str_of(json_object_get(r, "forum"), "id");
	bool ok = status == 200 && id != NULL &&
		  pnyx_id_is_valid((const uint8_t *)id, strlen(id));
	if (ok)
		memcpy(forum, id, strlen(id) + 1);
	json_decref(r);
	return ok ? CLI_EXIT_OK
		  : cli_fail("the server did not say which forum it holds "
			     "(HTTP %ld); give --forum ID", status);
}

static int find_who(const act_coop_opts *o, coop_client *cc,
		    struct coop_who *w)
{
	*w = (struct coop_who){.seq = o->seq};
	int rc = CLI_EXIT_OK;
	if (o->forum != NULL)
		memcpy(w->forum, o->forum, strlen(o->forum) + 1);
	else
		rc = ask_forum_id(cc->hc, w->forum);
	if (rc == CLI_EXIT_OK && w->seq == 0)
		rc = ask_seq(cc, &w->seq);
	return rc;
}

/* Appends the contacts of member in the directory to r[]. */
static int add_contacts(const json_t *items, const char *member,
			pnyx_coop_recipient *r, size_t *nr)
{
	const json_t *entry = NULL, *e;
	size_t i, j;
	json_array_foreach(items, i, e)
		if (strcmp(cli_str_of(e, "member") != NULL ? cli_str_of(e, "member")
							   : "", member) == 0)
			entry = e;
	const json_t *contacts = json_object_get(entry, "contacts"), *c;
	if (json_array_size(contacts) == 0)
		return cli_fail("%s has no points of contact in the cooperation "
				"directory%s", member,
				*nr == 0 ? "" : " (register yours with poc.register)");
	json_array_foreach(contacts, j, c) {
		const char *id = cli_str_of(c, "id"), *key = cli_str_of(c, "key");
		if (*nr == PNYX_COOP_RECIPIENTS_MAX)
			return cli_fail("the two members have more than %d points of "
					"contact together", PNYX_COOP_RECIPIENTS_MAX);
		if (id == NULL || key == NULL ||
		    pnyx_coop_public_key_parse((const uint8_t *)key, strlen(key),
					       r[*nr].pk) != PNYX_OK)
			return cli_fail("the directory entry of %s has a contact "
					"without an id or a usable key", member);
		r[*nr].member = cli_str_of(entry, "member");
		r[*nr].contact = id;
		(*nr)++;
	}
	return CLI_EXIT_OK;
}

/* The other member of the action: "to", or the sender in the request's
 * id ("KEN:3"). */
static int other_member(const json_t *body, char out[PNYX_ID_MAX + 1])
{
	const char *to = cli_str_of(body, "to"), *req = cli_str_of(body, "request");
	const char *colon = req != NULL ? strrchr(req, ':') : NULL;
	size_t n = to != NULL ? strlen(to) : colon != NULL ? (size_t)(colon - req) : 0;
	if (n == 0 || n > PNYX_ID_MAX)
		return cli_usage_error("act", "--request: '%s' is not a request id "
				       "(SENDER:N, as 'pnyx inbox' shows it)",
				       req != NULL ? req : "");
	memcpy(out, to != NULL ? to : req, n);
	out[n] = 0;
	return CLI_EXIT_OK;
}

/* Seals msg to both members' contacts and sets body's "sealed". */
static int seal_message(coop_client *cc, const struct coop_who *w,
			const char *type, const json_t *msg, json_t *body)
{
	char other[PNYX_ID_MAX + 1];
	int rc = other_member(body, other);
	json_t *dir = NULL, *sealed = NULL;
	pnyx_diag d = {{0}};
	if (rc == CLI_EXIT_OK &&
	    !coop_get_json(cc, "/v1/cooperation/directory", &dir, NULL, &d))
		rc = cli_fail("cannot read the cooperation directory: %s", d.msg);
	pnyx_coop_recipient r[PNYX_COOP_RECIPIENTS_MAX];
	size_t nr = 0;
	const json_t *items = json_object_get(dir, "items");
	if (rc == CLI_EXIT_OK)
		rc = add_contacts(items, other, r, &nr);
	if (rc == CLI_EXIT_OK)
		rc = add_contacts(items, cc->actor, r, &nr);
	pnyx_coop_envelope env = {w->forum, cc->actor, w->seq, type};
	pnyx_err err = rc == CLI_EXIT_OK
			       ? pnyx_coop_seal(msg, &env, r, nr, &sealed, &d)
			       : PNYX_OK;
	if (err == PNYX_ERR_TOO_LARGE)
		rc = cli_fail("cannot encrypt the message: %s (attachments count "
			      "in base64): send larger evidence by other means and "
			      "name it in the text by its SHA-256", d.msg);
	else if (err != PNYX_OK)
		rc = cli_fail("cannot encrypt the message: %s", d.msg);
	if (rc == CLI_EXIT_OK && json_object_set_new(body, "sealed", sealed) != 0)
		rc = cli_fail("out of memory");
	json_decref(dir);
	return rc;
}

/* ---- showing, signing, sending ---- */

/* Shows what will be signed, on standard error: the clear fields and the
 * message before it was sealed. */
static void show(const json_t *body, const json_t *msg, const char *actor,
		 const pnyx_signer *key, const char *server)
{
	json_t *clear = json_deep_copy(body);
	json_object_del(clear, "sealed");
	char *text = json_dumps(clear, JSON_INDENT(2) | JSON_SORT_KEYS);
	fprintf(stderr, "Cooperation action of %s, signed with the key %s, for "
		"%s:\n%s\n", actor, key->name, server, text != NULL ? text : "?");
	pnyx_free(text);
	json_decref(clear);
	if (msg == NULL)
		return;
	const json_t *list = json_object_get(json_object_get(body, "sealed"),
					     "recipients"), *r, *a;
	size_t i;
	fputs("Encrypted to:", stderr);
	json_array_foreach(list, i, r) {
		fputs(i == 0 ? " " : ", ", stderr);
		cli_put_str(stderr, r, "member");
		fputc('/', stderr);
		cli_put_str(stderr, r, "contact");
	}
	fputs("\nMessage:\n", stderr);
	cli_put_text(stderr, cli_str_of(msg, "text"));
	fputc('\n', stderr);
	json_array_foreach(json_object_get(msg, "attachments"), i, a) {
		fputs("Attachment: ", stderr);
		cli_put_str(stderr, a, "name");
		fprintf(stderr, " (%s)\n", cli_str_of(a, "type"));
	}
}

static int sign(json_t *body, const struct coop_who *w, const char *actor,
		const char *type, const pnyx_signer *key, pnyx_buf *note)
{
	pnyx_diag d = {{0}};
	pnyx_err err = pnyx_action_envelope(body, w->forum, actor, w->seq, type, &d);
	if (err == PNYX_OK)
		err = pnyx_action_sign(body, key, note, &d);
	return err == PNYX_OK ? CLI_EXIT_OK
			      : cli_fail_err("cannot sign the action", err, &d);
}

/* Everything once the key is loaded and the client made. */
static int act_online(const act_coop_opts *o, const pnyx_action_type_info *t,
		      json_t *body, const json_t *msg, const pnyx_signer *key,
		      http_client *hc)
{
	coop_client cc;
	struct coop_who w;
	pnyx_diag d = {{0}};
	if (!coop_client_init(&cc, hc, key, o->actor, &d))
		return cli_usage_error("act", "--server %s: %s", o->server, d.msg);
	int rc = find_who(o, &cc, &w);
	if (rc == CLI_EXIT_OK && msg != NULL)
		rc = seal_message(&cc, &w, t->type, msg, body);
	pnyx_buf note;
	pnyx_buf_init(&note, CLI_NOTE_MAX);
	if (rc == CLI_EXIT_OK)
		rc = sign(body, &w, o->actor, t->type, key, &note);
	if (rc == CLI_EXIT_OK) {
		show(body, msg, o->actor, key, o->server);
		rc = act_deliver(hc, "/v1/cooperation/actions", o->receipt,
				 o->dry_run ? ACT_DRY_RUN : o->yes ? ACT_YES : ACT_ASK,
				 &note);
	}
	pnyx_buf_clear(&note);
	return rc;
}

static int run(const act_coop_opts *o, const pnyx_action_type_info *t,
	       json_t *body, const json_t *msg)
{
	pnyx_signer key;
	if (!cli_load_signer(o->key, &key))
		return CLI_EXIT_FAIL;
	pnyx_diag d = {{0}};
	http_client *hc = http_client_new(o->server, o->timeout, &d);
	int rc = hc == NULL ? cli_usage_error("act", "--server %s: %s", o->server,
					      d.msg)
			    : act_online(o, t, body, msg, &key, hc);
	http_client_free(hc);
	pnyx_signer_clear(&key);
	return rc;
}

static int check_opts(const act_coop_opts *o)
{
	if (o->server == NULL)
		return cli_usage_error("act", "--server URL is required for the "
				       "cooperation log");
	if (o->key == NULL)
		return cli_usage_error("act", "--key FILE is required");
	if (o->actor == NULL ||
	    !pnyx_id_is_valid((const uint8_t *)o->actor, strlen(o->actor)))
		return cli_usage_error("act", "--as ACTOR is required (your member "
				       "code, e.g. KEN)");
	return CLI_EXIT_OK;
}

/* The fields and the message from the command line. */
static int build(struct coop_args *ca, const pnyx_action_type_info *t,
		 uint64_t now_ms, char **contacts,
		 char salt[PNYX_HASH_B64_LEN + 1], json_t **body, json_t **msg)
{
	int rc = CLI_EXIT_OK;
	if (strcmp(t->type, "poc.register") == 0)
		rc = add_register_args(ca, contacts, salt);
	if (rc == CLI_EXIT_OK && has_message(t->type))
		rc = make_message(ca, t->type, msg);
	if (rc == CLI_EXIT_OK && *msg != NULL) {
		ca->pass[ca->npass++] = (char *)"--sealed";
		ca->pass[ca->npass++] = (char *)"{\"recipients\":[]}";
	}
	if (rc == CLI_EXIT_OK)
		rc = act_fields_build(t, ca->npass, ca->pass, "en", now_ms, body);
	if (rc == CLI_EXIT_OK && strcmp(t->type, "request.send") == 0)
		rc = check_data_request(ca, *body);
	return rc;
}

int act_coop(const act_coop_opts *o, const pnyx_action_type_info *t,
	     int argc, char **argv)
{
	struct coop_args ca = {0};
	char *contacts = NULL, salt[PNYX_HASH_B64_LEN + 1] = "";
	json_t *body = NULL, *msg = NULL;
	int rc = split_args(argc, argv, t, &ca);
	if (rc == CLI_EXIT_OK && ca.help)
		coop_help(t, stdout);
	else if (rc == CLI_EXIT_OK && (rc = check_opts(o)) == CLI_EXIT_OK &&
		 (rc = build(&ca, t, o->now_ms, &contacts, salt, &body, &msg)) ==
			 CLI_EXIT_OK)
		rc = run(o, t, body, msg);
	json_decref(body);
	json_decref(msg);
	pnyx_free(contacts);
	pnyx_free(ca.pass);
	return rc;
}
