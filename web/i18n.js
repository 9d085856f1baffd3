// Every piece of interface text of the page, in the six official languages
// of the UN. Each key maps to six strings in the order of LANGS; {name}
// marks a value filled in by t(). Text that comes from the forum's record
// (titles, paragraphs, reasons) is shown as the record gives it.

export const LANGS = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];

// The name of each language in itself, for the language menu.
export const LANG_NAMES = {
  ar: 'العربية', en: 'English', es: 'Español', fr: 'Français', ru: 'Русский', zh: '中文',
};

const S = {
  site_name: ['بنيكس', 'Pnyx', 'Pnyx', 'Pnyx', 'Пникс', 'Pnyx'],
  skip: ['انتقل إلى المحتوى', 'Skip to the content', 'Ir al contenido', 'Aller au contenu', 'Перейти к содержанию', '跳至正文'],
  nav_label: ['الأقسام', 'Sections', 'Secciones', 'Rubriques', 'Разделы', '栏目'],
  nav_forum: ['المنتدى', 'Forum', 'Foro', 'Forum', 'Форум', '论坛'],
  nav_record: ['السجل', 'Record', 'Registro', 'Registre', 'Журнал', '记录'],
  nav_key: ['مفتاحك', 'Your key', 'Su clave', 'Votre clé', 'Ваш ключ', '您的密钥'],
  nav_coop: ['التعاون', 'Cooperation', 'Cooperación', 'Coopération', 'Сотрудничество', '合作'],
  nav_sessions: ['الدورات', 'Sessions', 'Sesiones', 'Sessions', 'Сессии', '会议'],
  nav_board: ['بناء القدرات', 'Capacity building', 'Creación de capacidad', 'Renforcement des capacités', 'Наращивание потенциала', '能力建设'],
  nav_commitments: ['الالتزامات', 'Commitments', 'Compromisos', 'Engagements', 'Обязательства', '承诺'],
  language: ['اللغة', 'Language', 'Idioma', 'Langue', 'Язык', '语言'],
  loading: ['جارٍ التحميل…', 'Loading…', 'Cargando…', 'Chargement…', 'Загрузка…', '正在加载…'],
  error_load: ['تعذّر تحميل هذه الصفحة: {detail}', 'This page could not be loaded: {detail}', 'No se pudo cargar esta página: {detail}', 'Impossible de charger cette page : {detail}', 'Не удалось загрузить эту страницу: {detail}', '无法加载此页面：{detail}'],
  error_network: ['تعذّر الوصول إلى الخادم.', 'the server could not be reached.', 'no se pudo contactar con el servidor.', 'le serveur est injoignable.', 'сервер недоступен.', '无法连接服务器。'],
  not_found: ['لا توجد صفحة بهذا العنوان.', 'There is no page at this address.', 'No hay ninguna página en esta dirección.', 'Il n’y a pas de page à cette adresse.', 'По этому адресу страницы нет.', '此地址没有页面。'],
  notice: [
    'محاكاة تدريبية (على غرار نموذج الأمم المتحدة): المواقف المعروضة اختيرت عشوائيًا وليست مواقف أي حكومة.',
    'Training simulation (like a Model UN): the positions shown were chosen at random and are not those of any government.',
    'Simulación de capacitación (como un Modelo de las Naciones Unidas): las posiciones mostradas se eligieron al azar y no son las de ningún gobierno.',
    'Simulation de formation (comme un modèle des Nations Unies) : les positions présentées ont été tirées au hasard et ne sont celles d’aucun gouvernement.',
    'Учебная симуляция (как модель ООН): показанные позиции выбраны случайно и не отражают позицию какого-либо правительства.',
    '培训模拟（类似模拟联合国）：所示立场为随机选取，并非任何政府的立场。'],
  notice_label: ['تنبيه', 'Notice', 'Aviso', 'Avis', 'Уведомление', '注意'],
  record_size: ['عدد القيود في السجل العام: {n}', 'Entries in the public record: {n}', 'Entradas del registro público: {n}', 'Entrées du registre public : {n}', 'Записей в открытом журнале: {n}', '公共记录条目数：{n}'],
  // the forum
  forum_id: ['معرّف المنتدى', 'Forum identifier', 'Identificador del foro', 'Identifiant du forum', 'Идентификатор форума', '论坛标识'],
  languages_of_forum: ['لغات المنتدى', 'Languages of the forum', 'Idiomas del foro', 'Langues du forum', 'Языки форума', '论坛语言'],
  rules: ['النظام الداخلي', 'Rules of procedure', 'Reglamento', 'Règlement intérieur', 'Правила процедуры', '议事规则'],
  procedures: ['الإجراءات المسموح بها', 'Procedures allowed', 'Procedimientos permitidos', 'Procédures autorisées', 'Допустимые процедуры', '允许的程序'],
  majority: ['الأغلبية', 'Majority', 'Mayoría', 'Majorité', 'Большинство', '多数'],
  important_majority: ['الأغلبية في المسائل المهمة', 'Majority on important questions', 'Mayoría en cuestiones importantes', 'Majorité sur les questions importantes', 'Большинство по важным вопросам', '重要问题所需多数'],
  quorum: ['النصاب', 'Quorum', 'Quórum', 'Quorum', 'Кворум', '法定人数'],
  objection_window: ['مهلة الاعتراض على أصحاب المصلحة', 'Objection window for stakeholders', 'Plazo de objeción para las partes interesadas', 'Délai d’objection pour les parties prenantes', 'Срок для возражений против заинтересованных сторон', '对利益攸关方提出异议的期限'],
  silence_min: ['أقصر إجراء صمت', 'Shortest silence procedure', 'Procedimiento de silencio más breve', 'Procédure d’approbation tacite la plus courte', 'Кратчайшая процедура молчания', '最短默许程序'],
  vote_on_request: ['يجوز طلب التصويت', 'A vote may be requested', 'Se puede solicitar una votación', 'Un vote peut être demandé', 'Можно потребовать голосования', '可要求表决'],
  hours: ['{n} ساعة', '{n} hours', '{n} horas', '{n} heures', '{n} ч', '{n} 小时'],
  percent: ['{n}٪ من الأعضاء', '{n}% of the members', '{n} % de los miembros', '{n} % des membres', '{n}% членов', '成员的 {n}%'],
  yes: ['نعم', 'Yes', 'Sí', 'Oui', 'Да', '是'],
  no: ['لا', 'No', 'No', 'Non', 'Нет', '否'],
  maj_simple: ['أغلبية بسيطة', 'simple majority', 'mayoría simple', 'majorité simple', 'простое большинство', '简单多数'],
  'maj_two-thirds': ['أغلبية الثلثين', 'two-thirds majority', 'mayoría de dos tercios', 'majorité des deux tiers', 'большинство в две трети', '三分之二多数'],
  proc_consensus: ['توافق الآراء', 'consensus', 'consenso', 'consensus', 'консенсус', '协商一致'],
  proc_silence: ['إجراء الصمت', 'silence procedure', 'procedimiento de silencio', 'procédure d’approbation tacite', 'процедура молчания', '默许程序'],
  proc_vote: ['التصويت', 'vote', 'votación', 'vote', 'голосование', '表决'],
  officers: ['أعضاء المكتب', 'Officers', 'Miembros de la Mesa', 'Membres du bureau', 'Должностные лица', '主席团成员'],
  chairs: ['الرؤساء', 'Chairs', 'Presidencia', 'Présidence', 'Председатели', '主席'],
  kind_chair: ['رئيس', 'chair', 'presidencia', 'présidence', 'председатель', '主席'],
  kind_secretariat: ['الأمانة', 'secretariat', 'secretaría', 'secrétariat', 'секретариат', '秘书处'],
  members: ['الأعضاء', 'Members', 'Miembros', 'Membres', 'Члены', '成员'],
  members_count: ['{n} عضوًا', '{n} members', '{n} miembros', '{n} membres', 'членов: {n}', '{n} 个成员'],
  code: ['الرمز', 'Code', 'Código', 'Code', 'Код', '代码'],
  name: ['الاسم', 'Name', 'Nombre', 'Nom', 'Название', '名称'],
  status: ['الحالة', 'Status', 'Estado', 'Statut', 'Статус', '状态'],
  st_active: ['نشط', 'active', 'activo', 'actif', 'активен', '活跃'],
  st_suspended: ['معلّق', 'suspended', 'suspendido', 'suspendu', 'приостановлен', '已暂停'],
  stakeholders: ['أصحاب المصلحة', 'Stakeholders', 'Partes interesadas', 'Parties prenantes', 'Заинтересованные стороны', '利益攸关方'],
  category: ['الفئة', 'Category', 'Categoría', 'Catégorie', 'Категория', '类别'],
  cat_company: ['شركة', 'company', 'empresa', 'entreprise', 'компания', '公司'],
  cat_ngo: ['منظمة غير حكومية', 'non-governmental organisation', 'organización no gubernamental', 'organisation non gouvernementale', 'неправительственная организация', '非政府组织'],
  cat_academia: ['أوساط أكاديمية', 'academia', 'mundo académico', 'milieu universitaire', 'академическое сообщество', '学术界'],
  'cat_technical-community': ['المجتمع التقني', 'technical community', 'comunidad técnica', 'communauté technique', 'техническое сообщество', '技术界'],
  'cat_international-organisation': ['منظمة دولية', 'international organisation', 'organización internacional', 'organisation internationale', 'международная организация', '国际组织'],
  cat_individual: ['فرد', 'individual', 'particular', 'particulier', 'частное лицо', '个人'],
  st_pending: ['قيد النظر', 'pending', 'pendiente', 'en attente', 'на рассмотрении', '待定'],
  st_accredited: ['معتمد', 'accredited', 'acreditada', 'accréditée', 'аккредитована', '已认证'],
  'st_not-accredited': ['غير معتمد', 'not accredited', 'no acreditada', 'non accréditée', 'не аккредитована', '未获认证'],
  window_until: ['مهلة الاعتراض حتى {date}', 'objections until {date}', 'objeciones hasta el {date}', 'objections jusqu’au {date}', 'возражения до {date}', '异议截止于 {date}'],
  objections: ['الاعتراضات', 'Objections', 'Objeciones', 'Objections', 'Возражения', '异议'],
  objection_by: ['اعتراض من {member}', 'Objection by {member}', 'Objeción de {member}', 'Objection de {member}', 'Возражение: {member}', '{member} 提出异议'],
  withdrawn_on: ['سُحب في {date}', 'withdrawn on {date}', 'retirada el {date}', 'retirée le {date}', 'отозвано {date}', '已于 {date} 撤回'],
  none: ['لا شيء', 'None', 'Ninguno', 'Aucun', 'Нет', '无'],
  // documents
  documents: ['الوثائق', 'Documents', 'Documentos', 'Documents', 'Документы', '文件'],
  symbol: ['الرمز', 'Symbol', 'Signatura', 'Cote', 'Условное обозначение', '文号'],
  revisions: ['التنقيحات', 'Revisions', 'Revisiones', 'Révisions', 'Редакции', '修订本'],
  revision_n: ['التنقيح {n}', 'Rev.{n}', 'Rev.{n}', 'Rev.{n}', 'Ред. {n}', '第 {n} 次修订'],
  issued: ['صدر في {date} عن {actor}', 'issued on {date} by {actor}', 'publicada el {date} por {actor}', 'publiée le {date} par {actor}', 'выпущена {date}, автор: {actor}', '{actor} 于 {date} 发布'],
  paragraphs: ['الفقرات', 'Paragraphs', 'Párrafos', 'Paragraphes', 'Пункты', '段落'],
  paragraph: ['الفقرة', 'Paragraph', 'Párrafo', 'Paragraphe', 'Пункт', '段落'],
  norm: ['قاعدة', 'norm', 'norma', 'norme', 'норма', '规范'],
  amendments: ['التعديلات', 'Amendments', 'Enmiendas', 'Amendements', 'Поправки', '修正案'],
  amendment: ['التعديل', 'Amendment', 'Enmienda', 'Amendement', 'Поправка', '修正案'],
  sponsor: ['مقدّم التعديل', 'Sponsor', 'Patrocinador', 'Auteur', 'Автор', '提案方'],
  cosponsors: ['المشاركون في التقديم', 'Co-sponsors', 'Copatrocinadores', 'Coauteurs', 'Соавторы', '共同提案方'],
  op_replace: ['استبدال', 'replace', 'sustituir', 'remplacer', 'заменить', '替换'],
  op_insert_after: ['إدراج بعد', 'insert after', 'insertar después', 'insérer après', 'вставить после', '插入于其后'],
  op_delete: ['حذف', 'delete', 'suprimir', 'supprimer', 'исключить', '删除'],
  am_open: ['مطروح', 'open', 'abierta', 'ouvert', 'открыта', '待处理'],
  am_withdrawn: ['مسحوب', 'withdrawn', 'retirada', 'retiré', 'отозвана', '已撤回'],
  am_taken: ['أُدرج', 'taken in', 'incorporada', 'retenu', 'учтена', '已采纳'],
  'am_not-taken': ['لم يُدرج', 'not taken', 'no incorporada', 'non retenu', 'не учтена', '未采纳'],
  on_revision: ['على التنقيح {n}', 'on Rev.{n}', 'sobre la Rev.{n}', 'sur la Rev.{n}', 'к ред. {n}', '针对第 {n} 次修订'],
  inputs: ['المساهمات المكتوبة', 'Written inputs', 'Aportaciones escritas', 'Contributions écrites', 'Письменные материалы', '书面意见'],
  comments: ['التعليقات', 'Comments', 'Comentarios', 'Commentaires', 'Комментарии', '评论'],
  compare: ['مقارنة تنقيحين', 'Compare two revisions', 'Comparar dos revisiones', 'Comparer deux révisions', 'Сравнить две редакции', '比较两个修订本'],
  from: ['من', 'From', 'De', 'De', 'С', '从'],
  to: ['إلى', 'To', 'A', 'À', 'По', '到'],
  show_diff: ['اعرض الفرق', 'Show the difference', 'Mostrar la diferencia', 'Afficher la différence', 'Показать различия', '显示差异'],
  diff_title: ['الفرق بين التنقيح {from} والتنقيح {to}', 'Difference between Rev.{from} and Rev.{to}', 'Diferencia entre la Rev.{from} y la Rev.{to}', 'Différence entre la Rev.{from} et la Rev.{to}', 'Различия между ред. {from} и ред. {to}', '第 {from} 次与第 {to} 次修订之间的差异'],
  ch_unchanged: ['دون تغيير', 'unchanged', 'sin cambios', 'inchangé', 'без изменений', '未改动'],
  ch_changed: ['معدّل', 'changed', 'modificado', 'modifié', 'изменён', '已修改'],
  ch_added: ['مضاف', 'added', 'añadido', 'ajouté', 'добавлен', '新增'],
  ch_removed: ['محذوف', 'removed', 'suprimido', 'supprimé', 'исключён', '已删除'],
  before: ['قبل', 'Before', 'Antes', 'Avant', 'Было', '修改前'],
  after: ['بعد', 'After', 'Después', 'Après', 'Стало', '修改后'],
  back_to_document: ['العودة إلى الوثيقة', 'Back to the document', 'Volver al documento', 'Retour au document', 'Вернуться к документу', '返回文件'],
  // decisions
  decisions: ['المقررات', 'Decisions', 'Decisiones', 'Décisions', 'Решения', '决定'],
  decision: ['المقرر', 'Decision', 'Decisión', 'Décision', 'Решение', '决定'],
  procedure: ['الإجراء', 'Procedure', 'Procedimiento', 'Procédure', 'Процедура', '程序'],
  dec_open: ['مفتوح', 'open', 'abierta', 'ouverte', 'открыто', '进行中'],
  dec_adopted: ['اعتُمد', 'adopted', 'adoptada', 'adoptée', 'принято', '已通过'],
  'dec_not-adopted': ['لم يُعتمد', 'not adopted', 'no adoptada', 'non adoptée', 'не принято', '未通过'],
  concerns: ['يتعلق بـ {doc}، التنقيح {n}', 'Concerns {doc}, Rev.{n}', 'Se refiere a {doc}, Rev.{n}', 'Porte sur {doc}, Rev.{n}', 'Касается: {doc}, ред. {n}', '涉及 {doc} 第 {n} 次修订'],
  board: ['لوحة المواقف', 'The board of positions', 'Cuadro de posiciones', 'Tableau des positions', 'Таблица позиций', '立场一览'],
  board_caption: ['موقف كل عضو', 'The position of every member', 'La posición de cada miembro', 'La position de chaque membre', 'Позиция каждого члена', '每个成员的立场'],
  position: ['الموقف', 'Position', 'Posición', 'Position', 'Позиция', '立场'],
  pos_joined: ['انضمّ', 'joined', 'se sumó', 's’est joint', 'присоединился', '已加入'],
  pos_objected: ['اعترض', 'objected', 'objetó', 'a objecté', 'возразил', '已反对'],
  'pos_objection-withdrawn': ['سحب اعتراضه', 'withdrew its objection', 'retiró su objeción', 'a retiré son objection', 'снял возражение', '已撤回异议'],
  'pos_broke-silence': ['كسر الصمت', 'broke silence', 'rompió el silencio', 'a rompu le silence', 'нарушил молчание', '已打破默许'],
  pos_yes: ['صوّت بنعم', 'voted yes', 'votó a favor', 'a voté pour', 'проголосовал за', '投赞成票'],
  pos_no: ['صوّت بلا', 'voted no', 'votó en contra', 'a voté contre', 'проголосовал против', '投反对票'],
  pos_abstain: ['امتنع', 'abstained', 'se abstuvo', 's’est abstenu', 'воздержался', '弃权'],
  not_spoken: ['لم يتكلم بعد', 'not yet spoken', 'aún no se ha pronunciado', 'ne s’est pas encore prononcé', 'ещё не высказался', '尚未表态'],
  reason: ['السبب', 'Reason', 'Motivo', 'Motif', 'Причина', '理由'],
  dissociates: ['ينأى بنفسه عن: {list}', 'dissociates from: {list}', 'se desvincula de: {list}', 'se dissocie de : {list}', 'отмежевывается от: {list}', '不赞同：{list}'],
  summary: ['الحصيلة', 'Summary', 'Resumen', 'Récapitulatif', 'Итоги', '汇总'],
  count_of: ['{what}: {n}', '{what}: {n}', '{what}: {n}', '{what} : {n}', '{what}: {n}', '{what}：{n}'],
  explanations: ['تعليل المواقف', 'Explanations of position', 'Explicaciones de posición', 'Explications de position', 'Разъяснения позиции', '立场解释'],
  when_before: ['قبل البت', 'before the decision', 'antes de la decisión', 'avant la décision', 'до принятия решения', '决定前'],
  when_after: ['بعد البت', 'after the decision', 'después de la decisión', 'après la décision', 'после принятия решения', '决定后'],
  tally: ['النتيجة المحسوبة', 'Tally', 'Recuento', 'Décompte', 'Подсчёт', '计票'],
  outcome: ['النتيجة', 'Outcome', 'Resultado', 'Résultat', 'Результат', '结果'],
  closed_on: ['أُغلق في {date}', 'closed on {date}', 'cerrada el {date}', 'close le {date}', 'закрыто {date}', '于 {date} 结束'],
  opened_on: ['فُتح في {date} من قِبل {actor}', 'opened on {date} by {actor}', 'abierta el {date} por {actor}', 'ouverte le {date} par {actor}', 'открыто {date}, инициатор: {actor}', '{actor} 于 {date} 发起'],
  filter_position: ['اعرض', 'Show', 'Mostrar', 'Afficher', 'Показать', '显示'],
  all_members: ['جميع الأعضاء', 'every member', 'todos los miembros', 'tous les membres', 'всех членов', '所有成员'],
  tally_joined: ['انضموا', 'Joined', 'Se sumaron', 'Se sont joints', 'Присоединились', '加入'],
  tally_objected: ['اعترضوا', 'Objected', 'Objetaron', 'Ont objecté', 'Возразили', '反对'],
  tally_reservations: ['التحفظات', 'Reservations', 'Reservas', 'Réserves', 'Оговорки', '保留'],
  tally_not_counted: ['لم تُحتسب', 'Not counted', 'No contabilizados', 'Non comptés', 'Не учтены', '未计入'],
  tally_active_members: ['الأعضاء النشطون', 'Active members', 'Miembros activos', 'Membres actifs', 'Активные члены', '活跃成员'],
  tally_yes: ['نعم', 'Yes', 'A favor', 'Pour', 'За', '赞成'],
  tally_no: ['لا', 'No', 'En contra', 'Contre', 'Против', '反对'],
  tally_abstain: ['امتناع', 'Abstentions', 'Abstenciones', 'Abstentions', 'Воздержались', '弃权'],
  tally_quorum_percent: ['النصاب (٪)', 'Quorum (%)', 'Quórum (%)', 'Quorum (%)', 'Кворум (%)', '法定人数（%）'],
  tally_quorum_required: ['النصاب المطلوب', 'Quorum required', 'Quórum requerido', 'Quorum requis', 'Необходимый кворум', '所需法定人数'],
  tally_voting: ['المصوّتون', 'Voting', 'Votantes', 'Votants', 'Голосовавшие', '参加表决'],
  tally_present_and_voting: ['الحاضرون المصوّتون', 'Present and voting', 'Presentes y votantes', 'Présents et votants', 'Присутствующие и участвующие в голосовании', '出席并参加表决'],
  tally_majority: ['الأغلبية', 'Majority', 'Mayoría', 'Majorité', 'Большинство', '多数'],
  tally_deadline_ms: ['الموعد النهائي', 'Deadline', 'Plazo', 'Échéance', 'Срок', '截止时间'],
  tally_broken_by: ['كسره', 'Broken by', 'Roto por', 'Rompu par', 'Нарушено', '打破者'],
  oc_consensus: ['اعتُمد بتوافق الآراء', 'adopted by consensus', 'adoptada por consenso', 'adoptée par consensus', 'принято консенсусом', '协商一致通过'],
  oc_objection: ['لم يُعتمد بسبب اعتراض', 'not adopted: an objection stands', 'no adoptada: se mantiene una objeción', 'non adoptée : une objection est maintenue', 'не принято: возражение сохраняется', '未通过：存在异议'],
  oc_majority: ['اعتُمد بالأغلبية', 'adopted by majority', 'adoptada por mayoría', 'adoptée à la majorité', 'принято большинством', '以多数通过'],
  'oc_no-majority': ['لم تتحقق الأغلبية', 'not adopted: no majority', 'no adoptada: sin mayoría', 'non adoptée : pas de majorité', 'не принято: нет большинства', '未通过：未获多数'],
  'oc_no-quorum': ['لم يكتمل النصاب', 'not adopted: no quorum', 'no adoptada: sin quórum', 'non adoptée : quorum non atteint', 'не принято: нет кворума', '未通过：未达法定人数'],
  'oc_silence-passed': ['اعتُمد بانقضاء مهلة الصمت', 'adopted: the silence was not broken', 'adoptada: no se rompió el silencio', 'adoptée : le silence n’a pas été rompu', 'принято: молчание не нарушено', '通过：默许未被打破'],
  'oc_silence-broken': ['لم يُعتمد: كُسر الصمت', 'not adopted: the silence was broken', 'no adoptada: se rompió el silencio', 'non adoptée : le silence a été rompu', 'не принято: молчание нарушено', '未通过：默许被打破'],
  record_text: ['النص كما ورد في السجل', 'text as on the record', 'texto tal como consta en el registro', 'texte tel qu’il figure au registre', 'текст в том виде, в каком он внесён в журнал', '记录中的原文'],
  // commitments
  commitments: ['الالتزامات وتقارير التنفيذ', 'Commitments and implementation reports', 'Compromisos e informes de aplicación', 'Engagements et rapports de mise en œuvre', 'Обязательства и доклады об осуществлении', '承诺与执行情况报告'],
  member: ['العضو', 'Member', 'Miembro', 'Membre', 'Член', '成员'],
  reports: ['التقارير', 'Reports', 'Informes', 'Rapports', 'Доклады', '报告'],
  cm_subscribed: ['ملتزم', 'subscribed', 'suscrito', 'souscrit', 'принято', '已承诺'],
  cm_withdrawn: ['مسحوب', 'withdrawn', 'retirado', 'retiré', 'отозвано', '已撤回'],
  'rp_not-started': ['لم يبدأ', 'not started', 'no iniciado', 'pas commencé', 'не начато', '未开始'],
  'rp_in-progress': ['قيد التنفيذ', 'in progress', 'en curso', 'en cours', 'в процессе', '进行中'],
  rp_implemented: ['منفَّذ', 'implemented', 'aplicado', 'mis en œuvre', 'осуществлено', '已执行'],
  rp_other: ['أخرى', 'other', 'otro', 'autre', 'иное', '其他'],
  no_commitments: ['لا توجد التزامات مسجلة بعد.', 'No commitment is on the record yet.', 'Todavía no hay compromisos registrados.', 'Aucun engagement n’est encore enregistré.', 'Обязательств пока не зарегистрировано.', '尚无承诺记录。'],
  adopted_by: ['اعتمده المقرر {decision}', 'adopted by the decision {decision}', 'adoptada mediante la decisión {decision}', 'adoptée par la décision {decision}', 'принято решением {decision}', '由决定 {decision} 通过'],
};

let current = 'en';

// The language chosen: the saved choice, else the browser's, else English.
export function initialLang() {
  let saved = null;
  try { saved = localStorage.getItem('pnyx.lang'); } catch (e) { saved = null; }
  if (LANGS.includes(saved)) return saved;
  for (const l of navigator.languages || []) {
    const base = String(l).slice(0, 2).toLowerCase();
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

// Makes lang (one of LANGS) the language of the page and saves the choice.
export function setLang(lang) {
  current = LANGS.includes(lang) ? lang : 'en';
  try { localStorage.setItem('pnyx.lang', current); } catch (e) { /* private mode */ }
  document.documentElement.lang = current;
  document.documentElement.dir = current === 'ar' ? 'rtl' : 'ltr';
}

export function lang() {
  return current;
}

// The interface text of key in the current language, {name} filled in
// from vars. An unknown key is a bug: it shows as itself.
export function t(key, vars) {
  const row = S[key];
  let s = row ? row[LANGS.indexOf(current)] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// True if the table has key (for texts named by a value of the record).
export function has(key) {
  return Object.prototype.hasOwnProperty.call(S, key);
}

// Adds rows to the table (the strings of a module loaded later, such as
// i18n_act.js); a key already there keeps its row.
export function extend(rows) {
  for (const [k, row] of Object.entries(rows)) if (!has(k)) S[k] = row;
}

// Every key and its row (for the tests: six non-empty strings each).
export function table() {
  return S;
}

// Text of the record given in several languages ({lang: text}): the
// current language, else English, else the first one given.
export function pick(texts) {
  if (texts == null) return '';
  if (typeof texts === 'string') return texts;
  return texts[current] ?? texts.en ?? Object.values(texts)[0] ?? '';
}

// A time in milliseconds as a date and time in the current language (UTC).
export function date(ms) {
  if (typeof ms !== 'number') return '';
  const locale = current === 'zh' ? 'zh-CN' : current;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC',
  }).format(new Date(ms)) + ' UTC';
}

// The translation of a value of the record named by prefix + value (e.g.
// label('pos_', 'joined')), or the value itself if the table lacks it.
export function label(prefix, value) {
  return has(prefix + value) ? t(prefix + value) : value;
}
