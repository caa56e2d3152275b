/* messages.c - error messages by code. Codes are stable API (API.md); texts may improve. */
#include "http/messages.h"

#include <string.h>

struct message {
    const char *code, *zh, *en;
};

static const struct message MESSAGES[] = {
    {"invalid_json", "请求体不是有效的 JSON 对象", "The request body is not a valid JSON object"},
    {"missing_field", "缺少必填字段", "A required field is missing"},
    {"invalid_field", "字段取值无效", "A field has an invalid value"},
    {"invalid_date", "日期格式应为 YYYY-MM-DD 且为有效日期", "Dates must be valid and written YYYY-MM-DD"},
    {"invalid_id_number", "身份证号码无效", "The identity card number is invalid"},
    {"sex_mismatch", "性别与身份证号码不符", "The sex does not match the identity card number"},
    {"birth_date_mismatch", "出生日期与身份证号码不符",
     "The birth date does not match the identity card number"},
    {"duplicate_id_number", "该身份证号码已登记", "This identity card number is already registered"},
    {"invalid_region", "行政区划代码不存在", "No region has this division code"},
    {"invalid_household", "家庭户不存在或不在同一区划", "The household does not exist or is elsewhere"},
    {"unauthorized", "请先登录", "Please log in"},
    {"invalid_credentials", "用户名或密码错误", "Wrong username or password"},
    {"too_many_attempts", "登录失败次数过多，请稍后再试", "Too many failed logins; try again later"},
    {"csrf_failed", "请求缺少有效的防伪令牌，请刷新页面后重试", "The request lacks a valid anti-forgery token; reload the page"},
    {"out_of_role", "当前角色无权执行此操作", "Your role may not do this"},
    {"out_of_scope", "该数据不在您的管辖范围内", "This data is outside your scope"},
    {"rater_on_team", "团队成员不能为本团队录入满意度评价", "A team's own staff cannot record answers rating their team"},
    {"duplicate_answer", "该居民本季度已评价过该团队", "This resident has already rated this team this quarter"},
    {"record_not_opened", "健康档案尚未向您开放，请联系您的家庭医生",
     "This health record has not been opened to you yet; please ask your family doctor"},
    {"not_found", "资源不存在", "Not found"},
    {"idempotency_key_reused", "该幂等键已用于另一个请求，请为新的请求使用新的键",
     "This Idempotency-Key was already used for a different request; use a new key for a new request"},
    {"invalid_idempotency_key", "幂等键应为 1 至 255 个可见 ASCII 字符",
     "An Idempotency-Key must be 1 to 255 visible ASCII characters"},
    {"task_closed", "该任务已被关闭（可能已由同事完成随访）",
     "This task is already closed (a colleague may have recorded the visit)"},
    {"method_not_allowed", "不支持该请求方法", "Method not allowed"},
    {"body_too_large", "请求体过大", "The request body is too large"},
    /* Said of a resident outside the caller's scope too (an exam file's row): true of both,
     * and it must not tell them apart. */
    {"unknown_resident", "您的管辖范围内没有登记该身份证号码的居民",
     "No resident with this identity card number is registered within your scope"},
    {"not_alive", "该居民已注销（死亡或迁出）", "This resident's record is closed (died or moved away)"},
    {"out_of_range", "数值超出合理范围，请核对单位", "The value is outside the plausible range; check the unit"},
    {"too_long", "内容过长", "The text is too long"},
    {"no_results", "该行没有任何检查结果", "The row has no results"},
    {"empty_file", "文件为空", "The file is empty"},
    {"invalid_encoding", "文件编码无法识别（应为 UTF-8 或 GB18030）", "The file is neither UTF-8 nor GB18030"},
    {"invalid_csv", "CSV 格式错误", "The CSV file is malformed"},
    {"invalid_device_token", "设备令牌无效或已停用", "The device token is invalid or revoked"},
    {"conflict", "与现有数据冲突", "Conflicts with existing data"},
    {"flag_already_decided", "该标记已处理", "This flag has already been decided"},
    {"not_eligible", "不符合纳入条件", "Not eligible"},
    {"already_enrolled", "已在该项目管理中", "Already enrolled in this program"},
    {"no_protocol", "该项目尚无随访规范，暂不能纳入管理", "This programme has no follow-up protocol yet and cannot be enrolled"},
    {"invalid_state", "当前状态不允许此操作", "The current state does not allow this"},
    {"user_disabled", "账号已停用", "This account is disabled"},
    {"active_contract_exists", "该居民已有有效签约", "This resident already has an active contract"},
    {"package_not_eligible", "不符合该服务包的签约条件", "Not eligible for this service package"},
    {"doctor_at_capacity", "该医生签约数已达上限", "This doctor has reached the contract limit"},
    {"invalid_fee_rule", "费用分担规则无效", "The fee split rule is invalid"},
    {"invalid_transition", "合同当前状态不允许此操作", "The contract's status does not allow this"},
    {"renewal_too_early", "服务期满前90天内才可续约", "Renewal opens 90 days before the term ends"},
    {"renewal_exists", "已有待生效的续约", "A renewal is already scheduled"},
    {"entitlement_exhausted", "该服务项目已用完", "Nothing of this service is left in the contract"},
    {"not_latest", "只能删除该项目最近一次的随访记录", "Only the latest follow-up of its programme can be deleted"},
    {"risk_assessed", "该次随访做了妊娠风险评估，不能删除", "This visit assessed the pregnancy risk and cannot be deleted"},
    {"pregnancy_registered", "该次随访建立了孕产期档案，不能删除", "This visit registered the pregnancy and cannot be deleted"},
    {"delivery_recorded", "该次随访登记了分娩或出院日期，不能删除", "This visit recorded the delivery or discharge and cannot be deleted"},
    {"already_member", "该居民已是小组成员", "This resident is already a member of the group"},
    {"not_group_member", "参加者须为活动当日的小组成员", "Attendees must be members of the group on the activity day"},
    /* Accounts (`jiayi user add|passwd`, auth/accounts.c and the password policy): the command
     * line prints these; no route returns them yet. */
    {"password_invalid", "密码须为有效的 UTF-8 文本，且不含控制字符",
     "The password must be UTF-8 text without control characters"},
    {"password_too_long", "密码过长（最多 256 字节）", "The password is too long (at most 256 bytes)"},
    {"password_too_short", "密码至少需要 10 个字符", "The password needs at least 10 characters"},
    {"password_contains_username", "密码不能包含用户名", "The password must not contain the username"},
    {"password_too_common", "密码过于常见或简单，容易被猜中",
     "The password is too common or too simple: it is easy to guess"},
    {"invalid_username", "用户名须为 1 至 64 个字符，不含空格或控制字符",
     "A username is 1 to 64 characters without spaces or control characters"},
    {"username_taken", "该用户名已被使用（不区分大小写）",
     "This username is taken (letter case does not make another name)"},
    {"resident_required", "居民账号须指定其本人的居民档案（--resident ID）",
     "A resident account must name the resident it belongs to (--resident ID)"},
    {"unknown_resident_id", "没有该 ID 的居民", "No resident has this id"},
    {"resident_not_allowed", "只有居民账号可以关联居民（--resident）",
     "Only a resident account names a resident (--resident)"},
    {"region_required", "卫健委和中心管理员账号须指定管辖区划（--region 区划代码）",
     "A health commission or center admin account must name its region (--region CODE)"},
    {"unknown_staff_id", "没有该 ID 的工作人员", "No staff member has this id"},
    {"internal_error", "服务器内部错误", "Internal server error"},
    {"unavailable", "服务繁忙，请稍后再试", "Busy; please try again"},
};

const char *message_for(const char *code, int en)
{
    for (size_t i = 0; i < sizeof MESSAGES / sizeof MESSAGES[0]; i++)
        if (code && strcmp(MESSAGES[i].code, code) == 0) return en ? MESSAGES[i].en : MESSAGES[i].zh;
    return en ? "Request failed" : "请求失败";
}
