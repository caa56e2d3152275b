/* i18n.js - every string the UI shows, in zh-CN (default) and English.
 *
 * t('key', {name: value}) looks the key up in the current language, falls back to
 * zh-CN, then to the key itself, and replaces {name} placeholders. Enumerations the
 * server sends as codes (programs, flag reasons, roles...) are keys too:
 * label('program', 'hypertension'). The chosen language lives in localStorage so it
 * survives a reload; the server is told through Accept-Language (see api.js). */

import { zhPrograms } from './i18n-programs.js';
import { zhRecords } from './i18n-records.js';
import { zhGroups } from './i18n-groups.js';
import { zhDashboard } from './i18n-dashboard.js';
import { zhScores } from './i18n-scores.js';
import { zhEval } from './i18n-eval.js';
import { zhLoop } from './i18n-loop.js';
import { zhPortal } from './i18n-portal.js';
import { zhForms } from './i18n-forms.js';
import { zhWorklist } from './i18n-worklist.js';
import { zhFollowup } from './i18n-followup.js';
import { zhGrid } from './i18n-grid.js';
import { zhOffline } from './i18n-offline.js';
import { zhHospital } from './i18n-hospital.js';
import { zhVisits } from './i18n-visits.js';
import { zhService } from './i18n-service.js';
import { zhPoints } from './i18n-points.js';
import { zhArea } from './i18n-area.js';
import { zhImmunisation } from './i18n-immunisation.js';
import { zhCare } from './i18n-care.js';

const STORAGE_KEY = 'jiayi.lang';

const zh = {
  'app.name': '家医',
  'app.subtitle': '家庭医生签约与医防融合服务平台',
  'app.loading': '正在加载…',
  'app.lang_switch': 'English',
  'app.lang_switch_title': 'Switch to English',
  'app.logout': '退出登录',
  'app.skip': '跳到主要内容',
  'app.not_found': '页面不存在',
  'app.back_home': '返回首页',
  'app.retry': '重试',
  'app.load_more': '加载更多',
  'app.cancel': '取消',
  'app.close': '关闭',
  'app.save': '保存',
  'app.none': '无',
  'app.colon': '：',
  'app.unknown': '未知',
  'app.yes': '是',
  'app.no': '否',
  'app.total': '共 {n} 条',
  'app.showing': '显示 {shown} / {total} 条',
  'app.error_network': '无法连接服务器，请检查网络后重试',
  'app.error_generic': '操作失败',
  'app.field': '字段：{field}',
  'app.file_position': '第 {row} 行第 {column} 列',
  'app.session_expired': '登录已过期，请重新登录',

  'nav.residents': '居民档案',
  'nav.my_record': '我的档案',
  'nav.flags': '首获登记',
  'nav.worklist': '工作清单',
  'nav.teams': '家医团队',
  'nav.census': '入户率',

  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.hint': '请使用单位分配的账号登录。',
  'login.required': '请输入用户名和密码',
  'login.footer': '数据仅限授权人员在管辖范围内使用，所有访问均记入审计日志。',

  'residents.title': '居民档案',
  'download.xlsx': '下载 Excel',
  'download.csv': '下载 CSV',
  'residents.search_placeholder': '姓名、手机号、身份证号或后四位',
  'residents.search': '搜索',
  'residents.class_all': '全部人群',
  'residents.status_all': '全部状态',
  'residents.signed_all': '签约：全部',
  'residents.signed_true': '已签约',
  'residents.signed_false': '未签约',
  'residents.signed_label': '签约状态',
  'residents.program_all': '全部管理项目',
  'residents.program_label': '管理项目',
  'residents.empty': '没有找到符合条件的居民',
  'residents.col_name': '姓名',
  'residents.col_sex': '性别',
  'residents.col_age': '年龄',
  'residents.col_id': '身份证号',
  'residents.col_class': '人群分类',
  'residents.col_region': '所属区域',
  'residents.col_relation': '与户主关系',
  'residents.col_phone': '联系电话',
  'format.age': '{n}岁',

  'resident.back': '返回居民列表',
  'resident.basic': '基本信息',
  'resident.name': '姓名',
  'resident.sex': '性别',
  'resident.birth_date': '出生日期',
  'resident.age': '年龄',
  'resident.id_number': '身份证号',
  'resident.phone': '联系电话',
  'resident.region': '所属区域',
  'resident.address': '住址',
  'resident.status': '状态',
  'resident.relation': '与户主关系',
  'resident.household': '家庭户',
  'resident.open_household': '查看家庭户',
  'resident.tags': '特殊标识',
  'resident.disabled': '残疾',
  'resident.poverty': '低收入/脱贫',
  'resident.proxy_consent': '同意家属代查',
  'resident.record': '健康档案',
  'resident.record_created': '建档日期',
  'resident.record_opened': '档案开放',
  'resident.record_opened_yes': '已向居民开放',
  'resident.record_opened_no': '未开放',
  'resident.record_consent': '知情同意日期',
  'resident.record_none': '尚未建立健康档案',
  'resident.open_record': '标记档案已开放',
  'resident.close_record': '取消档案开放',
  'resident.open_record_title': '标记档案已向居民开放',
  'resident.open_record_help': '居民签署知情同意后，可在居民端查看本人健康档案。',
  'resident.consent_date': '知情同意日期',
  'resident.record_saved': '档案开放状态已更新',
  'resident.programs': '纳入管理项目',
  'resident.programs_none': '未纳入专项管理',
  'resident.since': '自 {date}',
  'resident.diagnoses': '诊断',
  'resident.diagnoses_none': '暂无诊断记录',
  'resident.diagnosis_icd10': 'ICD-10 编码',
  'resident.diagnosis_date': '诊断日期',
  'resident.diagnosis_note': '备注',
  'resident.add_diagnosis': '新增诊断',
  'resident.diagnosis_saved': '诊断已保存',
  'resident.diagnosis_icd_help': '例如 I10、E11.9',
  'resident.members': '家庭成员',
  'resident.members_none': '暂无家庭成员信息',
  'resident.self': '本人',
  'resident.flags': '首获登记',
  'resident.flags_none': '暂无首获登记',
  'resident.flags_open_count': '{n} 条待处理',
  'resident.team': '签约服务团队',
  'resident.team_none': '所在网格暂无家医团队',
  'resident.team_lead': '团队负责人',
  'resident.contract': '签约',
  'resident.contract_none': '尚未签约',
  'resident.file_flag': '首获登记',
  'resident.audit': '访问记录',
  'resident.audit_show': '查看访问记录',
  'resident.audit_none': '暂无访问记录',
  'resident.audit_at': '时间',
  'resident.audit_user': '用户',
  'resident.audit_action': '操作',
  'resident.audit_resource': '对象',

  'flag.form_title': '首获登记（发现高危/重点人群）',
  'flag.form_help': '“首获负责”：任何工作人员发现需要关注的居民都应登记，由网格家医团队确认后纳入工作清单。',
  'flag.reason': '登记原因',
  'flag.reason_choose': '请选择原因',
  'flag.note': '情况说明',
  'flag.note_placeholder': '简要说明发现的情况',
  'flag.submit': '提交登记',
  'flag.created': '首获登记已提交，等待团队确认',
  'flag.raised_by': '登记人',
  'flag.raised_at': '登记时间',
  'flag.decided_by': '处理人',
  'flag.decision_note': '处理说明',

  'flags.title': '首获登记',
  'flags.subtitle': '管辖范围内发现的高危与重点人群，确认后自动推送到网格团队工作清单。',
  'flags.empty': '没有该状态的首获登记',
  'flags.col_resident': '居民',
  'flags.col_reason': '原因',
  'flags.col_note': '说明',
  'flags.col_raised': '登记',
  'flags.col_status': '状态',
  'flags.col_actions': '操作',
  'flags.confirm': '确认',
  'flags.dismiss': '排除',
  'flags.confirm_title': '确认首获登记',
  'flags.confirm_help': '确认后将为该居民生成一条随访任务，推送到网格团队工作清单。',
  'flags.dismiss_title': '排除首获登记',
  'flags.dismiss_help': '请说明排除原因（必填）。',
  'flags.due_date': '任务截止日期',
  'flags.decision_note': '处理说明',
  'flags.confirmed_toast': '已确认，任务已加入工作清单',
  'flags.dismissed_toast': '已排除该登记',
  'flags.view_worklist': '查看工作清单',
  'flags.note_required': '请填写排除原因',

  'worklist.title': '工作清单',
  'worklist.subtitle': '截至 {date}',
  'worklist.scope_me': '我的任务',
  'worklist.scope_team': '团队：{name}',
  'worklist.scope_team_id': '团队 #{id}',
  'worklist.scope_doctor': '医生 #{id}',
  'worklist.scope_all': '管辖范围内全部',
  'worklist.tab_all': '全部',
  'worklist.last_bp': '血压',
  'worklist.last_fbg': '空腹血糖',
  'worklist.empty': '该分类下没有任务',
  'worklist.col_due': '截止日期',
  'worklist.col_resident': '居民',
  'worklist.col_kind': '任务',
  'worklist.col_status': '状态',
  'worklist.col_note': '说明',
  'worklist.col_action': '操作',
  'worklist.col_region': '区域',

  'household.title': '家庭户 #{id}',
  'household.address': '住址',
  'household.region': '所属区域',
  'household.family_type': '家庭类型',
  'household.head': '户主',
  'household.members': '家庭成员',
  'household.col_name': '姓名',
  'household.col_sex': '性别',
  'household.col_age': '年龄',
  'household.col_relation': '与户主关系',
  'household.col_class': '人群分类',
  'household.col_status': '状态',
  'household.col_proxy': '家属代查',
  'household.census': '入户随访记录',
  'household.census_none': '暂无入户记录',
  'household.census_date': '入户日期',
  'household.census_staff': '入户人员',
  'household.contact_card': '已发放联系卡',
  'household.services_explained': '已讲解服务内容',
  'household.plan': '服务计划',
  'household.add_census': '登记入户',
  'household.census_saved': '入户记录已保存',
  'household.census_form_title': '登记入户随访',

  'teams.title': '家医团队',
  'teams.mine': '我的团队',
  'teams.all_regions': '全部乡镇',
  'teams.empty': '没有找到团队',
  'teams.col_name': '团队名称',
  'teams.col_model': '团队模式',
  'teams.col_institution': '所属机构',
  'teams.col_region': '乡镇',
  'teams.col_members': '成员',
  'teams.members_count': '{n} 人',

  'team.info': '团队信息',
  'team.model': '团队模式',
  'team.institution': '所属机构',
  'team.region': '所在乡镇',
  'team.lead_doctor': '责任医生',
  'team.members': '团队成员',
  'team.col_name': '姓名',
  'team.col_role': '团队角色',
  'team.col_profession': '专业',
  'team.col_phone': '电话',
  'team.col_account': '系统账号',
  'team.grid_cells': '服务网格',
  'team.grid_none': '暂无服务网格',
  'team.col_cell': '网格',
  'team.col_village': '村/社区',
  'team.col_code': '区划代码',
  'team.worklist': '团队工作清单',
  'team.member_worklist': '工作清单',
  'team.back': '返回团队列表',

  'census.title': '入户率',
  'census.subtitle': '入户随访覆盖的家庭户占比（按村/社区统计）',
  'census.subtitle_county': '入户随访覆盖的家庭户占比，按乡镇汇总；点击乡镇查看各村/社区',
  'census.households': '家庭户',
  'census.visited': '已入户',
  'census.rate': '入户率',
  'census.col_region': '区域',
  'census.overall': '合计',
  'census.back_up': '返回上一级',
  'census.empty': '该区域暂无家庭户',

  'sex.M': '男',
  'sex.F': '女',

  'class.1': 'Ⅰ类',
  'class.2': 'Ⅱ类',
  'class.3': 'Ⅲ类',
  'class_long.1': 'Ⅰ类 重点人群',
  'class_long.2': 'Ⅱ类 重点人群家属',
  'class_long.3': 'Ⅲ类 一般人群',

  'status.alive': '在册',
  'status.deceased': '已故',
  'status.moved_out': '已迁出',

  'relation.head': '户主',
  'relation.spouse': '配偶',
  'relation.child': '子女',
  'relation.parent': '父母',
  'relation.grandchild': '孙子女',
  'relation.grandparent': '祖父母',
  'relation.sibling': '兄弟姐妹',
  'relation.child_in_law': '媳婿',
  'relation.other': '其他',

  'program.hypertension': '高血压',
  'program.diabetes': '2型糖尿病',
  'program.smd': '严重精神障碍',
  'program.tb': '肺结核',
  'program.copd': '慢阻肺',
  'program.elderly': '65岁及以上老年人',
  'program.child': '0–6岁儿童',
  'program.maternal': '孕产妇',

  'reason.elderly_living_alone': '独居老人',
  'reason.suspected_hypertension': '疑似高血压',
  'reason.suspected_diabetes': '疑似糖尿病',
  'reason.pregnancy': '怀孕',
  'reason.newborn': '新生儿',
  'reason.mental_health': '精神心理问题',
  'reason.disability': '残疾',
  'reason.frailty': '衰弱',
  'reason.fall_risk': '跌倒风险',
  'reason.poverty': '生活困难',
  'reason.abnormal_exam': '体检异常',
  'reason.other': '其他',

  'flag_status.open': '待处理',
  'flag_status.confirmed': '已确认',
  'flag_status.dismissed': '已排除',

  'task_status.upcoming': '未到期',
  'task_status.due': '待办',
  'task_status.overdue': '逾期',
  'task_status.missed': '漏访',

  'task_kind.first_discovery': '首获核实',
  'task_kind.followup': '随访',
  'task_kind.assessment': '健康评估',
  'task_kind.check': '健康检查',
  'task_kind.visit': '访视',
  'task_kind.exam': '体检',
  'task_kind.renewal': '续约',
  'task_note.contract_renewal': '签约即将到期，请联系居民续约',

  'role.system_admin': '系统管理员',
  'role.health_commission': '卫生健康委',
  'role.center_admin': '机构管理员',
  'role.team_lead': '团队长',
  'role.doctor': '家庭医生',
  'role.nurse': '护士',
  'role.public_health_doctor': '公卫医生',
  'role.village_doctor': '村医',
  'role.assistant': '助理',
  'role.resident': '居民',

  'member_role.lead': '团队长',
  'member_role.specialist': '专科医生',
  'member_role.nurse': '护士',
  'member_role.public_health': '公卫人员',
  'member_role.village_doctor': '村医',
  'member_role.health_manager': '健康管理师',
  'member_role.assistant': '助理',
  'member_role.gp': '全科医生',

  'profession.gp': '全科医生',
  'profession.specialist': '专科医生',
  'profession.nurse': '护士',
  'profession.public_health': '公共卫生',
  'profession.village_doctor': '乡村医生',
  'profession.health_manager': '健康管理师',
  'profession.assistant': '助理',

  'family_type.healthy': '健康家庭',
  'family_type.high_risk': '高危家庭',
  'family_type.chronic': '慢病家庭',
  'family_type.disabled': '残疾人家庭',

  'level.county': '县',
  'level.township': '乡镇',
  'level.village': '村/社区',
  'level.grid': '网格',

  'audit_action.read': '查看',
  'audit_action.create': '新建',
  'audit_action.update': '修改',
  'audit_action.confirm': '确认',
  'audit_action.dismiss': '排除',
  'audit_action.open_record': '开放档案',
  'audit_action.close_record': '关闭档案',

  'field.note': '说明',
  'field.reason': '原因',
  'field.due_date': '截止日期',
  'field.consent_date': '知情同意日期',
  'field.icd10': 'ICD-10 编码',
  'field.diagnosed_on': '诊断日期',
  'field.visit_date': '入户日期',
  'field.username': '用户名',
  'field.password': '密码',
  'field.q': '搜索内容',

  'nav.contracts': '签约',

  'resident.sign': '签约',
  'resident.contract_card': '家庭医生签约',
  'resident.contract_open': '查看签约详情',

  'elig.too_young': '需年满 {n} 岁',
  'elig.too_old': '仅限 {n} 岁及以下',
  'elig.wrong_class': '仅限{cls}人群',
  'elig.not_enrolled': '需纳入{program}管理',
  'elig.age_min': '{n} 岁及以上',
  'elig.age_max': '{n} 岁及以下',
  'elig.age_range': '{min}–{max} 岁',
  'elig.program': '{program}管理对象',

  'sign.title_for': '签约 · {name}',
  'sign.back': '返回居民档案',
  'sign.parties': '签约团队与方式',
  'sign.team': '签约团队',
  'sign.teams_serving': '服务本网格的团队',
  'sign.teams_other': '其他团队（跨网格签约）',
  'sign.doctor': '责任医生',
  'sign.channel': '签约方式',
  'sign.start': '生效日期',
  'sign.start_help': '服务期一年；可为今天，或 90 天内的某一天',
  'sign.cross_grid': '跨网格签约原因',
  'sign.cross_grid_placeholder': '例如：居住地与户籍地不一致、就近就医',
  'sign.cross_grid_help': '所选团队不服务该居民所在网格，请说明原因',
  'sign.packages': '服务包',
  'sign.other_institution': '仅限{name}的团队签约',
  'sign.packages_help': '可多选。不符合签约条件的服务包不可选择，并注明原因。',
  'sign.criteria': '签约条件',
  'sign.times': '{n} 次',
  'sign.free': '免费',
  'sign.hospitals': '“1+1+1”合作医院（可选）',
  'sign.hospitals_help': '居民可在家庭医生之外，再选择一家区（县）级医院和一家市级医院，转诊时优先衔接。',
  'sign.district_hospital': '区（县）级医院',
  'sign.city_hospital': '市级医院',
  'sign.hospital_none': '不选择',
  'sign.hospital_unavailable': '本地区暂无可选医院',
  'sign.summary': '签约费用',
  'sign.choose_package': '请至少选择一个服务包',
  'sign.shares_note': '费用按各服务包的分担规则计算，以签约后系统记录为准。',
  'sign.submit': '确认签约',
  'sign.done': '签约成功',
  'sign.already': '该居民已有有效签约，不能重复签约。',
  'sign.not_alive': '居民状态为“{status}”，不能签约。',
  'sign.need_team': '请选择签约团队',
  'sign.need_doctor': '请选择责任医生',
  'sign.need_start': '请填写生效日期',
  'sign.need_cross_grid': '请填写跨网格签约原因',
  'sign.refused_package': '“{name}”：{detail}',
  'sign.warn_disabled': '面向残疾人；该居民未登记残疾',
  'sign.warn_maternal_child': '面向孕产妇和0–6岁儿童；该居民未纳入相应管理',

  'contract.title': '{name} 的签约服务',
  'contract.number': '协议 #{id}',
  'contract.back_resident': '返回居民档案',
  'contract.doctor_short': '责任医生 {name}',
  'contract.term': '服务期限',
  'contract.days_left': '剩余 {n} 天',
  'contract.starts_in': '{n} 天后生效',
  'contract.ended': '已到期',
  'contract.fee': '费用与分担',
  'contract.fee_total': '签约费用合计',
  'contract.packages_n': '{n} 个服务包',
  'contract.fulfilment': '履约率',
  'contract.fulfilment_n': '已提供 {done} / 应提供 {total} 次',
  'contract.parties': '签约双方',
  'contract.resident': '签约居民',
  'contract.team': '签约团队',
  'contract.doctor': '责任医生',
  'contract.channel': '签约方式',
  'contract.signed_at': '签约时间',
  'contract.previous': '续签/转签自',
  'contract.renewal': '续约',
  'contract.renewal_link': '#{id}，{date} 起生效',
  'contract.renewal_notice': '已续约，新的服务期自 {date} 起生效。',
  'contract.open_renewal': '查看续约',
  'contract.ended_on': '终止日期',
  'contract.end_reason': '终止原因',
  'contract.packages': '签约服务包',
  'contract.entitlements': '服务项目与履约',
  'contract.no_entitlements': '没有服务项目',
  'contract.col_service': '服务项目',
  'contract.col_quantity': '应提供',
  'contract.col_used': '已提供',
  'contract.col_remaining': '剩余',
  'contract.record_service': '记录服务',
  'contract.record_service_title': '记录已提供的服务',
  'contract.used_up': '已用完',
  'contract.remaining_n': '剩余 {n} / {total} 次',
  'contract.delivery_quantity': '次数',
  'contract.delivery_date': '服务日期',
  'contract.delivery_note': '备注',
  'contract.delivery_quantity_bad': '次数应为正整数',
  'contract.delivery_too_many': '最多还可记录 {n} 次',
  'contract.service_recorded': '已记录：{name}',
  'contract.used_automatic': '自动 {n}',
  'contract.used_manual': '手工 {n}',
  'contract.used_carried': '转入 {n}',
  'contract.deliveries': '服务记录',
  'contract.deliveries_help': '随访、体检、就诊、小组活动和专家号预约记录后自动计入对应的服务项目；其他服务由医务人员手工登记。',
  'contract.no_deliveries': '尚未提供服务',
  'contract.col_date': '日期',
  'contract.col_times': '次数',
  'contract.col_source': '来源',
  'contract.col_by': '经办人',
  'contract.col_note': '备注',
  'contract.source_automatic': '自动',
  'contract.source_manual': '手工登记',
  'delivery_source.followup': '随访记录',
  'delivery_source.exam': '体检结果',
  'delivery_source.encounter': '就诊记录',
  'delivery_source.group_attendance': '小组活动',
  'delivery_source.booking': '专家号预约',
  'contract.no_fee_transfer': '转签协议不另收费，费用已在原协议中结算。',
  'contract.history': '状态变更记录',
  'contract.by_system': '系统',
  'contract.print': '打印协议书',
  'contract.renew': '续约',
  'contract.renew_title': '续约',
  'contract.renew_help': '新的服务期自 {date} 的次日起，为期一年，团队、责任医生和合作医院不变。',
  'contract.renew_help_late': '原协议已到期，续约后新的服务期自今天起，为期一年。',
  'contract.renew_packages': '服务包',
  'contract.renewed': '已续约，{date} 起生效',
  'contract.terminate': '解约',
  'contract.terminate_title': '解除签约',
  'contract.terminate_help': '解约后协议即终止且不可恢复，居民可重新签约。',
  'contract.terminate_help_scheduled': '取消尚未生效的续约，取消后不可恢复。',
  'contract.terminate_reason': '解约原因',
  'contract.terminate_choose': '请选择解约原因',
  'contract.terminate_note': '说明',
  'contract.terminated': '已解约',
  'contract.transfer': '转签',
  'contract.transfer_title': '转签至其他团队或医生',
  'contract.transfer_help': '原协议在今天结束，新协议接续剩余服务期和未用完的服务项目，不另收费。',
  'contract.transfer_reason': '转签原因',
  'contract.transfer_cross_help': '新团队不服务居民所在网格时必填',
  'contract.transfer_same': '请选择不同的团队或责任医生',
  'contract.transfer_need_reason': '请填写转签原因',
  'contract.transferred': '已转签',

  'expiring.title': '即将到期的签约',
  'expiring.subtitle': '截至 {date}，{n} 天内到期的有效签约，可一键续约',
  'expiring.scope': '范围',
  'expiring.scope_me': '我负责的签约',
  'expiring.within': '{n} 天内',
  'expiring.empty': '{n} 天内没有到期的签约',
  'expiring.col_resident': '居民',
  'expiring.col_end': '到期日',
  'expiring.col_team': '责任医生 / 团队',
  'expiring.col_fee': '签约费用',
  'expiring.col_status': '状态',
  'expiring.col_action': '续约',
  'expiring.days': '{n} 天后到期',
  'expiring.renewed': '已续约，{date} 起生效',
  'expiring.renewed_toast': '{name} 已续约，{date} 起生效',
  'expiring.open': '查看',

  'agreement.title': '家庭医生签约服务协议书',
  'agreement.back': '返回签约详情',
  'agreement.print': '打印',
  'agreement.pdf': '下载 PDF',
  'agreement.copy_en': '英文参考版',
  'agreement.copy_zh': '中文版',
  'agreement.number': '协议编号',
  'agreement.status': '协议状态',
  'agreement.date': '{y}年{m}月{d}日',
  'agreement.preamble': '为落实家庭医生签约服务制度，明确双方权利与义务，经甲乙双方协商一致，自愿签订本协议。',
  'agreement.party_a': '甲方（签约居民）',
  'agreement.party_b': '乙方（家庭医生团队）',
  'agreement.party_a_short': '甲方（签约居民）',
  'agreement.party_b_short': '乙方（家庭医生团队）',
  'agreement.name': '姓名',
  'agreement.sex': '性别',
  'agreement.birth_date': '出生日期',
  'agreement.id_number': '身份证号',
  'agreement.address': '住址',
  'agreement.team': '团队名称',
  'agreement.doctor': '责任医生',
  'agreement.institution': '所属机构',
  'agreement.phone': '联系电话',
  'agreement.partners': '合作医院',
  'agreement.s1': '一、服务期限',
  'agreement.term_text': '本协议服务期限自{start}起至{end}止，为期一年。',
  'agreement.channel_text': '签约方式：{channel}。',
  'agreement.s2': '二、服务内容',
  'agreement.services_text': '乙方在服务期内为甲方提供以下服务包所列服务，次数为服务期内应提供的次数：',
  'agreement.col_service': '服务项目',
  'agreement.col_times': '次数',
  'agreement.free': '免费',
  'agreement.s3': '三、服务费用',
  'agreement.fee_text': '签约服务费合计{total}，按服务包约定由下列各方分担，其中甲方个人承担{own}。',
  'agreement.fee_text_none': '本协议不另行收取签约服务费。',
  'agreement.fee_none': '无',
  'agreement.fee_transferred': '本协议由原协议（#{id}）转签，服务费已在原协议中结算。',
  'agreement.col_payer': '承担方',
  'agreement.col_amount': '金额',
  'agreement.total': '合计',
  'agreement.s4': '四、甲方的权利和义务',
  'agreement.a.1': '享有乙方提供的协议约定服务，并获得健康咨询、预约转诊等便利。',
  'agreement.a.2': '有权了解本人健康档案信息及服务提供情况，个人信息受法律保护。',
  'agreement.a.3': '如实提供健康信息，遵从医嘱，配合乙方开展随访和健康管理。',
  'agreement.a.4': '按约定承担个人应付费用；联系方式、住址变更时及时告知乙方。',
  'agreement.s5': '五、乙方的权利和义务',
  'agreement.b.1': '按协议约定的项目和次数为甲方提供服务，建立并维护甲方健康档案。',
  'agreement.b.2': '为甲方提供连续、综合的健康管理，需要时协助转诊至合作医院。',
  'agreement.b.3': '依法保护甲方隐私和个人信息，不得泄露或用于协议以外的用途。',
  'agreement.b.4': '有权了解甲方健康状况，对甲方不遵从医嘱的情况予以提醒。',
  'agreement.s6': '六、其他约定',
  'agreement.o.1': '服务期满前三十日内，双方可协商续约；一方提出解约的，应说明原因。',
  'agreement.o.2': '协议履行中发生争议，双方协商解决，也可向卫生健康行政部门申请调解。',
  'agreement.o.3': '本协议一式两份，甲乙双方各执一份，自双方签字之日起生效。',
  'agreement.sign_resident': '居民签字：',
  'agreement.sign_doctor': '家庭医生签字：',
  'agreement.sign_date': '日期：',
  'agreement.seal': '（机构盖章）',
  'agreement.footer': '签约登记日期 {date} · 协议 #{id} · 家医平台打印',

  'contract_status.scheduled': '待生效',
  'contract_status.active': '履约中',
  'contract_status.expired': '已到期',
  'contract_status.terminated': '已解约',
  'contract_status.transferred': '已转签',

  'channel.centralised': '集中签约',
  'channel.clinic': '门诊签约',
  'channel.home_visit': '上门签约',
  'channel.online': '线上签约',

  'payer.resident': '居民个人',
  'payer.insurance': '医保基金',
  'payer.city': '市级财政',
  'payer.district': '区级财政',
  'payer.county': '县级财政',
  'payer.public_funds': '公共卫生经费',

  'tier.basic': '基础包',
  'tier.primary': '初级包',
  'tier.intermediate': '中级包',
  'tier.advanced': '高级包',

  'end_reason.moved_away': '迁出',
  'end_reason.deceased': '居民死亡',
  'end_reason.resident_request': '居民申请解约',
  'end_reason.doctor_departure': '医生离职',
  'end_reason.other': '其他',

  'history_reason.renewal': '续约',
  'history_reason.transfer': '转签',
  'history_reason.term_ended': '服务期满',
  'history_reason.renewal_started': '续约生效',
  'end_reason.term_ended': '服务期满',

  'field.packages': '服务包',
  'field.team_id': '签约团队',
  'field.doctor_id': '责任医生',
  'field.start_date': '生效日期',
  'field.channel': '签约方式',
  'field.cross_grid_reason': '跨网格签约原因',
  'field.resident_id': '居民',
  'field.district_hospital_id': '区（县）级医院',
  'field.city_hospital_id': '市级医院',
  'field.entitlement_id': '服务项目',
  'field.service': '服务项目',
  'field.quantity': '次数',
  'field.delivered_on': '服务日期',
  'field.ended_on': '终止日期',
  'field.status': '状态',

  /* the service-package catalogue (system administrator) */
  'nav.packages': '服务包',
  'catalogue.title': '服务包管理',
  'catalogue.subtitle': '各服务包的当前版本；发布新版本不影响已签约的协议。',
  'catalogue.col_code': '编码',
  'catalogue.col_name': '名称',
  'catalogue.col_tier': '级别',
  'catalogue.col_type': '类型',
  'catalogue.col_payment': '付费方式',
  'catalogue.col_price': '价格',
  'catalogue.col_version': '版本',
  'catalogue.col_items': '服务项目数',
  'catalogue.col_actions': '操作',
  'catalogue.col_institution': '提供机构',
  'catalogue.county_wide': '全县通用',
  'catalogue.read_only': '只读',
  'catalogue.institution_help': '机构自有服务包只能由该机构的团队签约；发布后不可更改。',
  'catalogue.edit': '编辑（发布新版本）',
  'catalogue.new': '新建服务包',
  'catalogue.empty': '目录中还没有服务包',
  'catalogue.new_title': '新建服务包',
  'catalogue.edit_title': '编辑服务包 · {code}',
  'catalogue.back': '返回服务包列表',
  'catalogue.not_found': '没有编码为“{code}”的服务包',
  'catalogue.basics': '基本信息',
  'catalogue.code': '编码',
  'catalogue.code_help': '大写字母、数字和连字符，例如 HTN-120；创建后不可更改',
  'catalogue.code_fixed': '编码不可更改',
  'catalogue.price': '价格（元）',
  'catalogue.price_help': '每年每人，0 表示免费',
  'catalogue.name': '名称（中文）',
  'catalogue.name_en': '名称（英文）',
  'catalogue.personalised': '个性化服务包',
  'catalogue.personalised_help': '在基础包之外自愿签约的个性化服务',
  'catalogue.eligibility': '签约条件',
  'catalogue.eligibility_help': '留空表示不限。',
  'catalogue.min_age': '最低年龄（岁）',
  'catalogue.max_age': '最高年龄（岁）',
  'catalogue.program': '须纳入的管理项目',
  'catalogue.class': '须属于的人群分类',
  'catalogue.any': '不限',
  'catalogue.items': '服务项目',
  'catalogue.item_service': '项目代码',
  'catalogue.item_name': '名称（中文）',
  'catalogue.item_name_en': '名称（英文）',
  'catalogue.item_quantity': '次数',
  'catalogue.item_weight': '工作量权重',
  'catalogue.item_add': '添加服务项目',
  'catalogue.remove': '删除',
  'catalogue.fee_rules': '费用分担',
  'catalogue.fee_rules_help': '先扣除固定金额，其余按比例分担；有比例时各比例之和须为 100%，全部为固定金额时其和须等于价格。',
  'catalogue.rule_payer': '承担方',
  'catalogue.rule_kind': '方式',
  'catalogue.rule_value': '比例或金额',
  'catalogue.kind_percent': '按比例',
  'catalogue.kind_fixed': '固定金额',
  'catalogue.yuan': '元',
  'catalogue.rule_add': '添加承担方',
  'catalogue.preview': '按当前价格分担',
  'catalogue.preview_incomplete': '请填写有效的价格和各承担方的比例或金额',
  'catalogue.rules_none': '至少需要一个承担方',
  'catalogue.rules_percent': '各比例之和为 {sum}%，应为 100%',
  'catalogue.rules_fixed': '固定金额合计 {sum}，应等于价格 {price}',
  'catalogue.rules_fixed_over': '固定金额合计 {sum}，超过价格 {price}',
  'catalogue.rules_payer_twice': '同一付费方出现了两次',
  'catalogue.rules_other': '分担规则无效，请检查每一行',
  'catalogue.rules_ok': '分担规则有效',
  'catalogue.version_note': '发布后生成新版本，新签约使用新版本；已签约的协议仍按签约时的版本履行，不会改变。',
  'catalogue.publish_new': '发布服务包',
  'catalogue.publish_version': '发布第 {n} 版',
  'catalogue.need_code': '请填写编码',
  'catalogue.need_price': '请填写有效的价格（元，最多两位小数）',
  'catalogue.need_rule_value': '请填写有效的比例或金额（最多两位小数）',
  'catalogue.created': '服务包 {code} 已发布',
  'catalogue.published_version': '{code} 第 {n} 版已发布',
  'pkg_type.general': '通用',
  'pkg_type.hypertension': '高血压',
  'pkg_type.diabetes': '糖尿病',
  'pkg_type.elderly': '老年人',
  'pkg_type.maternal_child': '母婴',
  'pkg_type.disabled': '残疾人',
  'pkg_type.copd': '慢阻肺',
  'pkg_type.cancer': '肿瘤',
  'pkg_type.mental_health': '精神卫生',
  'pkg_type.tcm': '中医',
  'payment_type.government': '政府购买',
  'payment_type.fixed_price': '固定价格',
  'payment_type.negotiated': '协商定价',
  'field.code': '编码',
  'field.name': '名称（中文）',
  'field.name_en': '名称（英文）',
  'field.tier': '级别',
  'field.type': '类型',
  'field.payment_type': '付费方式',
  'field.price_fen': '价格',
  'field.personalised': '个性化服务包',
  'field.items': '服务项目',
  'field.fee_rules': '费用分担',
  'field.eligibility': '签约条件',
  'field.eligibility.min_age': '最低年龄',
  'field.eligibility.max_age': '最高年龄',
  'field.eligibility.required_program': '须纳入的管理项目',
  'field.eligibility.required_class': '须属于的人群分类',
};

/* English is loaded when chosen (ensureLanguage): a first load over a slow link carries
 * the Chinese tables only. */
const en = {};
let englishLoaded = null;

Object.assign(zh, zhPrograms, zhGroups, zhRecords);
Object.assign(zh, zhDashboard);
Object.assign(zh, zhScores, zhEval);
Object.assign(zh, zhLoop);
Object.assign(zh, zhPortal);
Object.assign(zh, zhForms);
Object.assign(zh, zhWorklist);
Object.assign(zh, zhFollowup);
Object.assign(zh, zhGrid);
Object.assign(zh, zhOffline);
Object.assign(zh, zhHospital);
Object.assign(zh, zhVisits);
Object.assign(zh, zhService);
Object.assign(zh, zhPoints);
Object.assign(zh, zhArea);
Object.assign(zh, zhImmunisation);
Object.assign(zh, zhCare);
const DICTIONARIES = { 'zh-CN': zh, en };
export const LANGUAGES = ['zh-CN', 'en'];

function storedLanguage() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(v) ? v : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

let current = storedLanguage();
const listeners = new Set();

export function lang() {
  return current;
}

/* The language's tables, loaded once (English); resolves when t() can answer in it. */
export function ensureLanguage(code) {
  if (code !== 'en') return Promise.resolve();
  englishLoaded = englishLoaded || import('./i18n-en.js').then((m) => { Object.assign(en, m.en); });
  return englishLoaded;
}

export async function setLang(code) {
  if (!LANGUAGES.includes(code) || code === current) return;
  await ensureLanguage(code);
  current = code;
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = code;
  for (const fn of listeners) fn(code);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function lookup(code, key, params) {
  let s = DICTIONARIES[code][key] ?? zh[key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  return s;
}

function lookupLabel(code, kind, value) {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${kind}.${value}`;
  const s = DICTIONARIES[code][key] ?? zh[key];
  return s ?? String(value);
}

export function t(key, params) {
  return lookup(current, key, params);
}

/* The label of a server code (label('program', 'smd')); unknown codes show as they are. */
export function label(kind, code) {
  return lookupLabel(current, kind, code);
}

/* t() and label() in a given language whatever the UI's, for a document that has its
 * own language (the printed agreement is in Chinese by default). */
export function translator(code) {
  const use = LANGUAGES.includes(code) ? code : 'zh-CN';
  return {
    lang: use,
    t: (key, params) => lookup(use, key, params),
    label: (kind, value) => lookupLabel(use, kind, value),
  };
}

/* Every key of a language's table (English once loaded): for the parity test. */
export function dictionaryKeys(code) {
  return Object.keys(DICTIONARIES[LANGUAGES.includes(code) ? code : 'zh-CN']);
}

/* The text of a key in a language's own table, undefined when it has none (no fallback). */
export function ownText(code, key) {
  return DICTIONARIES[LANGUAGES.includes(code) ? code : 'zh-CN'][key];
}

export function has(key) {
  return key in DICTIONARIES[current] || key in zh;
}
