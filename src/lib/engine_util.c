/* Helpers every rule module shares: see engine_internal.h. */
#include "engine_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

pnyx_rule engine_fail(pnyx_verdict *v, pnyx_rule code, const char *fmt, ...)
{
	if (v != NULL) {
		va_list ap;
		va_start(ap, fmt);
		v->code = code;
		(void)vsnprintf(v->msg, sizeof v->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

json_t *engine_section(const pnyx_state *st, const char *key)
{
	return json_object_get(st->root, key);
}

json_t *engine_field(const engine_ctx *c, const char *name)
{
	return json_object_get(c->a->body, name);
}

const char *engine_str(const engine_ctx *c, const char *name)
{
	return json_string_value(engine_field(c, name));
}

json_int_t engine_int(const engine_ctx *c, const char *name, json_int_t dflt)
{
	json_t *f = engine_field(c, name);
	return json_is_integer(f) ? json_integer_value(f) : dflt;
}

pnyx_rule engine_set(json_t *obj, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(obj, key, v) != 0)
		return PNYX_RULE_NOMEM;
	return PNYX_RULE_OK;
}

pnyx_rule engine_push(json_t *arr, json_t *v)
{
	if (v == NULL || json_array_append_new(arr, v) != 0)
		return PNYX_RULE_NOMEM;
	return PNYX_RULE_OK;
}

bool engine_is_forum_language(const pnyx_state *st, const char *s)
{
	const json_t *langs = json_object_get(engine_section(st, "forum"), "languages");
	size_t i;
	const json_t *l;
	json_array_foreach(langs, i, l)
		if (strcmp(json_string_value(l), s) == 0)
			return true;
	return false;
}

pnyx_rule engine_check_texts(const pnyx_state *st, const json_t *texts,
			     const char *field, size_t max, pnyx_verdict *v)
{
	if (!json_is_object(texts) || json_object_size(texts) == 0)
		return engine_fail(v, PNYX_RULE_INVALID_FIELD,
				   "\"%s\" must map at least one language to a text",
				   field);
	const char *lang;
	const json_t *t;
	json_object_foreach((json_t *)texts, lang, t) {
		if (!engine_is_forum_language(st, lang))
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "\"%s\" has a text in a language that is not "
					   "one of the forum's", field);
		if (!json_is_string(t) || json_string_length(t) == 0 ||
		    json_string_length(t) > max)
			return engine_fail(v, PNYX_RULE_INVALID_FIELD,
					   "\"%s\" texts must be strings of 1 to %zu bytes",
					   field, max);
	}
	return PNYX_RULE_OK;
}
