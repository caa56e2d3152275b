-- A household's latest census visit (入户), kept on the household by a trigger in the
-- visit's transaction, so an area's census rates are one pass over the households' region
-- index (issue 23: the county's rates read 94,000 households and 81,000 visits per request,
-- 120-200 ms). "Visited since D" is exactly "latest visit on or after D".
ALTER TABLE households ADD COLUMN last_census_on TEXT;
UPDATE households SET last_census_on =
    (SELECT max(c.visit_date) FROM census_visits c WHERE c.household_id = households.id);
CREATE INDEX households_region_census ON households(region, last_census_on);
CREATE TRIGGER households_last_census AFTER INSERT ON census_visits
BEGIN
    UPDATE households SET last_census_on = NEW.visit_date
     WHERE id = NEW.household_id AND (last_census_on IS NULL OR last_census_on < NEW.visit_date);
END;
