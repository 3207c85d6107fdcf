# The rule table: every diagnostic code with its severity, Chinese wording, how to fix it and its basis.
#
# This is the single place where rule wording lives; the CLI, the MkDocs build, the rules page and
# the clerk guide all read it. Codes are stable: never renumber, only add or retire.
from __future__ import annotations

import re

from dataclasses import dataclass

# Bases, quoted on every diagnostic and on the public rules page. Only documents and articles that
# the project's domain brief names are cited; local documents are the bureau's own policy file.
_SIZE = "单个学校资料文件不超过 256 KB：防止误粘贴的大段内容或超大文件拖慢、拖垮全县网站的生成"
_ENCODING = "资料文件须为 UTF-8 编码：网站、Git 和各地电脑都按 UTF-8 读取中文，其他编码会变成乱码公开"
_CHARS = "公开内容必须与学校填写的一字不差：看不见的字符会让同样的文字比对不上（如禁止收费项目、学校名称），或被读成别的结构"
_SYNTAX = "资料文件使用 YAML 格式（“字段: 值”，用缩进表示层级）；格式有错时无法可靠读取整份资料，因此整份不公开"
_SCHEMA = "本系统数据格式（网站“数据格式”页）：字段名称、结构和可选值都有规定，写错的内容不会被悄悄公开或丢弃"
_VALUES = "金额、日期、电话、网址和数字按固定写法检查，保证公开的数字与填写的完全一致，不会被误读成别的数值"
_IDS = "学校代号就是文件名，决定学校页面和数据文件的网址，必须唯一，且不能与网站自用的名称冲突"
_COUNTIES = "县区代号和名称以本局 policy.yml 的 counties 为准，学校页面按县区归类"
_DATES = "《教育收费公示制度》（计价格〔2002〕792号）：先公示、后收费；学期以本局学期安排（policy.yml 的 terms）为准"
_GONGSHI = "《教育收费公示制度》（计价格〔2002〕792号）；发改价检〔2003〕781号；《中华人民共和国教育法》第30条"
_CATALOG = "本局收费项目及标准（policy.yml 的 catalog）：凡未经批准的收费项目不允许学校收费；超标准收费属违规收费"
_COMPULSORY = "《中华人民共和国义务教育法》第2条：实施义务教育，不收学费、杂费；国家课程教科书免费提供（两免一补）"
_FORBIDDEN = "《教育收费公示制度》（计价格〔2002〕792号）；本局禁止收费项目（policy.yml 的 forbidden）"
_VOLUNTARY = "服务性收费、代收费、伙食费遵循自愿原则；代收费据实收取、及时结算、多退少补、定期公布（本局收费政策）"
_TERM = "教育收费按学期收取，不得跨学期、跨学年预收；按学年、按年收取的项目须经本局在收费目录中允许（本局收费政策）"
_BOARDING = "住宿费属行政事业性收费，只向在校住宿的学生收取（本局收费项目及标准）"
_HOTLINE = "《教育收费公示制度》（计价格〔2002〕792号）要求公示投诉举报电话；12345 政务服务便民热线，12315 市场监管投诉举报热线（受理价格收费投诉）"
_EVAL = "本局行风评议（满意度测评）结果公开要求：数据应自洽，末等次或排名末三位的须公开整改措施"
_PII = "《中华人民共和国个人信息保护法》第25、28、31条；《中华人民共和国未成年人保护法》"
_ROSTER = "本局应公开学校名单（policy.yml 的 roster）"
_EXCEPTION = "经本局审核登记的例外须公开说明理由和依据；例外只能由本局在 schools/exceptions.yml 中登记（学校不能自行批准）"
_FILES = "本系统数据格式要求：只发布资料文件夹中以 .yml 结尾的普通文件，链接和特殊文件一律不读取，以免发布文件夹以外的内容"
_HOTLINE_TRUST = "《教育收费公示制度》（计价格〔2002〕792号）要求公示投诉举报电话；本局和 12345/12315/12388 等投诉电话的名称和号码只能由本局在 policy.yml 中公布，学校电话不得使用或仿冒"
_IDENTITY = "本局应公开学校名单（policy.yml 的 roster）：公开的学校名称以本局名单为准，防止冒用其他学校名义"
_SETTLE = ("代收费据实收取、及时结算、多退少补、定期公布，不得盈利；伙食费、课后服务费专款专用，学期末公示收支情况"
           "（本局收费政策，policy.yml 的 settlement）")
_CARRY = "代收费结余应全部退还学生（多退少补）；只有本局允许的项目（policy.yml 的 settlement.carry_over）可以结转下学期使用"
_NO_PROFIT = "代收费是学校为方便学生代收代付的费用，按实际成本收取，不得盈利，不得从中提取管理费、手续费"
_CLEAR = "《教育收费公示制度》（计价格〔2002〕792号）；违规收取的费用应清退，清退情况由本局核实后公开（本局检查和投诉核查的处理决定）"
_FIGURES = "本局投诉举报情况通报：公开的数字须能相互核对（各项之和等于总数），办结率由系统按办结件数计算，不手工填写"
_ROSTER_PII = ("《中华人民共和国个人信息保护法》第25、28、31条；《中华人民共和国未成年人保护法》：资助、减免、退费名单"
               "只公开人数和金额，不公开学生姓名、学号")

_SHEET = ("本局收费公示表（xiaowu xlsx template 生成的工作簿）：每一格按固定的栏目和写法导入学校资料文件，"
          "导入的内容必须与表格所填完全一致，看不准的内容不猜测、不导入")
_SHEET_PHONE = "《教育收费公示制度》（计价格〔2002〕792号）要求公示投诉举报电话；公开的号码必须能拨通，座机要带区号（开头的 0）"
_SHEET_ID = "本局应公开学校名单（policy.yml 的 roster）和学期安排（terms）：一份表格只属于一所学校的一个学期，不能填到别的学校或学期里"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "error" | "warning"
    title: str
    message: str
    help: str
    basis: str
    #: Whether a school may record a reviewed exception to this rule.
    waivable: bool = False

    @property
    def help_text(self) -> str:
        """The help without the per-finding details (placeholders become "…").

        >>> RULES["Y001"].help_text
        '一所学校一个文件，正常不会超过 … 字节；请检查是否粘贴了大段无关内容'
        """
        return re.sub(r"\{[a-z_]+\}", "…", self.help).replace("{{", "{").replace("}}", "}")


_RULES: list[Rule] = [
    # Y: the file itself (encoding, characters, YAML syntax)
    Rule("Y001", "error", "文件过大", "文件有 {size} 字节，超过 {limit} 字节的上限",
         "一所学校一个文件，正常不会超过 {limit} 字节；请检查是否粘贴了大段无关内容", _SIZE),
    Rule("Y002", "error", "文件不是 UTF-8 编码", "文件不是 UTF-8 编码{guess}，第一个无法识别的字节在这里",
         "用记事本或 WPS 打开文件，选择“另存为”，编码选“UTF-8”后保存", _ENCODING),
    Rule("Y003", "error", "文件是 UTF-16 编码", "文件是 UTF-16（记事本里叫“Unicode”）编码",
         "用记事本打开文件，选择“另存为”，编码选“UTF-8”后保存", _ENCODING),
    Rule("Y004", "error", "含有 Tab 字符", "这里有 Tab 字符",
         "YAML 不允许用 Tab，请改为半角空格（每级缩进 2 个空格）", _CHARS),
    Rule("Y005", "error", "含有全角空格或不换行空格", "这里有{name}（{codepoint}）",
         "请改为半角空格；中文输入法下按 Shift+空格 可切换全角/半角", _CHARS),
    Rule("Y006", "error", "含有不可见字符", "这里有不允许的不可见或易混淆字符（{codepoint}）",
         "请删除该字符（常见于从网页、Word 或微信复制的文字）；看不见时，可删除这一处前后的几个字后重新输入", _CHARS),
    Rule("Y007", "error", "格式错误", "格式错误：{problem}（本文件其余内容没有检查，改正后请重新检查）",
         "文字含有 : # [ ] {{ }} @ & * ! | > 等符号或以它们开头时，请给整段文字加半角引号；"
         "并检查同一层级的缩进是否对齐", _SYNTAX),
    Rule("Y008", "error", "使用了全角冒号", "这里用了全角冒号“：”",
         "字段名后面请用半角冒号加一个空格，例如 name: 青石县第一中学", _SYNTAX),
    Rule("Y009", "error", "使用了 & * ! 语法", "不允许使用{what}",
         "请直接写出内容，不要用 & * ! 引用或标注；文字以 & * ! 开头时请加引号", _SYNTAX),
    Rule("Y010", "error", "一个文件有多份资料", "一个文件只能有一份资料（不要用 ---）",
         "删除多余的 --- 行；另一所学校的内容请放到单独的文件里", _SYNTAX),
    Rule("Y011", "error", "层级太深", "层级太深（超过 {limit} 层）",
         "请检查缩进，同一层级的字段要对齐", _SYNTAX),
    Rule("Y012", "error", "字段重复", "字段“{key}”重复（第 {first} 行已有）",
         "删除其中一个。同一层级的字段名不能重复，否则前一个会被悄悄覆盖", _SYNTAX),
    Rule("Y013", "error", "字段名不是普通文字", "字段名必须是普通文字",
         "字段名用模板中的英文小写字母，不要留空，不要用列表、~ 或 ? 语法", _SYNTAX),
    Rule("Y014", "error", "“ #”后的文字被当作注释", "“ #”后的文字会被当作注释丢弃：“{comment}”",
         "注释请另起一行；如果内容里本来就有 #，请给整段文字加半角引号", _SYNTAX),
    Rule("Y015", "error", "文件为空或结构不对", "{what}",
         "文件应以“字段: 值”的形式书写（冒号为半角，冒号后有空格）；可用 xiaowu new 生成模板", _SYNTAX),
    Rule("Y016", "error", "不是普通文件", "{what}，没有读取",
         "资料文件夹中只能放普通文件：请删除这个链接或特殊文件，把真正的内容直接保存在这里", _FILES),
    Rule("Y017", "error", "文件无法读取", "文件无法读取（{reason}）",
         "请检查文件权限，或重新保存该文件", _FILES),
    Rule("Y018", "error", "文件名不对，不会发布", "文件名“{name}”不是 .yml 结尾，其中的内容不会被检查和发布",
         "学校文件的名称是“学校代号.yml”（全部小写，如 qingshi-yizhong.yml）；"
         "记事本另存为时请把“保存类型”选为“所有文件”，以免变成 .yml.txt。不需要的文件请删除", _FILES),
    # S: the data format (schema)
    Rule("S101", "error", "必填字段未填写", "“{field}”（{title}）未填写",
         "请补上 {field}: …（{description}）", _SCHEMA),
    Rule("S102", "error", "未知字段", "未知字段“{field}”{suggestion}",
         "字段名写错时内容不会公开。允许的字段：{allowed}", _SCHEMA),
    Rule("S103", "error", "结构不对", "“{field}”应为{expected}，这里是{actual}", "{shape_help}", _SCHEMA),
    Rule("S104", "error", "取值不在可选范围", "“{field}”只能填写：{allowed}（这里是“{value}”）",
         "{description}", _SCHEMA),
    Rule("S105", "error", "金额格式不对", "金额“{value}”格式不对",
         "金额只写阿拉伯数字，最多两位小数，例如 120 或 85.50；不要写“元”“¥”、逗号或“万”", _VALUES),
    Rule("S106", "error", "日期不对", "日期“{value}”不对{reason}",
         "日期写成 2026-03-01（年-月-日，月和日都用两位数），并确认这一天存在", _VALUES),
    Rule("S107", "error", "网址不能公开", "网址“{value}”不能公开",
         "网址必须以 http:// 或 https:// 开头，后接网站域名，且不含空格、引号和“@”", _VALUES),
    Rule("S108", "error", "数字格式不对", "“{field}”应为{kind}，这里是“{value}”",
         "只写阿拉伯数字{extra}", _VALUES),
    Rule("S109", "error", "内容为空", "“{field}”不能为空", "{description}", _SCHEMA),
    Rule("S110", "error", "学校代号不合规", "学校代号“{value}”不合规",
         "文件名就是学校代号：只能用小写英文字母、数字和“-”，以字母或数字开头和结尾，最长 64 个字符，"
         "不能用 con、nul 等系统保留名，例如 qingshi-yizhong.yml", _IDS),
    Rule("S111", "error", "学校代号重复", "学校代号“{value}”重复（{other} 也用了）",
         "每所学校的代号（文件名）在全县必须唯一，请改名其中一个", _IDS),
    Rule("S112", "error", "县区不一致", "{what}",
         "学校文件放在 schools/<县区代号>/ 下；县区代号和名称以 policy.yml 的 counties 为准", _COUNTIES),
    Rule("S113", "error", "日期先后不对", "{what}",
         "检查日期：发布日期不能晚于有效期开始，有效期结束不能早于开始", _DATES),
    Rule("S114", "error", "学期不在学期安排中", "学期“{value}”不在本局学期安排中",
         "学期只能填 policy.yml 的 terms 中已列出的：{allowed}", _DATES),
    Rule("S115", "error", "记录重复", "{what}重复（第 {first} 行已有）",
         "每个学期只写一份收费公示、每年每类测评只写一条；往期内容保留，不要重复", _SCHEMA),
    Rule("S116", "error", "格式不对", "“{field}”格式不对（“{value}”）", "{description}", _SCHEMA),
    Rule("S117", "error", "内容过长", "“{field}”{what}", "{advice}", _SCHEMA),
    Rule("S118", "error", "代号与网站页面冲突", "代号“{value}”{reason}",
         "index、readme 是网站自用的名称，学校代号也不能与县区代号相同；请换一个代号（改文件名）", _IDS),
    # F: fee disclosures
    Rule("F201", "error", "没有收费标准", "收费项目“{item}”没有收费标准",
         "填写 amount（金额）；确实无法事先定价的，pricing 写明定价方式（据实收取、以支定收、按教材定价或按招标价）",
         _GONGSHI, waivable=True),
    Rule("F202", "error", "缺少收费依据文号", "{category}“{item}”缺少收费依据文号",
         "在 basis 下填写 document，照原文写，例如 青发改收费〔2024〕12号；原文只有文件名称的写在 title 中", _GONGSHI,
         waivable=True),
    Rule("F203", "warning", "文号不完整", "收费依据文号“{value}”看起来不完整",
         "文号通常写成“机关代字〔年份〕序号号”，例如 青发改收费〔2024〕12号（年份可用〔〕【】[] 或圆括号括起）；"
         "照批准文件原文填写", _GONGSHI,
         waivable=True),
    Rule("F204", "error", "缺少减免政策", "{term}收费公示缺少减免政策",
         "在 reductions 中写明家庭经济困难学生等的减免办法", _GONGSHI),
    Rule("F205", "error", "缺少投诉举报电话", "{term}收费公示没有可拨打的投诉举报电话",
         "在 complaint_channels 中列出本文件 hotlines 里的电话名称、本局电话名称，或 12345/12315", _HOTLINE),
    Rule("F206", "error", "未经批准的收费项目", "收费项目“{item}”不在本局批准的收费目录中（{kind}）",
         "凡未经批准的收费项目不允许学校收费。请核对名称是否与目录一致；本类学校可收：{allowed}", _CATALOG,
         waivable=True),
    Rule("F207", "error", "超标准收费", "“{item}”收费 {amount} 元，超过本局核定标准 {cap} 元（{unit}）",
         "按核定标准收取，不得超标准收费；已多收的应清退", _CATALOG, waivable=True),
    Rule("F208", "error", "义务教育阶段收取学杂费", "公办义务教育学校不得收取“{item}”",
         "义务教育不收学费、杂费，国家课程教科书免费；如为本校高中学段的收费，请填写 stage: 高中", _COMPULSORY),
    Rule("F209", "error", "禁止收取的费用", "“{item}”属于禁止收取的费用（{forbidden}）",
         "删除该收费项目，已收的应清退。{note}", _FORBIDDEN),
    Rule("F210", "error", "未注明自愿", "{category}“{item}”必须注明自愿",
         "服务性收费、代收费和伙食费由家长自愿选择，voluntary 请填“是”。民办学校经批准的学费、住宿费，"
         "类别请填“民办学校收费”", _VOLUNTARY, waivable=True),
    Rule("F211", "error", "代收费未写结算方式", "代收费“{item}”没有写明结算方式",
         "在 settlement 中写明，例如：据实收取，学期末结算，多退少补，定期公布", _VOLUNTARY, waivable=True),
    Rule("F212", "error", "收费周期未经批准", "“{item}”按{period}收取，本局目录不允许（可按：{allowed}）",
         "按本局目录允许的周期收取，不得跨学期预收；确需按学年、按年收取的（如医疗保险），须由本局在目录中写明", _TERM,
         waivable=True),
    Rule("F213", "error", "非寄宿制学校收住宿费", "学校不是寄宿制学校（boarding: 否），不能收取“{item}”",
         "删除该收费项目；如学校确有寄宿，请把学校信息中的 boarding 改为“是”", _BOARDING, waivable=True),
    Rule("F214", "error", "住宿费范围不限于住宿生", "住宿费的收费范围应只限住宿生（这里是“{scope}”）",
         "scope 写明“住宿生”或“寄宿生”，例如：在校住宿学生", _BOARDING, waivable=True),
    Rule("F215", "warning", "计费单位与目录不一致", "“{item}”的计费单位“{unit}”与目录的“{catalog_unit}”不一致",
         "按目录的计费单位填写，避免家长误读", _CATALOG, waivable=True),
    Rule("F216", "error", "收费项目重复", "收费项目“{item}”在本学期重复（第 {first} 行已有）",
         "同一学期同一项目只写一次；不同学段的标准用 stage 区分，不同年级或档次的标准用 tier 区分", _GONGSHI),
    Rule("F217", "warning", "需注明学段", "“{item}”在目录中按学段有不同标准，请注明 stage",
         "填写 stage: 后接 {stages} 中的一个", _CATALOG, waivable=True),
    Rule("F218", "error", "收费依据是占位文字", "收费依据写的是“{value}”，没有说明真实的批准机关或文号",
         "照批准文件填写批准机关和文号；确实查不到依据的收费不能收取，请向本局核实", _GONGSHI),
    Rule("F219", "error", "未写明档次", "“{item}”{what}（本局目录的档次：{tiers}）",
         "在 tier 中写本校适用的档次，须与本局目录的档次名称一致；标准不得超过该档次的上限", _CATALOG,
         waivable=True),
    Rule("F220", "error", "本县区不能收取的项目", "“{item}”只允许在 {counties} 收取",
         "本局目录限定了可以收取该项目的县区，本校所在县区不能收取；请删除该项目", _CATALOG, waivable=True),
    Rule("F221", "warning", "只有文件名称没有文号", "{category}“{item}”的收费依据只有文件名称“{title}”，没有文号",
         "向批准机关或本局查询该文件的文号，填在 document 中", _GONGSHI, waivable=True),
    # H: hotlines
    Rule("H301", "error", "电话号码格式不对", "电话号码“{value}”格式不对{reason}",
         "座机写区号加号码，如 0712-1234567；手机写 11 位；也可写 12345、12315、12388 等服务号码", _HOTLINE),
    Rule("H302", "warning", "旧的价格举报电话", "12358 价格举报电话已并入 12315/12345",
         "请改为 12315（市场监管投诉举报）或 12345（政务服务便民热线）", _HOTLINE, waivable=True),
    Rule("H303", "error", "投诉渠道找不到电话", "投诉渠道“{value}”找不到对应的电话",
         "填写本文件 hotlines 中某个电话的 name、本局电话的 name，或直接写 12345/12315/12388；可用：{allowed}",
         _HOTLINE),
    Rule("H305", "error", "冒用投诉电话", "学校电话“{value}”{reason}",
         "本局投诉电话和 12345、12315、12388 等由 policy.yml 统一列出，并在每所学校页面上排在最前面；"
         "学校自己的电话请用本校名义命名（如“学校收费监督电话”），使用本校号码。要引用本局或公共电话，"
         "在 complaint_channels 中写它们的名称即可", _HOTLINE_TRUST),
    Rule("H304", "warning", "未列出本局电话或 12345/12315", "{term}收费公示缺少{missing}",
         "在 complaint_channels 中同时列出本局投诉电话和 12345 或 12315", _HOTLINE, waivable=True),
    # V: conduct evaluations (行风评议 / 满意度测评)
    Rule("V401", "error", "分数超出范围", "“{field}”为 {value}，应在 0–100 之间",
         "得分和满意度都按百分制填写，满意度不写“%”", _EVAL),
    Rule("V402", "error", "名次超过参评总数", "名次 {rank} 超过参评总数 {total}",
         "核对 rank（名次）和 ranked_total（参评单位总数）", _EVAL),
    Rule("V403", "error", "等次不在等次设置中", "等次“{grade}”不在本条记录的等次设置中（{grades}）",
         "grade 必须是 grade_set 中的一个；不同地方的等次设置不同，以本次测评通知为准", _EVAL),
    Rule("V404", "error", "有效问卷多于发放", "有效问卷 {valid} 份多于发放的 {issued} 份",
         "核对 respondents_issued（发放）和 respondents_valid（有效）", _EVAL),
    Rule("V406", "error", "名次或参评数为 0", "“{field}”为 0",
         "名次从 1 开始；参评单位数至少为 1。没有排名时不写这两项", _EVAL),
    Rule("V405", "error", "须公开整改措施", "{reason}，须列出整改措施",
         "在 rectifications 中列出问题（issue）、措施（measure）和进度（status）", _EVAL),
    # P: personal data
    Rule("P501", "error", "含有身份证号", "文字中疑似有身份证号（{masked}）",
         "身份证号、学籍号属于个人信息，不能公开，请删除", _PII),
    Rule("P502", "error", "含有个人手机号", "文字中疑似有个人手机号（{masked}）",
         "个人手机号不能写在说明文字里；对外电话请写在 hotlines 中", _PII),
    Rule("P503", "warning", "可能含有姓名", "这段文字可能含有学生或家长姓名（“{snippet}”）",
         "公开内容不写学生、家长或投诉人的姓名，可改写为“某同学”“某家长”", _PII),
    Rule("P504", "error", "名单含有学生姓名或学号", "这里像是列出了学生{what}（“{snippet}”）",
         "资助、减免、退费名单不公开个人信息：只写人数和金额（如“退费 1200 人，每生 10 元”），删除姓名和学号", _ROSTER_PII),
    # M: the money after the notice (settlements by schools; refunds and inspections by the bureau)
    Rule("M801", "error", "结算收支对不上", "“{item}”的结算对不上：收入 {income} 元，支出、退还和结转合计 {outgo} 元，{difference}",
         "收入（上期结转 + 收取金额 + 其他收入）应等于支出合计 + 退还金额 + 结转下学期。"
         "结余应退还学生（refunded）；支出多于收入时，在 shortfall 写超支金额、在 shortfall_covered_by 写由谁承担", _SETTLE),
    Rule("M802", "error", "结余不能结转", "“{item}”的结余 {carried} 元转入下学期，本局不允许该项目结转",
         "结余应在学期末退还学生（写在 refunded 中）；确需结转的项目由本局在 policy.yml 的 settlement.carry_over 中列出", _CARRY),
    Rule("M803", "error", "代收费不得盈利", "代收费“{item}”的支出中有“{purpose}”（{amount} 元）",
         "代收费只能用于代购、代付的实际费用，不能列支管理费、手续费、劳务费或留作学校收入；已提取的应退还学生", _NO_PROFIT),
    Rule("M804", "error", "结算找不到对应的收费", "{what}",
         "结算的学期（term）和项目名称（item）要与本文件中该学期收费公示的项目一致；同一项目分学段或档次公示的，写 stage 或 tier",
         _SETTLE),
    Rule("M805", "error", "收取金额超过公示标准", "“{item}”收取 {collected} 元，超过公示标准 {amount} 元 × {students} 人 = {limit} 元",
         "核对收取金额和缴费人数；按公示标准收取，已多收的应退还", _CATALOG),
    Rule("M806", "error", "退费人数或金额不符", "“{item}”{what}", "核对缴费人数、退费人数、每生退费和退还金额", _SETTLE),
    Rule("M811", "error", "清退金额不对", "实际清退 {refunded} 元多于应清退的 {amount} 元",
         "核对 refunded（实际清退金额）和 amount（应清退金额）", _CLEAR),
    Rule("M812", "warning", "清退不足额", "清退已完成，但实际清退 {refunded} 元少于应清退的 {amount} 元",
         "在 notes 中写明差额的原因和去向（如无法联系的毕业生款项已上缴财政）", _CLEAR),
    Rule("M813", "error", "检查或清退记录指向不明", "{what}",
         "学校代号写学校文件名（不含 .yml），须在本局应公开学校名单中", _CLEAR),
    # C: the bureau's complaint figures
    Rule("C901", "error", "投诉举报数字对不上", "{period}{what}",
         "核对通报原文：各渠道、各类别、各县区之和都要等于受理总数；已办结 + 办理中 = 受理总数 + 上期转入；"
         "办结结果之和等于已办结件数。只列主要类别时，把其余的合并为“其他”", _FIGURES),
    Rule("C902", "error", "办结率不用填写", "“{field}”由系统计算，不要填写",
         "删除这一行；网站按已办结件数 ÷（受理总数 + 上期转入）计算办结率，保证与公开的件数一致", _FIGURES),
    Rule("C903", "error", "上年同期数不一致", "{period}的上年同期受理数写的是 {typed} 件，本文件 {previous} 的记录是 {actual} 件",
         "本文件已有上年同期记录时，删除 same_period_last_year，或改成与记录一致", _FIGURES),
    # X: reviewed exceptions
    Rule("X701", "error", "例外记录无效", "例外记录的规则代码“{value}”{reason}",
         "只能对收费、电话类业务规则（F、H 开头且可例外的）登记例外；格式和个人信息问题不能例外", _EXCEPTION),
    Rule("X702", "warning", "例外记录未使用", "例外记录“{value}”没有对应的问题",
         "问题已改正时请删除这条例外，以免公开页面误导", _EXCEPTION),
    Rule("X703", "error", "学校不能自行登记例外", "学校文件中不能写 exceptions（例外）",
         "删除 exceptions 部分。确需例外的，请向本局申请；经审核同意后由本局登记在 schools/exceptions.yml 中",
         _EXCEPTION),
    Rule("X705", "error", "学校不能自行登记检查和清退", "学校文件中不能写 {key}（{what}）",
         "删除这一部分。检查、整改、责令清退和投诉举报统计由本局登记在 schools/oversight.yml 中，学校页面从那里显示；"
         "学校自己的学期末收支结算写在 settlements 中", _CLEAR),
    Rule("X704", "error", "例外记录指向不明", "例外记录{what}",
         "学校代号写学校文件名（不含 .yml）；学期写 policy.yml 中的学期；与收费项目有关的规则（F 开头）要写 item", _EXCEPTION),
    # W: spreadsheet-born problems (`xiaowu xlsx import`), located at a cell such as 本学期收费!D7
    Rule("W901", "error", "工作簿无法读取", "无法读取这个文件{reason}",
         "请用 Excel 或 WPS 打开，选择“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”后保存，再导入 .xlsx 文件", _SHEET),
    Rule("W902", "warning", "不是 .xlsx 格式", "这是{kind}格式的文件，已按原样读取",
         "下次请在 WPS 或 Excel 中“另存为”“Excel 工作簿（*.xlsx）”：旧格式不保存下拉选项和文本格式，容易出错", _SHEET),
    Rule("W903", "error", "缺少工作表", "找不到工作表“{sheet}”{found}",
         "工作表名称不能改动，也不能删除；请把名称改回“{sheet}”，或用教育局发的模板重新填写", _SHEET),
    Rule("W904", "error", "不是本局的收费公示表模板", "{what}",
         "请用 xiaowu xlsx template 生成（教育局发下）的收费公示表填写，不要用其他表格", _SHEET),
    Rule("W905", "error", "表格是另一所学校的", "{what}",
         "每所学校用自己的表格：学校代号和名称已由教育局填好，不要改动；请向教育局要本校的表格", _SHEET_ID),
    Rule("W906", "error", "表格不是这个学期的", "{what}",
         "请用本学期的表格填写（表格的“基本信息”中写有学期）；导入时用 --term 指定的学期要与表格一致", _SHEET_ID),
    Rule("W907", "error", "栏目不对", "{what}",
         "不要增加、删除或改名栏目；多出的内容请写在“备注”栏；栏目被删请用教育局发的模板重新填写", _SHEET),
    Rule("W908", "warning", "栏目名称被改动", "栏目“{found}”应为“{expected}”，已按“{expected}”导入",
         "请把栏目名称改回“{expected}”，不要改动表头", _SHEET),
    Rule("W909", "error", "合并了单元格", "{cells} 是合并的单元格，不知道内容属于哪一行或哪一栏",
         "请取消合并（开始 → 合并居中 → 取消合并），每一格分别填写", _SHEET),
    Rule("W910", "error", "这一行是别的学校的", "这一行的学校名称是“{found}”，不是本校“{school}”",
         "这一行可能是从别的学校表格复制来的；请清空这一行，按本校的实际情况填写", _SHEET_ID),
    Rule("W911", "error", "隐藏的行有内容", "第 {row} 行被隐藏了，但有内容，不知道是否要公示",
         "请取消隐藏（选中上下两行 → 右键 → 取消隐藏）：本学期要收的项目保留，不收的项目清空这一行的内容", _SHEET),
    Rule("W912", "warning", "单元格是公式", "这一格是公式 {formula}，已按计算结果“{value}”导入",
         "公示的数字请直接填写，不用公式（复制后选择性粘贴为数值），以免引用的格子改动后公示内容跟着变", _SHEET),
    Rule("W913", "error", "公式没有计算结果", "这一格是公式 {formula}，文件中没有它的计算结果",
         "请在 Excel 或 WPS 中打开并保存一次，或把公式改为直接填写的数值", _SHEET),
    Rule("W914", "error", "电话号码丢了开头的 0", "号码“{value}”开头的 0 丢了（单元格是数字格式时会这样），应为“{fixed}”",
         "把这一格设为“文本”格式（右键 → 设置单元格格式 → 文本）后重新输入完整号码，如 {fixed}", _SHEET_PHONE),
    Rule("W915", "warning", "数字存成了文字", "“{value}”是文字格式的数字，已按数字 {number} 导入",
         "金额和人数请填数字，不写“元”、逗号和空格；文字格式的数字无法求和核对", _SHEET),
    Rule("W916", "warning", "金额有计算误差", "金额 {value} 带有计算误差，已按 {number} 导入",
         "请直接填写金额（最多两位小数）；这种误差通常来自公式或从别处复制的计算结果", _SHEET),
    Rule("W917", "warning", "日期写成了文字", "日期“{value}”是文字，已按 {date} 导入",
         "日期请写成 2026-09-01 这样的日期格式；“2026.9.1”“2026年9月1日”是文字，容易被读错", _SHEET),
    Rule("W918", "warning", "日期存成了数字", "这一格是数字 {value}，已按日期 {date} 导入",
         "把这一格设为日期格式（右键 → 设置单元格格式 → 日期），确认显示的日期正确", _SHEET),
    Rule("W919", "warning", "日期带有时间", "这一格是 {value}，只导入日期 {date}",
         "公示日期只填日期，不填时间", _SHEET),
    Rule("W920", "warning", "全角数字", "“{value}”中有全角数字或符号，已按“{fixed}”导入",
         "请用半角数字（中文输入法下按 Shift+空格 切换全角/半角）", _SHEET),
    Rule("W921", "warning", "首尾有空格", "“{value}”的开头或结尾有空格，已去掉",
         "请删除多余的空格：开头或结尾的空格会让项目名称、电话名称比对不上", _SHEET),
    Rule("W922", "warning", "合计行不导入", "“{value}”这一行是合计，没有导入",
         "收费公示只列各个项目，不用写合计行；请清空这一行", _SHEET),
    Rule("W923", "error", "找不到学校资料文件", "找不到学校代号“{value}”的资料文件",
         "表格只能导入已有资料文件的学校；新学校请先用 xiaowu new 生成资料文件", _SHEET_ID),
    Rule("W924", "error", "资料文件无法自动写入", "{what}",
         "请先运行 xiaowu check 修正资料文件，或请维护人员手工写入这一学期的内容", _SHEET),
    # R: the roster
    Rule("R601", "warning", "学校不在名单中", "学校“{value}”不在 policy.yml 的应公开名单（roster）中",
         "请本局在 roster 中登记该校，或确认文件是否放错了位置", _ROSTER),
    Rule("R603", "error", "学校名称与名单不一致", "学校名称“{name}”与本局应公开学校名单中的“{roster}”不一致",
         "学校名称以本局名单（policy.yml 的 roster）为准，与公章一致；名单有误请联系本局更正", _IDENTITY),
    Rule("R604", "error", "学校名称重复", "学校名称“{name}”与 {other} 相同",
         "每所学校的名称必须唯一，请写学校全称（含县区名）；如确为两所学校，请联系本局核对名单", _IDENTITY),
    Rule("R602", "error", "找不到本局收费政策文件", "找不到本局收费政策文件 {value}",
         "收费目录、学期安排和投诉电话都来自 schools/policy.yml，请由教育局提供该文件", _ROSTER),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


#: The ten problems school clerks meet most, in the order the clerk guide shows them, each with a
#: wrong line and the corrected line. The guide's section is generated from this and RULES.
COMMON_ERRORS: dict[str, tuple[str, str]] = {
    "Y004": ("\tname: 青石县第一中学", "  name: 青石县第一中学"),
    "Y005": ("\u3000\u3000name: 青石县第一中学", "  name: 青石县第一中学"),
    "Y008": ("  name：青石县第一中学", "  name: 青石县第一中学"),
    "Y014": ("    notes: 按实际天数结算 #不盈利", '    notes: "按实际天数结算 #不盈利"'),
    "S101": ("      - item: 住宿费\n        category: 行政事业性收费", "      - item: 住宿费\n        category: 行政事业性收费\n        amount: 290"),
    "S102": ("    amout: 290", "    amount: 290"),
    "F202": ("        basis:\n          authority: 青石市发展和改革委员会",
             "        basis:\n          authority: 青石市发展和改革委员会\n          document: 青石市发改收费〔2025〕18号"),
    "F207": ("        amount: 350", "        amount: 300"),
    "H301": ("    phone: 3739781", "    phone: 0712-3739781"),
    "P502": ("    notes: 有事请联系王老师 13812345678", "    notes: 有事请拨打学校收费监督电话"),
}


def rule_url(code: str) -> str:
    """Where the rules page explains a code, relative to the site root.

    >>> rule_url("F207")
    'rules/#F207'
    """
    return f"rules/#{code}"
