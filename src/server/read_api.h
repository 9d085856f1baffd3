/*
 * The read API of `pnyx serve` over the forum's state (docs/API.md): the
 * handlers the routing table (route.c) names. Every one answers GET and
 * HEAD with application/json carrying the envelope of read_common.h, or a
 * problem document: 404 not-found for an unknown id, 400 bad-parameter or
 * unsupported-language for a bad query, 503 unavailable when the server
 * holds no state (started without --key).
 *
 * Path arguments ({id}, {n}) arrive in req->args in path order.
 */
#ifndef PNYX_SERVER_READ_API_H
#define PNYX_SERVER_READ_API_H

#include "http.h"

/* read_forum.c */
void srv_h_forum(const struct srv_request *req, struct srv_response *resp);
void srv_h_actor(const struct srv_request *req, struct srv_response *resp);
/* read_members.c */

/* Loads the names of states the read API shows (pnyx_country_set_load
 * with Debian's iso-codes and the project's UN member list,
 * data_dir/un-members.txt: the `data-dir` setting, by default the source
 * tree's data/). Free *out with pnyx_country_set_free. Errors as
 * pnyx_country_set_load's, or PNYX_ERR_TOO_LARGE for a too long name. */
pnyx_err srv_read_names_load(const char *data_dir,
			     struct pnyx_country_set **out, pnyx_diag *diag)
	PNYX_WUR;

void srv_h_members(const struct srv_request *req, struct srv_response *resp);
void srv_h_member(const struct srv_request *req, struct srv_response *resp);
/* read_actions.c */
void srv_h_actor_actions(const struct srv_request *req,
			 struct srv_response *resp);
/* read_stakeholders.c */
void srv_h_stakeholders(const struct srv_request *req,
			struct srv_response *resp);
void srv_h_stakeholder(const struct srv_request *req,
		       struct srv_response *resp);
/* read_documents.c */
void srv_h_documents(const struct srv_request *req, struct srv_response *resp);
void srv_h_document(const struct srv_request *req, struct srv_response *resp);
void srv_h_revision(const struct srv_request *req, struct srv_response *resp);
void srv_h_diff(const struct srv_request *req, struct srv_response *resp);
/* read_decisions.c */
void srv_h_decisions(const struct srv_request *req, struct srv_response *resp);
void srv_h_decision(const struct srv_request *req, struct srv_response *resp);
/* read_commitments.c */
void srv_h_commitments(const struct srv_request *req,
		       struct srv_response *resp);
void srv_h_member_commitments(const struct srv_request *req,
			      struct srv_response *resp);
/* read_sessions.c */
void srv_h_sessions(const struct srv_request *req, struct srv_response *resp);
void srv_h_session(const struct srv_request *req, struct srv_response *resp);
void srv_h_statements(const struct srv_request *req, struct srv_response *resp);
void srv_h_statement(const struct srv_request *req, struct srv_response *resp);
/* read_board.c */
void srv_h_board(const struct srv_request *req, struct srv_response *resp);
void srv_h_board_offers(const struct srv_request *req,
			struct srv_response *resp);
void srv_h_board_actor(const struct srv_request *req,
		       struct srv_response *resp);

#endif
