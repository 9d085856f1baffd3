/* The read API: stakeholders (companies, NGOs, academia, the technical
 * community), their accreditation and the members' objections on the
 * record (docs/API.md). */
#include "read_api.h"
#include "read_common.h"

static json_t *application(const char *id, const json_t *app, void *arg)
{
	(void)arg;
	return read_copy_with(app, "id", id);
}

static const json_t *applications(const struct read_ctx *c)
{
	return json_object_get(read_section(c, "stakeholders"), "applications");
}

void srv_h_stakeholders(const struct srv_request *req,
			struct srv_response *resp)
{
	struct read_page pg;
	struct read_ctx c;
	if (!read_page_of_ids(req, resp, &pg) || !read_begin(&c, req, resp))
		return;
	/* the secretariat's list: accreditation on notification */
	json_t *list = json_object_get(read_section(&c, "stakeholders"), "list");
	read_put(&c, "notification_list",
		 list != NULL ? json_incref(list) : json_array());
	read_list(&c, applications(&c), &pg, NULL, application, NULL);
	read_end(&c);
}

void srv_h_stakeholder(const struct srv_request *req,
		       struct srv_response *resp)
{
	struct read_ctx c;
	if (!read_begin(&c, req, resp))
		return;
	const char *id = req->args[0];
	const json_t *app = json_object_get(applications(&c), id);
	if (app == NULL)
		read_fail(&c, "not-found", "no stakeholder of this forum has this id");
	else
		read_put(&c, "stakeholder", read_copy_with(app, "id", id));
	read_end(&c);
}
