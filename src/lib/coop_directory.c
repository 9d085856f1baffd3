/*
 * The directory of points of contact (docs/COOPERATION.md, poc.register):
 * each member's entry is replaced whole by its poc.register. Every member
 * reads the directory; the salt keeps the entry's hash unguessable.
 *
 * Section "directory":
 *   member -> {"contacts": [contact], "salt", "registered_ms", "leaf"}
 */
#include "coop_internal.h"

#include <string.h>

#define CONTACTS_MAX 8
#define TEXT_MAX 200
#define LANGS_MAX 6
#define KEY_BYTES 32
#define SALT_BYTES 32

static const char *const contact_keys[] = {
	"id", "function", "name", "email", "phone", "hours", "time_zone",
	"languages", "key",
};
static const char *const text_keys[] = {"name", "email", "phone", "hours"};
static const char *const functions[] = {"diplomatic", "technical"};
static const char *const languages[] = {"ar", "en", "es", "fr", "ru", "zh"};

const json_t *coop_entry(const pnyx_coop *c, const char *member)
{
	return json_object_get(coop_section(c, "directory"), member);
}

bool coop_has_contact(const pnyx_coop *c, const char *member, const char *contact)
{
	size_t i;
	const json_t *k;
	json_array_foreach(json_object_get(coop_entry(c, member), "contacts"), i, k)
		if (strcmp(coop_str(k, "id"), contact) == 0)
			return true;
	return false;
}

/* An IANA time zone name: 1 to 200 bytes of A-Z a-z 0-9 / _ + - */
static bool is_time_zone(const json_t *v)
{
	const char *s = json_string_value(v);
	if (!coop_is_text(v, TEXT_MAX))
		return false;
	for (; *s != 0; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("/_+-", *s) != NULL))
			return false;
	return true;
}

static bool is_languages(const json_t *arr)
{
	size_t n = json_array_size(arr), i;
	const json_t *l;
	if (!json_is_array(arr) || n == 0 || n > LANGS_MAX)
		return false;
	json_array_foreach(arr, i, l) {
		if (!coop_in_list(json_string_value(l), languages, LANGS_MAX))
			return false;
		for (size_t j = 0; j < i; j++)
			if (strcmp(json_string_value(json_array_get(arr, j)),
				   json_string_value(l)) == 0)
				return false;
	}
	return true;
}

static bool id_taken(const json_t *contacts, size_t upto, const char *id)
{
	for (size_t j = 0; j < upto; j++)
		if (strcmp(coop_str(json_array_get(contacts, j), "id"), id) == 0)
			return true;
	return false;
}

/* Contact i of the list. */
static pnyx_rule check_contact(const json_t *contacts, size_t i, pnyx_verdict *v)
{
	const json_t *k = json_array_get(contacts, i);
	bool nomem = false;
	if (!coop_has_keys(k, contact_keys, sizeof contact_keys / sizeof *contact_keys))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "contact %zu must have exactly id, function, name, "
				   "email, phone, hours, time_zone, languages and key", i + 1);
	const char *id = coop_str(k, "id");
	if (id == NULL || !pnyx_id_is_valid((const uint8_t *)id, strlen(id)) ||
	    id_taken(contacts, i, id))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "contact %zu needs an id (A-Z a-z 0-9 . _ - :, at most "
				   "64) that no other contact of the entry has", i + 1);
	if (!coop_in_list(coop_str(k, "function"), functions, 2))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "the function of contact %s is diplomatic or technical", id);
	for (size_t t = 0; t < sizeof text_keys / sizeof *text_keys; t++)
		if (!coop_is_text(json_object_get(k, text_keys[t]), TEXT_MAX))
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "the %s of contact %s must be 1 to %d bytes of "
					   "text", text_keys[t], id, TEXT_MAX);
	if (!is_time_zone(json_object_get(k, "time_zone")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "the time_zone of contact %s must be an IANA name such "
				   "as Africa/Nairobi", id);
	if (!is_languages(json_object_get(k, "languages")))
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "the languages of contact %s are 1 to 6 of ar en es fr "
				   "ru zh, each once", id);
	if (!coop_is_b64(json_object_get(k, "key"), KEY_BYTES, KEY_BYTES, &nomem))
		return engine_fail(v, nomem ? PNYX_RULE_NOMEM : PNYX_RULE_INVALID_FIELD,
				   "the key of contact %s must be the base64 of a 32-byte "
				   "X25519 public key", id);
	return PNYX_RULE_OK;
}

static pnyx_rule register_check(const pnyx_coop *c, coop_ctx *ctx, pnyx_verdict *v)
{
	(void)c;
	const json_t *contacts = json_object_get(ctx->a->body, "contacts");
	size_t n = json_array_size(contacts), technical = 0;
	bool nomem = false;
	if (n == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "an entry needs 1 to %d contacts", CONTACTS_MAX);
	for (size_t i = 0; i < n; i++) {
		pnyx_rule r = check_contact(contacts, i, v);
		if (r != PNYX_RULE_OK)
			return r;
		technical += strcmp(coop_str(json_array_get(contacts, i), "function"),
				    "technical") == 0;
	}
	if (technical == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "an entry needs at least one technical contact");
	if (!coop_is_b64(json_object_get(ctx->a->body, "salt"), SALT_BYTES, SALT_BYTES,
			 &nomem))
		return engine_fail(v, nomem ? PNYX_RULE_NOMEM : PNYX_RULE_INVALID_FIELD,
				   "\"salt\" must be the base64 of 32 random bytes");
	return PNYX_RULE_OK;
}

static pnyx_rule register_exec(pnyx_coop *c, const coop_ctx *ctx, pnyx_verdict *v)
{
	const json_t *body = ctx->a->body;
	json_t *entry = json_pack("{s:O,s:O,s:I,s:I}", "contacts",
				  json_object_get(body, "contacts"), "salt",
				  json_object_get(body, "salt"), "registered_ms",
				  (json_int_t)ctx->time_ms, "leaf", (json_int_t)ctx->index);
	if (engine_set(coop_section(c, "directory"), ctx->a->actor, entry) != PNYX_RULE_OK ||
	    coop_member_figures(c, ctx->a->actor) == NULL)
		return engine_fail(v, PNYX_RULE_NOMEM, "out of memory");
	return PNYX_RULE_OK;
}

static const field_spec register_fields[] = {
	{"contacts", JSON_ARRAY, true, CONTACTS_MAX},
	{"salt", JSON_STRING, true, 44},
	{NULL, 0, false, 0},
};

const coop_spec coop_directory_actions[] = {
	{"poc.register", ACTOR_MEMBER, register_fields, register_check,
	 register_exec, true},
	{NULL, 0, NULL, NULL, NULL, false},
};
