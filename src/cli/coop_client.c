/*
 * Signed GETs of the cooperation API (coop_client.h): the RFC 9421
 * signature of each request, built with pnyx/httpsig.h.
 */
#include "coop_client.h"

#include "pnyx/httpsig.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define NONCE_BYTES 16 /* 22 characters of base64url */

static bool copy_part(const char *p, size_t n, char *out, size_t cap)
{
	if (n >= cap)
		return false;
	memcpy(out, p, n);
	out[n] = 0;
	return true;
}

bool coop_client_init(coop_client *cc, http_client *hc, const pnyx_signer *key,
		      const char *actor, pnyx_diag *diag)
{
	*cc = (coop_client){.hc = hc, .key = key};
	const char *base = http_client_base(hc);
	const char *sep = strstr(base, "://");
	if (strlen(actor) > PNYX_ID_MAX || sep == NULL ||
	    !copy_part(base, (size_t)(sep - base), cc->scheme, sizeof cc->scheme) ||
	    (strcmp(cc->scheme, "http") != 0 && strcmp(cc->scheme, "https") != 0)) {
		pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "cooperation needs the "
			      "forum's server (http:// or https://)");
		return false;
	}
	memcpy(cc->actor, actor, strlen(actor) + 1);
	const char *host = sep + 3, *slash = strchr(host, '/');
	const char *at = strchr(host, '@');
	if (at != NULL && (slash == NULL || at < slash))
		host = at + 1;
	size_t n = slash != NULL ? (size_t)(slash - host) : strlen(host);
	if (n == 0 || !copy_part(host, n, cc->authority, sizeof cc->authority) ||
	    !copy_part(slash != NULL ? slash : "", slash != NULL ? strlen(slash) : 0,
		       cc->prefix, sizeof cc->prefix)) {
		pnyx_diag_set(diag, PNYX_ERR_MALFORMED, "the server's address has "
			      "no host, or it is too long");
		return false;
	}
	for (char *p = cc->authority; *p != 0; p++)
		*p = (char)tolower((unsigned char)*p);
	return true;
}

/* The signature parameters of one request: fresh nonce, now. */
static void make_params(const coop_client *cc, pnyx_httpsig_params *p)
{
	static const char *const comps[] = {"@method", "@authority", "@path",
					    "@query"};
	*p = (pnyx_httpsig_params){.ncomponents = 4, .nparams = 4,
				   .created = (uint64_t)time(NULL)};
	memcpy(p->label, "pnyx", 5);
	for (size_t i = 0; i < 4; i++)
		memcpy(p->components[i], comps[i], strlen(comps[i]) + 1);
	p->order[0] = PNYX_HTTPSIG_P_CREATED;
	p->order[1] = PNYX_HTTPSIG_P_KEYID;
	p->order[2] = PNYX_HTTPSIG_P_NONCE;
	p->order[3] = PNYX_HTTPSIG_P_ALG;
	memcpy(p->keyid, cc->actor, strlen(cc->actor) + 1);
	memcpy(p->alg, "ed25519", 8);
	uint8_t r[NONCE_BYTES];
	randombytes_buf(r, sizeof r);
	sodium_bin2base64(p->nonce, sizeof p->nonce, r, sizeof r,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool coop_client_sign(const coop_client *cc, const char *target,
		      pnyx_buf *in, pnyx_buf *sig, pnyx_diag *diag)
{
	char path[HTTP_URL_MAX];
	const char *q = strchr(target, '?');
	size_t tn = q != NULL ? (size_t)(q - target) : strlen(target);
	int n = snprintf(path, sizeof path, "%s%.*s", cc->prefix, (int)tn, target);
	if (n < 0 || (size_t)n >= sizeof path) {
		pnyx_diag_set(diag, PNYX_ERR_TOO_LARGE, "the address is too long");
		return false;
	}
	pnyx_httpsig_params p;
	make_params(cc, &p);
	pnyx_httpsig_request req = {.method = "GET", .scheme = cc->scheme,
				    .authority = cc->authority, .path = path,
				    .query = q != NULL ? q + 1 : NULL};
	return pnyx_buf_puts(in, "Signature-Input: ") == PNYX_OK &&
	       pnyx_buf_puts(sig, "Signature: ") == PNYX_OK &&
	       pnyx_httpsig_sign(&p, &req, cc->key, in, sig, diag) == PNYX_OK &&
	       pnyx_buf_append(in, "", 1) == PNYX_OK &&
	       pnyx_buf_append(sig, "", 1) == PNYX_OK;
}

bool coop_get(coop_client *cc, const char *target, size_t max, pnyx_buf *body,
	      long *status, pnyx_diag *diag)
{
	pnyx_buf in, sig;
	pnyx_buf_init(&in, PNYX_HTTPSIG_HEADER_MAX + 64);
	pnyx_buf_init(&sig, PNYX_HTTPSIG_HEADER_MAX + 64);
	bool ok = coop_client_sign(cc, target, &in, &sig, diag);
	if (ok) {
		const char *h[2] = {(const char *)in.data, (const char *)sig.data};
		ok = http_get_headers(cc->hc, target, h, 2, max, body, status, diag);
	} else if (diag != NULL && diag->msg[0] == 0) {
		pnyx_diag_set(diag, PNYX_ERR_NOMEM, "cannot sign the request");
	}
	pnyx_buf_clear(&in);
	pnyx_buf_clear(&sig);
	return ok;
}

bool coop_get_json(coop_client *cc, const char *target, json_t **out,
		   pnyx_buf *raw, pnyx_diag *diag)
{
	pnyx_buf body;
	pnyx_buf_init(&body, HTTP_JSON_MAX);
	long status = 0;
	*out = NULL;
	bool ok = coop_get(cc, target, HTTP_JSON_MAX, &body, &status, diag);
	if (ok && status != 200) {
		char why[300];
		http_problem_text(status, &body, why, sizeof why);
		pnyx_diag_set(diag, PNYX_ERR_MISMATCH, "HTTP %ld: %s", status, why);
		ok = false;
	} else if (ok) {
		ok = http_json_object(&body, target, out, diag);
	}
	if (raw != NULL && body.len > 0 &&
	    pnyx_buf_append(raw, body.data, body.len) != PNYX_OK)
		ok = false;
	pnyx_buf_clear(&body);
	return ok;
}
