/* handlers.h - every route handler; routes.c maps them to methods and paths. */
#ifndef JIAYI_API_HANDLERS_H
#define JIAYI_API_HANDLERS_H

#include "api/api.h"
#include "auth/session.h"

int handle_health(struct request *r);
int handle_metrics(struct request *r);
int handle_session_create(struct request *r);
int handle_session_delete(struct request *r);
int handle_session_get(struct request *r);
int handle_regions_list(struct request *r);
int handle_region_get(struct request *r);
int handle_institutions_list(struct request *r);
int handle_teams_list(struct request *r);
int handle_team_get(struct request *r);
int handle_team_create(struct request *r);
int handle_team_update(struct request *r);
int handle_team_member_add(struct request *r);
int handle_team_member_remove(struct request *r);
int handle_team_cells_set(struct request *r);
int handle_staff_list(struct request *r);
int handle_staff_create(struct request *r);
/* grid.c: regions, grid cells, institutions and staff kept by the county (issue 14) */
int handle_region_create(struct request *r);
int handle_region_update(struct request *r);
int handle_region_redraw(struct request *r);
int handle_institution_create(struct request *r);
int handle_institution_update(struct request *r);
int handle_staff_update(struct request *r);
int handle_residents_list(struct request *r);
int handle_resident_create(struct request *r);
int handle_resident_get(struct request *r);
int handle_resident_update(struct request *r);
/* api/referrals.c: the record's summary a referral carries, frozen at sending - diagnoses,
 * the latest follow-up of each programme with its readings and classification, their
 * medications, the latest exam. NULL on error. On the writer inside a transaction it sees
 * the transaction's own rows (a follow-up that refers). */
json_t *api_record_summary(struct request *r, int64_t resident);

/* Closes a person's record for a death or a move out of the county on `left_on` (status
 * `deceased` or `moved_out`), in the request's transaction: the household's classes, the
 * programmes, the contract and every open task. 0, or -1 after replying. */
int api_resident_depart(struct request *r, int64_t id, const char *status, const char *left_on);
/* Registers a resident from a body shaped as POST /residents takes it (validated, scoped,
 * with a new household unless one is named, audited, committed): 0 and *id, or -1 after
 * replying the error. */
int api_resident_register(struct request *r, json_t *body, int64_t *id);
/* Books a place of a slot for a resident signed with the caller's team, as POST /bookings
 * does (referral_id 0: none): 0 and *id, or -1 after replying the error. */
int api_booking_create(struct request *r, int64_t slot_id, int64_t resident_id, int64_t referral_id,
                       int64_t *id);
/* Records a survey response from a body shaped as POST /survey-responses takes it (scored,
 * the satisfaction answer with it, audited, committed): 0 and *id, or -1 after replying. */
int api_survey_response_create(struct request *r, json_t *body, int64_t *id);
int handle_record_update(struct request *r);
int handle_import_create(struct request *r);
int handle_imports_list(struct request *r);
int handle_import_get(struct request *r);
int handle_diagnosis_create(struct request *r);
int handle_household_create(struct request *r);
int handle_household_get(struct request *r);
int handle_households_list(struct request *r);
int handle_household_update(struct request *r);
int handle_flag_get(struct request *r);
int handle_census_create(struct request *r);
int handle_census_rates(struct request *r);
int handle_flag_create(struct request *r);
int handle_flags_list(struct request *r);
int handle_flag_confirm(struct request *r);
int handle_flag_dismiss(struct request *r);
int handle_worklist(struct request *r);
int handle_enrolment_create(struct request *r);
int handle_enrolment_end(struct request *r);
int handle_audit_list(struct request *r);
int handle_packages_list(struct request *r);
/* POST /fee-split: a draft package's price split by its rules (api/packages.c). */
int handle_fee_split(struct request *r);
/* A stored package's fee_rules (JSON) split over its price: [{payer, amount_fen}]. */
json_t *api_fee_shares(int64_t price_fen, json_t *rules);
/* GET /enumerations: the API's closed lists (api/enumerations.c). */
int handle_enumerations(struct request *r);
int handle_package_create(struct request *r);
int handle_package_update(struct request *r);
/* A contract the caller may act on (the {id} of the path): replies 404/403 itself. Caller
 * decrefs (api/contracts.c). */
json_t *api_contract_in_scope_or_reply(struct request *r, int64_t *id);
/* Answers `status` with the contract as GET /contracts/{id} gives it. */
int api_reply_contract(struct request *r, int status, int64_t id);
int handle_contract_create(struct request *r);
int handle_contract_get(struct request *r);
int handle_protocol_evaluate(struct request *r);
int handle_immunisation_evaluate(struct request *r);
int handle_tb_evaluate(struct request *r);
int handle_tb_case_create(struct request *r);
int handle_tb_case_get(struct request *r);
int handle_resident_tb_cases(struct request *r);
int handle_tb_visit_create(struct request *r);
/* COPD follow-up (issue 19): api/copd.c. */
int handle_copd_evaluate(struct request *r);
int handle_resident_copd_visits(struct request *r);
int handle_copd_visit_create(struct request *r);
/* Evaluation (issue 22): api/cohort_studies.c, api/qca.c. */
int handle_cohort_study_create(struct request *r);
int handle_cohort_studies_list(struct request *r);
int handle_cohort_study_get(struct request *r);
int handle_cohort_study_regression(struct request *r);
int handle_cohort_study_members(struct request *r);
int handle_qca(struct request *r);
/* Assessment rounds and spot checks (issue 19): api/assessments.c. */
int handle_assessment_round_create(struct request *r);
int handle_assessment_rounds_list(struct request *r);
int handle_assessment_round_get(struct request *r);
int handle_assessment_check_set(struct request *r);
int handle_assessment_sign_off(struct request *r);
int handle_visit_prompts(struct request *r);
int handle_visit_offer_create(struct request *r);
int handle_visit_offers_report(struct request *r);
int handle_visit_day(struct request *r);
int handle_sickbed_create(struct request *r);
int handle_sickbed_round(struct request *r);
int handle_sickbed_discharge(struct request *r);
int handle_resident_sickbeds(struct request *r);
int handle_certificate_create(struct request *r);
int handle_certificate_transition(struct request *r);
int handle_resident_certificates(struct request *r);
int handle_certificates_list(struct request *r);
int handle_test_result_create(struct request *r);
int handle_test_results(struct request *r);
int handle_test_result_check(struct request *r);
int handle_recognised_items(struct request *r);
int handle_allocation_create(struct request *r);
int handle_allocations_list(struct request *r);
/* The encounter `body` describes (POST /encounters' fields), written and audited: 0 with *id
 * (replied 201 unless a FHIR request, which answers with its own resource), or -1 (replied). */
int api_encounter_write(struct request *r, json_t *body, int64_t *id);
int handle_vaccination_create(struct request *r);
int handle_protocol_settings_get(struct request *r);
int handle_protocol_settings_put(struct request *r);
int handle_protocol_lists_get(struct request *r);
int handle_protocol_list_put(struct request *r);
int handle_followups_list(struct request *r);
int handle_followup_create(struct request *r);
int handle_followup_delete(struct request *r);
int handle_resident_followups(struct request *r);
int handle_encounter_create(struct request *r);
int handle_encounter_delete(struct request *r);
int handle_resident_encounters(struct request *r);
int handle_referral_create(struct request *r);
int handle_referral_seen(struct request *r);
/* The tracked referral (issue 15): api/referrals.c. */
int handle_referrals_list(struct request *r);
int handle_referral_get(struct request *r);
int handle_referral_accept(struct request *r);
int handle_referral_decline(struct request *r);
int handle_referral_return(struct request *r);
int handle_referral_close(struct request *r);
int handle_referral_cancel(struct request *r);
int handle_referral_satisfaction(struct request *r);
int handle_task_close(struct request *r);
int handle_task_call(struct request *r);
int handle_high_risk_pregnancies(struct request *r);
int handle_resident_referrals(struct request *r);
int handle_satisfaction_create(struct request *r);
int handle_resident_management(struct request *r);
int handle_exam_import(struct request *r);
int handle_resident_exams(struct request *r);
int handle_device_create(struct request *r);
int handle_device_revoke(struct request *r);
int handle_resident_devices(struct request *r);
int handle_observation_create(struct request *r);
int handle_resident_observations(struct request *r);
int handle_resident_schedule(struct request *r);
int handle_resident_measurements(struct request *r);
int handle_resident_health_summary(struct request *r);
int handle_contract_agreement_pdf(struct request *r);
int handle_resident_contract(struct request *r);
int handle_contract_terminate(struct request *r);
int handle_contract_renew(struct request *r);
int handle_contract_transfer(struct request *r);
int handle_delivery_create(struct request *r);
int handle_contracts_list(struct request *r);
int handle_fee_report(struct request *r);
int handle_fulfilment(struct request *r);
int handle_indicators(struct request *r);
int handle_indicator_breakdown(struct request *r);
int handle_indicator_trend(struct request *r);
int handle_indicator_patients(struct request *r);
int handle_indicators_overdue(struct request *r);
int handle_indicator_cascade(struct request *r);
int handle_indicator_targets_get(struct request *r);
int handle_indicator_targets_put(struct request *r);
int handle_team_scores(struct request *r);
int handle_team_score_settings_get(struct request *r);
int handle_team_score_settings_put(struct request *r);
int handle_groups_list(struct request *r);
int handle_group_create(struct request *r);
int handle_group_get(struct request *r);
int handle_group_member_add(struct request *r);
int handle_group_member_leave(struct request *r);
int handle_group_activity_create(struct request *r);
int handle_group_attendance_delete(struct request *r);
/* drugs.c, prescriptions.c: the county drug catalogue and prescriptions (issue 15) */
int handle_drugs_list(struct request *r);
int handle_drug_versions_list(struct request *r);
int handle_drug_version_create(struct request *r);
int handle_long_prescription_check(struct request *r);
int handle_prescription_create(struct request *r);
int handle_resident_prescriptions(struct request *r);
int handle_prescription_get(struct request *r);
int handle_prescription_delivery(struct request *r);
/* Specialist slots and bookings (issue 15): api/slots.c. */
int handle_slots_search(struct request *r);
int handle_slot_utilisation(struct request *r);
int handle_bookings_list(struct request *r);
int handle_booking_create(struct request *r);
int handle_booking_cancel(struct request *r);
int handle_booking_reschedule(struct request *r);
int handle_booking_attendance(struct request *r);
int handle_departments_list(struct request *r);
int handle_department_create(struct request *r);
int handle_schedule_create(struct request *r);
int handle_release_rules_get(struct request *r);
int handle_release_rules_put(struct request *r);
/* Health points and surveys (issue 16): api/points.c, api/surveys.c. */
int handle_resident_points(struct request *r);
int handle_points_catalogue(struct request *r);
int handle_points_catalogue_write(struct request *r);
int handle_points_redemption_create(struct request *r);
int handle_points_rules_get(struct request *r);
int handle_points_rules_put(struct request *r);
int handle_questionnaires_list(struct request *r);
int handle_survey_response_create(struct request *r);
int handle_resident_surveys(struct request *r);
int handle_team_survey_results(struct request *r);

/* Visit requests, bookings with the team (issue 16): api/visit_requests.c. */
int handle_visit_request_create(struct request *r);
int handle_resident_visit_requests(struct request *r);
int handle_team_visit_requests(struct request *r);
int handle_visit_request_confirm(struct request *r);
int handle_visit_request_cancel(struct request *r);
int handle_visit_request_done(struct request *r);
/* The outbox and one-time codes (issue 16): api/outbox.c, api/session_code.c. */
int handle_session_code_create(struct request *r);
/* POST /session with {"phone","code"} (called by handle_session_create; body is the request's). */
int session_code_login(struct request *r, json_t *body);
/* Inside the login's transaction: ends the session the request's cookie names, if any, and
 * creates the user's new one. 0, or -1. */
int session_start(struct request *r, int64_t user_id, struct login_result *login);
/* The common end of a login: the session row committed, answers as POST /session does. */
int session_login_reply(struct request *r, struct login_result *login);
int handle_outbox_list(struct request *r);
int handle_outbox_receipt(struct request *r);

/* content.c, consultations.c, reminders.c: the resident in the loop, the team's side (issue 16) */
int handle_team_content_create(struct request *r);
int handle_team_content_list(struct request *r);
int handle_content_receipts(struct request *r);
int handle_resident_content(struct request *r);
int handle_content_read(struct request *r);
int handle_consultation_create(struct request *r);
int handle_resident_consultations(struct request *r);
int handle_consultation_get(struct request *r);
int handle_consultation_message(struct request *r);
int handle_consultation_close(struct request *r);
int handle_team_consultations(struct request *r);
int handle_reminder_effect(struct request *r);

#endif
