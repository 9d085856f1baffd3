/*
 * Who is asking: requests to the cooperation endpoints are signed with
 * HTTP Message Signatures (RFC 9421, Ed25519; pnyx/httpsig.h; profile in
 * docs/COOPERATION.md "HTTP"): keyid is the actor, the signature must
 * verify with one of its active keys in the forum's state, cover
 * "@method", "@authority", "@path" and "@query", be created within
 * SRV_AUTH_WINDOW_S seconds of the server's clock, and carry a nonce used
 * once.
 */
#ifndef PNYX_SERVER_COOP_AUTH_H
#define PNYX_SERVER_COOP_AUTH_H

#include "http.h"

#include "pnyx/action.h"

/* Seconds a signature's created time may differ from the server's clock. */
#define SRV_AUTH_WINDOW_S 300u

/* What the signer is in the forum. */
enum srv_caller_kind {
	SRV_CALLER_MEMBER,
	SRV_CALLER_SECRETARIAT,
	SRV_CALLER_OTHER, /* a chair, a stakeholder, the log itself */
};

struct srv_caller {
	char actor[PNYX_ID_MAX + 1];
	enum srv_caller_kind kind;
};

/* The value of an Accept-Signature header asking for what we check. */
extern const char srv_accept_signature[];

/* Checks req's signature (now_s: the server's clock, seconds since the
 * epoch). True and *out; or false with resp made a problem document:
 * 401 signature-required (no signature), 401 bad-request-signature
 * (malformed, unknown actor or key, outside the time window, replayed
 * nonce, does not verify), each with an Accept-Signature header. Needs a
 * cooperation log (req->app->coop) for the nonces. */
bool srv_coop_authenticate(const struct srv_request *req,
			   struct srv_response *resp, uint64_t now_s,
			   struct srv_caller *out);

#endif
