/*
 * The member's side of the cooperation API (docs/COOPERATION.md, "HTTP"):
 * GETs signed with HTTP Message Signatures (RFC 9421, pnyx/httpsig.h) by
 * the actor's Ed25519 key, over the CLI's one HTTP client:
 *
 *   Signature-Input: pnyx=("@method" "@authority" "@path" "@query");created=<now>;keyid="<actor>";nonce="<22 base64url>";alg="ed25519"
 *   Signature: pnyx=:<base64>:
 *
 * "@authority" is host[:port] of the server's URL, lowercased; "@path"
 * includes the URL's own path prefix, if any. Each request has a fresh
 * random nonce (the server accepts a nonce once). One thread at a time.
 */
#ifndef PNYX_CLI_COOP_CLIENT_H
#define PNYX_CLI_COOP_CLIENT_H

#include "http_client.h"

#include "pnyx/action.h"
#include "pnyx/key.h"

#include <jansson.h>

typedef struct coop_client {
	http_client *hc;        /* borrowed */
	const pnyx_signer *key; /* borrowed */
	char actor[PNYX_ID_MAX + 1];
	char scheme[8];         /* "http" or "https" */
	char authority[256];    /* lowercased host[:port] */
	char prefix[HTTP_URL_MAX]; /* the base URL's path, without final '/' */
} coop_client;

/* Prepares cc for the server of hc (an http:// or https:// URL), signing
 * as actor (an id) with key. Both stay borrowed while cc is used. false
 * with the reason in diag for a file:// URL or one without a host. */
bool coop_client_init(coop_client *cc, http_client *hc, const pnyx_signer *key,
		      const char *actor, pnyx_diag *diag);

/* Appends to in and sig the two header lines of a GET of target (a path
 * starting with '/', with an optional "?query"), each NUL-terminated:
 * "Signature-Input: pnyx=(...);created=<now>;keyid=...;nonce=...;
 * alg=\"ed25519\"" and "Signature: pnyx=:<base64>:". false with the reason
 * in diag (may be empty) if a buffer is full or the target is too long. */
bool coop_client_sign(const coop_client *cc, const char *target,
		      pnyx_buf *in, pnyx_buf *sig, pnyx_diag *diag);

/* A signed GET of target (a path starting with '/', with an optional
 * "?query"); as http_get otherwise (*status, body up to max bytes). */
bool coop_get(coop_client *cc, const char *target, size_t max, pnyx_buf *body,
	      long *status, pnyx_diag *diag);

/* A signed GET of a JSON object (at most HTTP_JSON_MAX bytes). true with
 * *out (a new reference) for a 200 answer holding a JSON object; false
 * otherwise, with the reason in diag: no answer, or "HTTP <status>: <the
 * problem's detail (code)>" (401: the server does not accept the key or
 * the signature; 403: the actor may not read it). raw (may be NULL)
 * receives the body as it came, whatever the status. */
bool coop_get_json(coop_client *cc, const char *target, json_t **out,
		   pnyx_buf *raw, pnyx_diag *diag);

#endif
