/* i18n-scores.js - the strings of team appraisal and income distribution (团队绩效考核).
 * Merged into the dictionaries by i18n.js. */

export const zhScores = {
  'nav.scores': '团队考核',
  'scores.title': '家庭医生团队绩效考核',
  'scores.subtitle': '考核周期 {period}，数据截至 {as_of}',
  'scores.no_scope': '您的账号没有管辖区域，无法汇总团队考核',
  'scores.table': '团队得分与收入分配',
  'scores.empty': '管辖范围内没有家庭医生团队',
  'scores.col_rank': '排名',
  'scores.col_team': '团队',
  'scores.col_institution': '机构',
  'scores.col_score': '得分',
  'scores.col_verification': '核实系数',
  'scores.col_workload': '标化工作量',
  'scores.col_income': '签约收入',
  'scores.col_institution_share': '机构分成',
  'scores.col_team_share': '团队分成',
  'scores.col_bonus': '绩效奖金',
  'scores.col_missing': '缺数指标',
  'scores.total': '签约收入合计 {income}，其中绩效奖金池 {pool}（按得分分配）',
  'scores.weights': '考核指标与权重（第 {version} 版）',
  'scores.shares': '机构 {institution}% / 团队 {team}%，团队部分的 {bonus}% 作为绩效奖金按得分分配',
  'scores.rule': '得分 = Σ 权重 × 指标值（满分 100，指标值 {rate} 即得满权重）；无数据的指标记 0 分',
  'scores.csv': '下载 CSV',
  'scores.xlsx': '下载 Excel',
};
