/* Signed requests to the cooperation endpoints (see coop_auth.h). */
#include "coop_auth.h"

#include "coop_log.h"
#include "sequencer.h"

#include "pnyx/httpsig.h"

#include <ctype.h>
#include <string.h>

const char srv_accept_signature[] =
	"pnyx=(\"@method\" \"@authority\" \"@path\" \"@query\")"
	";keyid;nonce;created;alg=\"ed25519\"";

/* Most active keys of one actor tried. */
#define AUTH_MAX_KEYS 16

static bool refuse(struct srv_response *resp, const char *code,
		   const char *detail)
{
	srv_problem(resp, code, "%s", detail);
	resp->accept_signature = srv_accept_signature;
	resp->cache_control = "no-store";
	return false;
}

/* The actor's kind and active keys in the forum's state. False if the
 * forum knows no such actor. */
static bool actor_keys(struct srv_sequencer *forum, const char *id,
		       enum srv_caller_kind *kind, pnyx_verifier *keys,
		       size_t *n)
{
	*n = 0;
	const pnyx_state *st = srv_sequencer_lock_state(forum);
	const json_t *actor = json_object_get(
		json_object_get(pnyx_state_json(st), "actors"), id);
	const char *k = json_string_value(json_object_get(actor, "kind"));
	if (k != NULL) {
		*kind = strcmp(k, "member") == 0	    ? SRV_CALLER_MEMBER
			: strcmp(k, "secretariat") == 0 ? SRV_CALLER_SECRETARIAT
							: SRV_CALLER_OTHER;
		size_t i;
		const json_t *key;
		json_array_foreach(json_object_get(actor, "keys"), i, key) {
			const char *text =
				json_string_value(json_object_get(key, "key"));
			if (*n < AUTH_MAX_KEYS && text != NULL &&
			    json_is_null(json_object_get(key, "revoked_ms")) &&
			    pnyx_verifier_parse((const uint8_t *)text,
						strlen(text), &keys[*n],
						NULL) == PNYX_OK)
				(*n)++;
		}
	}
	srv_sequencer_unlock_state(forum);
	return k != NULL;
}

static const char *method_name(unsigned method)
{
	return method == SRV_POST ? "POST" : method == SRV_HEAD ? "HEAD" : "GET";
}

/* The request as the signature covers it: path and query from the raw
 * target, the authority from Host (lowercased into host[]), the covered
 * header fields. False if the request lacks what is needed. */
static bool describe(const struct srv_request *req,
		     const pnyx_httpsig_params *p, char *path, size_t cap,
		     char *host, size_t host_cap,
		     pnyx_httpsig_field *fields, pnyx_httpsig_request *out)
{
	const char *h = srv_request_header(req, "Host");
	size_t target_len = strlen(req->raw_target);
	if (h == NULL || strlen(h) >= host_cap || target_len == 0 ||
	    target_len >= cap)
		return false;
	for (size_t i = 0; h[i] != 0; i++)
		host[i] = (char)tolower((unsigned char)h[i]);
	host[strlen(h)] = 0;
	memcpy(path, req->raw_target, target_len + 1);
	char *q = strchr(path, '?');
	if (q != NULL)
		*q++ = 0;
	size_t nf = 0;
	for (size_t i = 0; i < p->ncomponents; i++) {
		if (p->components[i][0] == '@')
			continue;
		const char *v = srv_request_header(req, p->components[i]);
		if (v != NULL)
			fields[nf++] = (pnyx_httpsig_field){p->components[i], v};
	}
	*out = (pnyx_httpsig_request){
		.method = method_name(req->method),
		.scheme = "http",
		.authority = host,
		.path = path,
		.query = q,
		.fields = fields,
		.nfields = nf,
	};
	return true;
}

/* Verifies the parsed signature with any of the keys. */
static bool verify_any(const pnyx_httpsig_params *p, const uint8_t *sig,
		       const pnyx_httpsig_request *hr, const pnyx_verifier *keys,
		       size_t n, uint64_t now_s, pnyx_diag *diag)
{
	static const char *const required[] = {"@method", "@authority",
					       "@path", "@query"};
	pnyx_httpsig_policy policy = {
		.required = required,
		.nrequired = sizeof required / sizeof *required,
		.now = now_s,
		.max_skew = SRV_AUTH_WINDOW_S,
		.max_age = SRV_AUTH_WINDOW_S,
	};
	pnyx_err err = PNYX_ERR_BAD_SIGNATURE;
	for (size_t i = 0; i < n && err == PNYX_ERR_BAD_SIGNATURE; i++)
		err = pnyx_httpsig_verify(p, sig, hr, &keys[i], &policy, NULL,
					  diag);
	if (n == 0)
		pnyx_diag_set(diag, err, "the actor has no active key");
	return err == PNYX_OK;
}

bool srv_coop_authenticate(const struct srv_request *req,
			   struct srv_response *resp, uint64_t now_s,
			   struct srv_caller *out)
{
	const char *input = srv_request_header(req, "Signature-Input");
	const char *sigh = srv_request_header(req, "Signature");
	if (input == NULL || sigh == NULL)
		return refuse(resp, "signature-required",
			      "sign the request with your key (HTTP Message "
			      "Signatures, RFC 9421): see docs/COOPERATION.md");
	pnyx_httpsig_params p;
	uint8_t sig[PNYX_SIG_LEN];
	pnyx_diag diag = {{0}};
	if (pnyx_httpsig_parse((const uint8_t *)input, strlen(input),
			       (const uint8_t *)sigh, strlen(sigh), &p, sig,
			       &diag) != PNYX_OK)
		return refuse(resp, "bad-request-signature", diag.msg);
	if (p.keyid[0] == 0 || p.nonce[0] == 0 || strlen(p.nonce) < 16)
		return refuse(resp, "bad-request-signature",
			      "the signature needs keyid (your actor id, e.g. "
			      "KEN) and a random nonce of at least 16 characters");
	pnyx_verifier keys[AUTH_MAX_KEYS];
	size_t n;
	if (strlen(p.keyid) > PNYX_ID_MAX ||
	    !actor_keys(srv_coop_forum(req->app->coop), p.keyid, &out->kind,
			keys, &n))
		return refuse(resp, "bad-request-signature",
			      "keyid names no actor of this forum");
	char path[SRV_TARGET_MAX + 1], host[256];
	pnyx_httpsig_field fields[PNYX_HTTPSIG_MAX_COMPONENTS];
	pnyx_httpsig_request hr;
	if (!describe(req, &p, path, sizeof path, host, sizeof host, fields,
		      &hr))
		return refuse(resp, "bad-request-signature",
			      "the request has no Host header");
	if (!verify_any(&p, sig, &hr, keys, n, now_s, &diag))
		return refuse(resp, "bad-request-signature", diag.msg);
	if (!srv_coop_nonce_fresh(req->app->coop, p.keyid, p.nonce, now_s,
				  2 * SRV_AUTH_WINDOW_S))
		return refuse(resp, "bad-request-signature",
			      "this signature's nonce was used already (or the "
			      "server is taking too many signed requests just "
			      "now): sign the request afresh");
	memcpy(out->actor, p.keyid, strlen(p.keyid) + 1);
	return true;
}
