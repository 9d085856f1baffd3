/*
 * pnyx demo: the sessions and the capacity-building board
 * (docs/actions/sessions.md, docs/actions/board.md). The secretariat
 * schedules an organisational session and a substantive one; the chair
 * opens each, and the session's first decision adopts its agenda. In the
 * organisational session a few delegations speak on the organisation of
 * work, and the chair closes it. In the substantive session more than
 * twenty delegations take the floor in the general exchange of views, in
 * the six languages; one exercises a right of reply; accredited
 * stakeholders speak in the stakeholder segment under capacity building.
 * The substantive session stays open, so that a newcomer can register and
 * deliver a statement. On the board, members post needs; members and
 * stakeholders post offers and pledge them; one pledge is accepted and
 * completed, one is under way, one waits for acceptance, and some needs
 * stay open.
 *
 * Which member speaks is drawn by the seed (d->order): the script gives
 * parts, never states. Every text is marked as a training simulation and
 * none is a government's position.
 */
#include "cli.h"
#include "demo.h"

#include <string.h>
#include <time.h>

#define ORG "org-1"
#define SUB "sub-1"
#define GENERAL_ITEM "3"   /* the general exchange of views */
#define CB_ITEM "4"        /* capacity building: the stakeholder segment */

/* A text in the six languages, in the order ar, en, es, fr, ru, zh. */
struct six {
	const char *t[6];
};

static const char *const six_langs[6] = {"ar", "en", "es", "fr", "ru", "zh"};

/* {lang: text} for the six languages. */
static json_t *six_json(const struct six *s)
{
	json_t *o = json_object();
	for (size_t i = 0; o != NULL && i < 6; i++) {
		if (json_object_set_new(o, six_langs[i], json_string(s->t[i])) != 0) {
			json_decref(o);
			o = NULL;
		}
	}
	return o;
}

/* An agenda item: its id and title. */
struct item {
	const char *id;
	struct six title;
};

/* The two items every agenda opens with. */
#define OPENING {{"افتتاح الدورة", "Opening of the session", \
	"Apertura del período de sesiones", "Ouverture de la session", \
	"Открытие сессии", "会议开幕"}}
#define AGENDA_ADOPTION {{"إقرار جدول الأعمال", "Adoption of the agenda", \
	"Aprobación del programa", "Adoption de l'ordre du jour", \
	"Утверждение повестки дня", "通过议程"}}

static const struct item org_items[] = {
	{"1", OPENING},
	{"2", AGENDA_ADOPTION},
	{"3", {{"تنظيم الأعمال", "Organisation of work", "Organización de los trabajos",
		"Organisation des travaux", "Организация работы", "工作安排"}}},
};

static const struct item sub_items[] = {
	{"1", OPENING},
	{"2", AGENDA_ADOPTION},
	{GENERAL_ITEM, {{"تبادل عام للآراء", "General exchange of views",
			 "Intercambio general de opiniones", "Échange de vues général",
			 "Общий обмен мнениями", "一般性意见交换"}}},
	{CB_ITEM, {{"بناء القدرات", "Capacity building", "Creación de capacidad",
		    "Renforcement des capacités", "Наращивание потенциала",
		    "能力建设"}}},
	{"5", {{"مسائل أخرى", "Other matters", "Otros asuntos",
		"Questions diverses", "Прочие вопросы", "其他事项"}}},
};

static const struct six org_title = {{
	"الدورة التنظيمية (محاكاة تدريبية)",
	"Organisational session (training simulation)",
	"Período de sesiones de organización (simulación de capacitación)",
	"Session d'organisation (simulation de formation)",
	"Организационная сессия (учебная симуляция)",
	"组织会议（培训模拟）"}};
static const struct six sub_title = {{
	"الدورة الموضوعية الأولى (محاكاة تدريبية)",
	"First substantive session (training simulation)",
	"Primer período de sesiones sustantivo (simulación de capacitación)",
	"Première session de fond (simulation de formation)",
	"Первая основная сессия (учебная симуляция)",
	"第一届实质性会议（培训模拟）"}};

/* A statement's text: its language and text, and optionally a second. */
struct said {
	const char *lang, *text, *lang2, *text2;
};

/* The general exchange of views, one statement per speaker, in order. */
static const struct said general[] = {
	{"en", "Training simulation, not a government's position. We thank the "
	 "Chair and support a regular institutional dialogue on ICT security "
	 "under the auspices of the United Nations.",
	 "fr", "Simulation de formation, pas la position d'un gouvernement. Nous "
	 "remercions la présidence et soutenons un dialogue institutionnel "
	 "régulier sur la sécurité des TIC sous l'égide des Nations Unies."},
	{"fr", "Simulation de formation. La délégation appelle à mettre en œuvre "
	 "les normes déjà agréées avant d'en négocier de nouvelles.", NULL, NULL},
	{"es", "Simulación de capacitación. Nuestra delegación destaca que la "
	 "creación de capacidad debe responder a las necesidades expresadas por "
	 "los Estados que la solicitan.", NULL, NULL},
	{"ar", "محاكاة تدريبية. يؤيد وفدنا إنشاء دليل لجهات الاتصال وإجراء "
	 "اختبارات دورية للتحقق من إمكانية الوصول إليها.", NULL, NULL},
	{"ru", "Учебная симуляция. Делегация выражает обеспокоенность атаками на "
	 "критическую инфраструктуру, в том числе на учреждения "
	 "здравоохранения.", NULL, NULL},
	{"zh", "培训模拟。本代表团认为，国际法适用于网络空间，如何适用仍需进一步讨论。",
	 NULL, NULL},
	{"en", "Training simulation. Companies, civil society and academia bring "
	 "expertise this forum needs; we welcome their written contributions.",
	 NULL, NULL},
	{"es", "Simulación de capacitación. Las medidas de fomento de la confianza, "
	 "como el intercambio de opiniones nacionales, reducen el riesgo de "
	 "malentendidos.", NULL, NULL},
	{"ar", "محاكاة تدريبية. نؤكد أهمية أمن سلاسل الإمداد والإفصاح المسؤول عن "
	 "الثغرات.", NULL, NULL},
	{"zh", "培训模拟。我们支持将性别平等与包容纳入各代表团和培训活动。", NULL, NULL},
	{"fr", "Simulation de formation. Les demandes de données entre États doivent "
	 "respecter la souveraineté et les droits de l'homme.", NULL, NULL},
	{"ru", "Учебная симуляция. Мы надеемся на консенсус по ежегодному докладу о "
	 "ходе работы.", NULL, NULL},
	{"en", "Training simulation. Our national CERT would benefit from mentoring "
	 "by more experienced teams; we have posted a need on the board.",
	 NULL, NULL},
	{"ar", "محاكاة تدريبية. نرحب بالتدريب الدبلوماسي في مجال الأمن السيبراني، "
	 "ولا سيما للدبلوماسيين الشباب.", NULL, NULL},
	{"zh", "培训模拟。我们愿意与其他成员分享保护关键基础设施的经验。", NULL, NULL},
	{"es", "Simulación de capacitación. Proponemos que el foro publique cada año "
	 "un resumen de las necesidades y ofertas del tablero.", NULL, NULL},
	{"fr", "Simulation de formation. Nous soutenons la participation des parties "
	 "prenantes accréditées à nos travaux.", NULL, NULL},
	{"ru", "Учебная симуляция. Следует уделить внимание защите данных и "
	 "неприкосновенности частной жизни.", NULL, NULL},
	{"en", "Training simulation. The points of contact directory should be "
	 "tested at least once a year.",
	 "es", "Simulación de capacitación. El directorio de puntos de contacto "
	 "debería ponerse a prueba al menos una vez al año."},
	{"zh", "培训模拟。我们期待在本次会议上取得务实成果。", NULL, NULL},
	{"ar", "محاكاة تدريبية. ندعو إلى تعاون أوثق بين فرق الاستجابة لطوارئ "
	 "الحاسوب في المنطقة.", NULL, NULL},
	{"en", "Training simulation. We will submit our national views in writing "
	 "under this item.", NULL, NULL},
};
#define SPEAKERS (sizeof general / sizeof *general)
/* the speaker who submits in writing (with an attachment) */
#define WRITTEN_SPEAKER (SPEAKERS - 1)
/* the speaker who replies, and the one answered */
#define REPLYING 5
#define ANSWERED 4
/* the organisational session's speakers: the first three of the order */
#define ORG_SPEAKERS 3
/* members that join the consensus on each agenda */
#define AGENDA_JOINS 6

/* The member of the k-th part (k < SPEAKERS + 6, checked at the start). */
static const char *part(const struct demo *d, size_t k)
{
	return d->order[k];
}

static json_t *agenda_json(const struct item *items, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a != NULL && i < n; i++) {
		json_t *it = json_pack("{s:s,s:o}", "id", items[i].id, "title",
				       six_json(&items[i].title));
		if (it == NULL || json_array_append_new(a, it) != 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

#define DAY_MS 86400000LL

/* Midnight UTC of the day the demo is made, plus days (ms since 1970):
 * the dates of the sessions, like the sequencer's times, follow the
 * clock; everything else of a seed's script stays the same. */
static json_int_t day_ms(int days)
{
	json_int_t now = (json_int_t)time(NULL) * 1000;
	return now - now % DAY_MS + (json_int_t)days * DAY_MS;
}

/* Schedules session id with its agenda, for four days from start_ms. */
static void schedule(struct demo *d, const char *id, const char *kind,
		     const struct six *title, const struct item *items,
		     size_t n, json_int_t start_ms)
{
	demo_act(d, "secretariat", "session.schedule",
		 "{s:s,s:s,s:o,s:I,s:I,s:s,s:b,s:o}", "id", id, "kind", kind,
		 "title", six_json(title), "start_ms", start_ms, "end_ms",
		 start_ms + 4 * DAY_MS, "venue",
		 "Conference Room 1 (training simulation)", "online", 1,
		 "agenda", agenda_json(items, n));
}

/* Opens session id; registers the delegations of parts [0, n); adopts
 * the agenda by consensus (decision id-agenda). */
static void open_and_adopt(struct demo *d, const char *id, size_t n)
{
	char decision[PNYX_ID_MAX + 1];
	snprintf(decision, sizeof decision, "%s-agenda", id);
	for (size_t k = 0; k < n; k++)
		demo_act(d, part(d, k), "session.register", "{s:s}", "session", id);
	demo_act(d, "chair.1", "session.open", "{s:s}", "session", id);
	demo_act(d, "chair.1", "decision.open", "{s:s,s:s,s:{s:s,s:s},s:{s:s}}",
		 "id", decision, "procedure", "consensus", "subject", "kind",
		 "agenda", "session", id, "title", "en",
		 "Adoption of the agenda (training simulation)");
	for (size_t k = 0; k < AGENDA_JOINS && k < n; k++)
		demo_act(d, part(d, k), "consensus.join", "{s:s}", "decision",
			 decision);
	demo_act(d, "chair.1", "decision.close", "{s:s}", "decision", decision);
}

static json_t *said_json(const struct said *s)
{
	return s->lang2 == NULL ? json_pack("{s:s}", s->lang, s->text)
				: json_pack("{s:s,s:s}", s->lang, s->text, s->lang2,
					    s->text2);
}

static void organisational(struct demo *d)
{
	static const struct said org[ORG_SPEAKERS] = {
		{"en", "Training simulation. We propose two meetings a day, with "
		 "interpretation in the six official languages.", NULL, NULL},
		{"fr", "Simulation de formation. Nous proposons que la session de "
		 "fond se tienne à la fois en salle et en ligne.", NULL, NULL},
		{"zh", "培训模拟。我们支持主席提出的工作安排。", NULL, NULL},
	};
	schedule(d, ORG, "organisational", &org_title, org_items,
		 sizeof org_items / sizeof *org_items, day_ms(-7));
	open_and_adopt(d, ORG, AGENDA_JOINS + 2);
	for (size_t k = 0; k < ORG_SPEAKERS; k++) {
		char id[PNYX_ID_MAX + 1];
		snprintf(id, sizeof id, "%s-st-%zu", ORG, k + 1);
		demo_act(d, part(d, k), "statement.deliver", "{s:s,s:s,s:s,s:s,s:o}",
			 "id", id, "session", ORG, "item", "3", "mode", "oral",
			 "text", said_json(&org[k]));
	}
	demo_act(d, "chair.1", "session.close", "{s:s}", "session", ORG);
}

/* The general exchange of views: every speaker once, then a right of
 * reply. */
static void general_exchange(struct demo *d)
{
	for (size_t k = 0; k < SPEAKERS; k++) {
		char id[PNYX_ID_MAX + 1];
		snprintf(id, sizeof id, "%s-gen-%02zu", SUB, k + 1);
		if (k == WRITTEN_SPEAKER)
			demo_act(d, part(d, k), "statement.deliver",
				 "{s:s,s:s,s:s,s:s,s:o,s:s}", "id", id, "session",
				 SUB, "item", GENERAL_ITEM, "mode", "written", "text",
				 said_json(&general[k]), "attachment",
				 "sha256:5d6e1c8d2fcb1f3f5d0c0a8be3c1a1b8f7a9f6e9"
				 "0d4c3b2a1908f7e6d5c4b3a2");
		else
			demo_act(d, part(d, k), "statement.deliver",
				 "{s:s,s:s,s:s,s:s,s:o}", "id", id, "session", SUB,
				 "item", GENERAL_ITEM, "mode", "oral", "text",
				 said_json(&general[k]));
	}
	char answered[PNYX_ID_MAX + 1];
	snprintf(answered, sizeof answered, "%s-gen-%02d", SUB, ANSWERED + 1);
	demo_act(d, part(d, REPLYING), "statement.deliver",
		 "{s:s,s:s,s:s,s:s,s:s,s:{s:s}}", "id", SUB "-reply-1", "session",
		 SUB, "item", GENERAL_ITEM, "mode", "oral", "reply_to", answered,
		 "text", "zh", "培训模拟。本代表团行使答辩权：我们也重视关键基础设施的保护，"
		 "并愿意就此开展合作。");
}

/* Capacity building: two members, then the stakeholder segment. */
static void capacity_item(struct demo *d)
{
	demo_act(d, part(d, 12), "statement.deliver", "{s:s,s:s,s:s,s:s,s:{s:s}}",
		 "id", SUB "-cb-1", "session", SUB, "item", CB_ITEM, "mode", "oral",
		 "text", "en", "Training simulation. We invite partners to look at "
		 "the open needs on the capacity-building board.");
	demo_act(d, part(d, 2), "statement.deliver", "{s:s,s:s,s:s,s:s,s:{s:s}}",
		 "id", SUB "-cb-2", "session", SUB, "item", CB_ITEM, "mode", "oral",
		 "text", "es", "Simulación de capacitación. Ofrecemos cursos de "
		 "formación diplomática en español y en inglés.");
	demo_act(d, "chair.1", "segment.open", "{s:s,s:s}", "session", SUB, "item",
		 CB_ITEM);
	demo_act(d, "sh.standards", "statement.deliver",
		 "{s:s,s:s,s:s,s:s,s:{s:s,s:s}}", "id", SUB "-sh-1", "session", SUB,
		 "item", CB_ITEM, "mode", "oral", "text", "en",
		 "Training simulation. Open technical standards lower the cost of "
		 "securing critical infrastructure; our experts can help.", "fr",
		 "Simulation de formation. Les normes techniques ouvertes réduisent "
		 "le coût de la sécurisation des infrastructures critiques ; nos "
		 "experts peuvent aider.");
	demo_act(d, "sh.university", "statement.deliver", "{s:s,s:s,s:s,s:s,s:{s:s}}",
		 "id", SUB "-sh-2", "session", SUB, "item", CB_ITEM, "mode", "oral",
		 "text", "en", "Training simulation. Our centre offers free courses "
		 "on cyber legislation for officials of developing countries.");
	demo_act(d, "chair.1", "segment.close", "{s:s}", "session", SUB);
}

static void substantive(struct demo *d)
{
	schedule(d, SUB, "substantive", &sub_title, sub_items,
		 sizeof sub_items / sizeof *sub_items, day_ms(0));
	open_and_adopt(d, SUB, SPEAKERS + 1);
	general_exchange(d);
	capacity_item(d);
}

/* One need or offer: type, actor, id, area, title and description (in
 * one language), languages wanted or given (up to two). */
static void post(struct demo *d, const char *type, const char *actor,
		 const char *id, const char *area, const char *lang,
		 const char *title, const char *description, const char *l1,
		 const char *l2)
{
	json_t *langs = l2 == NULL ? json_pack("[s]", l1) : json_pack("[s,s]", l1, l2);
	demo_act(d, actor, type, "{s:s,s:s,s:{s:s},s:{s:s},s:o}", "id", id,
		 "area", area, "title", lang, title, "description", lang,
		 description, "languages", langs);
}

static void needs_and_offers(struct demo *d)
{
	post(d, "need.post", part(d, 12), "need-cert-1", "cert-maturity", "en",
	     "Establishing a national CERT (training simulation)",
	     "Procedures, tooling and staff training for a new national CERT.",
	     "en", "fr");
	post(d, "need.post", part(d, 7), "need-ci-1", "critical-infrastructure",
	     "es", "Protección de la red eléctrica (simulación de capacitación)",
	     "Evaluación de riesgos y ejercicios para el operador nacional de la "
	     "red eléctrica.", "es", "en");
	post(d, "need.post", part(d, 8), "need-leg-1", "legislation", "ar",
	     "صياغة قانون بشأن الجرائم السيبرانية (محاكاة تدريبية)",
	     "مساعدة في صياغة قانون يحترم حقوق الإنسان.", "ar", "en");
	post(d, "need.post", part(d, 10), "need-dip-1", "diplomatic-training",
	     "fr", "Formation de jeunes diplomates (simulation de formation)",
	     "Une semaine de formation sur les normes et le droit international "
	     "appliqué aux TIC.", "fr", "es");
	post(d, "need.post", part(d, 11), "need-cert-2", "cert-maturity", "ru",
	     "Оценка зрелости CERT (учебная симуляция)",
	     "Внешняя оценка зрелости национальной группы реагирования.", "ru",
	     "en");
	post(d, "offer.post", part(d, 0), "offer-cert-1", "cert-maturity", "en",
	     "CERT mentoring (training simulation)",
	     "Two experts for three months, remote and on site.", "en", "fr");
	post(d, "offer.post", "sh.standards", "offer-ci-1",
	     "critical-infrastructure", "en",
	     "Standards for grid security (training simulation)",
	     "Workshops on open standards for operators of electricity grids.",
	     "en", "es");
	post(d, "offer.post", "sh.university", "offer-leg-1", "legislation", "en",
	     "Courses on cyber legislation (training simulation)",
	     "Online courses for legislative drafters.", "en", "ar");
	post(d, "offer.post", part(d, 2), "offer-dip-1", "diplomatic-training",
	     "es", "Cursos de formación diplomática (simulación de capacitación)",
	     "Cursos en español y en inglés para diplomáticos.", "es", "en");
}

/* A completed pledge, one under way and one waiting for acceptance. */
static void pledges(struct demo *d)
{
	demo_act(d, part(d, 0), "pledge.make", "{s:s,s:s,s:s,s:{s:s}}", "id",
		 "pledge-1", "offer", "offer-cert-1", "need", "need-cert-1", "note",
		 "en", "Starting next month (training simulation).");
	demo_act(d, part(d, 12), "pledge.accept", "{s:s}", "pledge", "pledge-1");
	demo_act(d, part(d, 0), "pledge.progress", "{s:s,s:{s:s}}", "pledge",
		 "pledge-1", "note", "en", "Procedures drafted; first training week "
		 "held.");
	demo_act(d, part(d, 12), "pledge.complete", "{s:s,s:{s:s}}", "pledge",
		 "pledge-1", "note", "en", "The national CERT is operational "
		 "(training simulation).");
	demo_act(d, "sh.standards", "pledge.make", "{s:s,s:s,s:s}", "id",
		 "pledge-2", "offer", "offer-ci-1", "need", "need-ci-1");
	demo_act(d, part(d, 7), "pledge.accept", "{s:s,s:{s:s}}", "pledge",
		 "pledge-2", "note", "es", "Aceptamos con gratitud.");
	demo_act(d, "sh.standards", "pledge.progress", "{s:s,s:{s:s}}", "pledge",
		 "pledge-2", "note", "en", "First workshop held with the grid "
		 "operator.");
	demo_act(d, part(d, 0), "pledge.make", "{s:s,s:s,s:s}", "id", "pledge-3",
		 "offer", "offer-cert-1", "need", "need-cert-2");
}

void demo_sessions(struct demo *d)
{
	if (d->failed)
		return;
	if (d->nmembers < SPEAKERS + 6) {
		cli_fail("the sessions of the demo need %zu members, the list has "
			 "%zu", (size_t)(SPEAKERS + 6), d->nmembers);
		d->failed = true;
		return;
	}
	organisational(d);
	substantive(d);
	needs_and_offers(d);
	pledges(d);
}

/* True if o (may be NULL) has the string value at key. */
static bool has_value(const json_t *o, const char *key, const char *value)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v != NULL && strcmp(v, value) == 0;
}

void demo_sessions_howto(const pnyx_state *st, const pnyx_country_set *cs,
			 const char *const *order, size_t n, const char *dir,
			 const char *url)
{
	const json_t *s = json_object_get(
		json_object_get(pnyx_state_json(st), "sessions"), SUB);
	const json_t *members = json_object_get(pnyx_state_json(st), "members");
	if (!has_value(s, "status", "open"))
		return;
	const json_t *registered = json_object_get(s, "participants");
	const char *who = NULL;
	for (size_t i = 0; i < n && who == NULL; i++) {
		if (has_value(json_object_get(members, order[i]), "status", "active") &&
		    json_object_get(registered, order[i]) == NULL)
			who = order[i];
	}
	if (who == NULL)
		return;
	printf("\nIn a session: the substantive session %s is open (its general "
	       "exchange of views,\nitem %s: %s/#/sessions/%s). %s (%s) has not "
	       "registered yet. Register and\ndeliver a statement:\n"
	       "  build/pnyx act --server %s --key %s/keys/%s.key --as %s "
	       "session.register --session %s\n"
	       "  build/pnyx act --server %s --key %s/keys/%s.key --as %s "
	       "statement.deliver --id %s-1 --session %s --item %s --mode oral "
	       "--text 'Training simulation: ...'\n"
	       "The capacity-building board: %s/#/board\n",
	       SUB, GENERAL_ITEM, url, SUB, pnyx_country_name(cs, who, "en"), who,
	       url, dir, who, who, SUB, url, dir, who, who, who, SUB,
	       GENERAL_ITEM, url);
}
