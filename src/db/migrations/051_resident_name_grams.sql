-- The name search's index (issue 23): every character and every pair of neighbouring
-- characters of a resident's name, lower-cased. Chinese names are two to four characters and
-- searched by two ("建国") or one, too short for a trigram index (FTS5's trigram tokenizer,
-- pg_trgm); a search reads the residents holding the query's first pair (or its one
-- character) and checks the whole query on those few rows, instead of every resident of the
-- scope. Kept by triggers in the transaction that writes the name.
CREATE TABLE name_positions (n SMALLINT PRIMARY KEY); -- SMALLINT: PostgreSQL's substr takes an int
INSERT INTO name_positions (n) VALUES (1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12),(13),(14),(15),(16),(17),(18),(19),(20),(21),(22),(23),(24),(25),(26),(27),(28),(29),(30),(31),(32),(33),(34),(35),(36),(37),(38),(39),(40),(41),(42),(43),(44),(45),(46),(47),(48),(49),(50),(51),(52),(53),(54),(55),(56),(57),(58),(59),(60),(61),(62),(63),(64);
CREATE TABLE resident_name_grams (
    gram        TEXT NOT NULL,
    resident_id INTEGER NOT NULL,
    PRIMARY KEY (gram, resident_id)
) WITHOUT ROWID;
CREATE INDEX resident_name_grams_resident ON resident_name_grams(resident_id);
INSERT INTO resident_name_grams (gram, resident_id)
SELECT lower(substr(r.name, p.n, 1)), r.id FROM residents r JOIN name_positions p ON p.n <= length(r.name)
UNION
SELECT lower(substr(r.name, p.n, 2)), r.id FROM residents r JOIN name_positions p ON p.n < length(r.name);

CREATE TRIGGER resident_name_grams_ins AFTER INSERT ON residents
BEGIN
    INSERT INTO resident_name_grams (gram, resident_id)
    SELECT lower(substr(NEW.name, n, 1)), NEW.id FROM name_positions WHERE n <= length(NEW.name)
    UNION
    SELECT lower(substr(NEW.name, n, 2)), NEW.id FROM name_positions WHERE n < length(NEW.name);
END;
CREATE TRIGGER resident_name_grams_upd AFTER UPDATE OF name ON residents
WHEN NEW.name <> OLD.name
BEGIN
    DELETE FROM resident_name_grams WHERE resident_id = OLD.id;
    INSERT INTO resident_name_grams (gram, resident_id)
    SELECT lower(substr(NEW.name, n, 1)), NEW.id FROM name_positions WHERE n <= length(NEW.name)
    UNION
    SELECT lower(substr(NEW.name, n, 2)), NEW.id FROM name_positions WHERE n < length(NEW.name);
END;
CREATE TRIGGER resident_name_grams_del AFTER DELETE ON residents
BEGIN
    DELETE FROM resident_name_grams WHERE resident_id = OLD.id;
END;
