-- 031_area_users: a health commission of a city or a province (issue 17). Its region is the
-- area as GB/T 2260 writes it, padded to six digits (511500 宜宾市, 510000 四川省), which is not
-- a prefix of its counties' codes (511524): the view grants the area's prefix instead (5115,
-- 51), as domain/region_code.c region_area_prefix says, so every place inside it is covered
-- and nothing beside it. Any other region is granted as it is written, as in 001.
-- Standard SQL only (CASE, substr, length, ||): the same text serves both engines.
DROP VIEW user_scope;
CREATE VIEW user_scope AS
    SELECT id AS user_id, '' AS code, 1 AS subtree FROM users WHERE role = 'system_admin'
    UNION ALL
    SELECT id,
           CASE WHEN length(scope_region) = 6 AND substr(scope_region, 3, 4) = '0000'
                     AND substr(scope_region, 1, 2) <> '00' THEN substr(scope_region, 1, 2)
                WHEN length(scope_region) = 6 AND substr(scope_region, 5, 2) = '00'
                     AND substr(scope_region, 1, 2) <> '00' THEN substr(scope_region, 1, 4)
                ELSE scope_region END,
           1 FROM users
     WHERE role IN ('health_commission','center_admin','village_doctor') AND scope_region IS NOT NULL
    UNION ALL
    SELECT u.id, tc.region_code, 1 FROM users u
      JOIN staff s ON s.user_id = u.id
      JOIN team_members tm ON tm.staff_id = s.id
      JOIN team_cells tc ON tc.team_id = tm.team_id
     WHERE u.role IN ('team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant')
    UNION ALL
    SELECT u.id, substr(tc.region_code, 1, 12), 0 FROM users u
      JOIN staff s ON s.user_id = u.id
      JOIN team_members tm ON tm.staff_id = s.id
      JOIN team_cells tc ON tc.team_id = tm.team_id
     WHERE u.role IN ('team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant')
       AND length(tc.region_code) > 12
    UNION ALL
    SELECT u.id, substr(tc.region_code, 1, 9), 0 FROM users u
      JOIN staff s ON s.user_id = u.id
      JOIN team_members tm ON tm.staff_id = s.id
      JOIN team_cells tc ON tc.team_id = tm.team_id
     WHERE u.role IN ('team_lead','doctor','nurse','public_health_doctor','village_doctor','assistant')
       AND length(tc.region_code) > 9;
