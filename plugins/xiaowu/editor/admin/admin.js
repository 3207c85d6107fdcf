// The clerks' editor at /admin/: Decap CMS (served from this site, never a CDN), plus what xiaowu adds:
// - the "xiaowu-yaml" format: the CMS's own YAML reader and writer (the same yaml 1.x library and
//   options), minus the form-only "school" field that names a new file;
// - a preview of each school's fee table as the public page shows it, with the site's own CSS.
import { YAML } from './yaml/index.js';

const CMS = window.CMS;
const h = window.h;
const SCHOOL_FIELD = 'school';

// As the CMS's built-in YAML format: ISO timestamps read as dates, top-level keys in field order.
const timestampTag = {
  identify: (value) => value instanceof Date,
  default: true,
  tag: '!timestamp',
  test: /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(\.[0-9]+)?)Z$/,
  resolve: (str) => new Date(str),
  stringify: (node) => node.value.toISOString(),
};

function fromFile(content) {
  const doc = YAML.parseDocument(content, { customTags: [timestampTag], prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new Error(`YAML 格式错误：\n${doc.errors.map((e) => e.message).join('\n')}`);
  }
  return doc.toJSON();
}

// Every mapping in the schema's key order: the CMS keeps mappings of more than 8 keys unordered.
function ordered(value, order) {
  if (Array.isArray(value)) return value.map((v) => ordered(v, order));
  if (value === null || typeof value !== 'object' || value instanceof Date || !order) return value;
  const known = Object.keys(order).filter((k) => k in value);
  const rest = Object.keys(value).filter((k) => !(k in order));
  return Object.fromEntries([...known, ...rest].map((k) => [k, ordered(value[k], order[k])]));
}

function toFile(data, sortedKeys = []) {
  const copy = ordered(data, editor.order);
  delete copy[SCHOOL_FIELD];
  const contents = YAML.createNode(copy);
  const rank = (item) => sortedKeys.indexOf(item.key && item.key.toString());
  contents.items.sort((a, b) => (rank(a) === -1 || rank(b) === -1 ? 0 : rank(a) - rank(b)));
  const doc = new YAML.Document();
  doc.contents = contents;
  return doc.toString();
}

CMS.registerCustomFormat('xiaowu-yaml', 'yml', { fromFile, toFile });

// A refused value reads as a sentence: "“办公电话”：电话号码格式不对……" (not "不满足模式").
const zh = CMS.getLocale('zh_Hans');
if (zh && zh.editor && zh.editor.editorControlPane) {
  zh.editor.editorControlPane.widget.regexPattern = '“%{fieldLabel}”：%{pattern}';
  CMS.registerLocale('zh_Hans', zh);
}

const text = (value) => (value === undefined || value === null ? '' : String(value));

// The bureau's cap for this item at this school: same item and category, the school's ownership, the
// item's stage (else one of the school's), and the tier's own cap when the item names one.
function catalogCap(item, catalog, profile) {
  const stages = item.stage ? [item.stage] : profile.stages || [];
  const entry = catalog.find((e) => e.item === item.item && e.category === item.category
    && (!profile.ownership || e.ownership.includes(profile.ownership)) && stages.some((s) => e.stages.includes(s)));
  if (!entry) return null;
  const tier = entry.tiers.find((t) => t.name === item.tier);
  return { cap: tier && tier.cap !== null ? tier.cap : entry.cap, unit: entry.unit };
}

function feeRow(item, catalog, key, profile) {
  const basis = item.basis || {};
  const entry = catalogCap(item, catalog, profile);
  const standard = item.amount !== undefined && item.amount !== '' ? `${text(item.amount)} ${text(item.unit)}` : text(item.pricing);
  const over = entry && entry.cap !== null && Number(item.amount) > Number(entry.cap);
  return h('tr', { key },
    h('th', { scope: 'row', 'data-label': '项目' }, text(item.item),
      item.stage ? h('span', { className: 'xw-sub' }, text(item.stage)) : null,
      item.tier ? h('span', { className: 'xw-sub' }, text(item.tier)) : null),
    h('td', { 'data-label': '类别' }, text(item.category)),
    h('td', { 'data-label': '标准', className: 'xw-std' }, standard,
      entry ? h('span', { className: over ? 'xw-sub xw-warn' : 'xw-sub' },
        `本局目录${entry.cap === null ? '' : `上限 ${entry.cap} ${entry.unit}`}${over ? '，已超过上限' : ''}`) : null),
    h('td', { 'data-label': '收费范围' }, text(item.scope)),
    h('td', { 'data-label': '收费依据' }, text(basis.authority),
      basis.title ? h('span', { className: 'xw-doc' }, text(basis.title)) : null,
      h('span', { className: 'xw-doc' }, text(basis.document))),
    h('td', { 'data-label': '是否自愿' }, text(item.voluntary)),
    h('td', { 'data-label': '收费周期' }, text(item.billing_period)),
    h('td', { 'data-label': '备注' }, item.settlement ? `结算：${text(item.settlement)}${item.notes ? '；' : ''}` : '', text(item.notes)));
}

function disclosure(profile, d, policy) {
  const name = profile.name;
  const term = policy.terms[d.term] || text(d.term);
  const items = d.items || [];
  return h('section', { key: text(d.term) },
    h('h2', {}, `${term}收费公示`),
    h('p', { className: 'xw-facts' }, `公示日期：${text(d.published)}；执行期间：${text(d.valid_from)} 至 ${text(d.valid_until)}`,
      d.channels && d.channels.length ? `；公示渠道：${d.channels.join('、')}` : ''),
    items.length === 0 ? h('p', {}, '本学期没有收费项目。') : h('div', { className: 'xw-table-wrap' },
      h('table', { className: 'xw-fees' },
        h('caption', {}, `${text(name)} ${term}收费项目（共 ${items.length} 项）`),
        h('thead', {}, h('tr', {}, ['项目', '类别', '标准', '收费范围', '收费依据', '是否自愿', '收费周期', '备注']
          .map((c) => h('th', { scope: 'col', key: c }, c)))),
        h('tbody', {}, items.map((item, i) => feeRow(item, policy.catalog, i, profile))))),
    d.reductions ? h('p', {}, `减免政策：${text(d.reductions)}`) : null,
    d.complaint_channels ? h('p', {}, `投诉举报渠道：${d.complaint_channels.join('、')}`) : null);
}

function preview(policy) {
  return function SchoolPreview({ entry }) {
    const data = entry.get('data').toJS();
    const profile = data.profile || {};
    const disclosures = data.fee_disclosures || [];
    return h('article', { className: 'md-typeset xw-school', style: { padding: '0 1.2rem' } },
      h('h1', {}, text(profile.name) || '（未填写学校名称）'),
      h('p', { className: 'xw-lede' }, [profile.county, profile.ownership, (profile.stages || []).join('、')].filter(Boolean).join(' · ')),
      h('p', { className: 'xw-sub' }, '预览：保存后由检查程序（xiaowu check）按本局规定全面检查，结果见合并请求。'),
      disclosures.length ? disclosures.slice(0, 2).map((d) => disclosure(profile, d, policy)) : h('p', { className: 'xw-warn' }, '还没有收费公示。'),
      h('h2', {}, '投诉举报电话'),
      h('ul', {}, (data.hotlines || []).map((line, i) => h('li', { key: i }, `${text(line.name)}：${text(line.phone)}${line.hours ? `（${text(line.hours)}）` : ''}`))));
  };
}

const editor = await fetch('editor.json').then((r) => r.json());
// The public pages' own style sheets (the theme's and ours), so the preview looks like the school page.
for (const sheet of editor.styles) {
  CMS.registerPreviewStyle(sheet);
}
for (const county of editor.counties) {
  CMS.registerPreviewTemplate(county, preview(editor));
}
CMS.init();
