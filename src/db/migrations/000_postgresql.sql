-- 000_postgresql: what the shared SQL of store/ and kpi/ expects of the engine and SQLite has
-- built in, made for PostgreSQL (issue 17, docs/scale.md). SQLite runs nothing here.
--
-- The date functions follow SQLite's rules, not PostgreSQL's, so that both engines give the
-- same answer: '+1 month' on 31 January is 2 or 3 March (the day is kept and overflows),
-- '+1 year' on 29 February is 1 March; a text that is no date gives NULL.
-- @postgresql

-- kpi_touch(resident) / kpi_touch_new(resident): the indicator triggers name the resident
-- whose inputs are about to change. The backend hears the notice while the statement runs
-- and hands the id to kpi/'s tracker (db/db_pg.c); connections without one ignore it.
CREATE OR REPLACE FUNCTION kpi_touch(resident bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF resident IS NOT NULL THEN RAISE NOTICE 'jiayi_kpi_touch %', resident; END IF;
END $$;
CREATE OR REPLACE FUNCTION kpi_touch_new(resident bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF resident IS NOT NULL THEN RAISE NOTICE 'jiayi_kpi_touch_new %', resident; END IF;
END $$;

-- A time value as SQLite reads one: 'now', or text starting YYYY-MM-DD.
CREATE OR REPLACE FUNCTION jiayi_time(v text) RETURNS timestamp LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF v IS NULL THEN RETURN NULL; END IF;
    IF v = 'now' THEN RETURN statement_timestamp() AT TIME ZONE 'UTC'; END IF;
    -- (?:...) groups: substring() would return a capturing group's text, not the match.
    RETURN replace(substring(v FROM '^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?'), 'T', ' ')::timestamp;
EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION jiayi_modify(t timestamp, m text) RETURNS timestamp LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    parts text[];
    n numeric;
    unit text;
    months int;
    y int;
BEGIN
    IF t IS NULL OR m IS NULL THEN RETURN NULL; END IF;
    m := lower(trim(m));
    IF m = 'start of month' THEN RETURN date_trunc('month', t); END IF;
    IF m = 'start of year' THEN RETURN date_trunc('year', t); END IF;
    IF m = 'start of day' THEN RETURN date_trunc('day', t); END IF;
    parts := regexp_match(m, '^([+-]?[0-9]+(\.[0-9]+)?)\s*(day|month|year|hour|minute|second)s?$');
    IF parts IS NULL THEN RETURN NULL; END IF;
    n := parts[1]::numeric;
    unit := parts[3];
    IF unit = 'day' THEN RETURN t + n * interval '1 day'; END IF;
    IF unit = 'hour' THEN RETURN t + n * interval '1 hour'; END IF;
    IF unit = 'minute' THEN RETURN t + n * interval '1 minute'; END IF;
    IF unit = 'second' THEN RETURN t + n * interval '1 second'; END IF;
    -- Months and years move the month field and keep the day, which then overflows.
    months := (extract(year FROM t)::int * 12 + extract(month FROM t)::int - 1)
              + (CASE unit WHEN 'year' THEN 12 ELSE 1 END) * n::int;
    y := months / 12;
    RETURN make_timestamp(y, months % 12 + 1, 1, 0, 0, 0)
           + (extract(day FROM t)::int - 1) * interval '1 day' + (t - date_trunc('day', t));
END $$;

CREATE OR REPLACE FUNCTION date(v text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(jiayi_time(v), 'YYYY-MM-DD')
$$;
CREATE OR REPLACE FUNCTION date(v text, VARIADIC modifiers text[]) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    t timestamp := jiayi_time(v);
    m text;
BEGIN
    FOREACH m IN ARRAY modifiers LOOP
        t := jiayi_modify(t, m);
    END LOOP;
    RETURN to_char(t, 'YYYY-MM-DD');
END $$;

CREATE OR REPLACE FUNCTION julianday(v text) RETURNS double precision LANGUAGE sql STABLE AS $$
    SELECT extract(epoch FROM jiayi_time(v))::double precision / 86400.0 + 2440587.5
$$;

CREATE OR REPLACE FUNCTION strftime(fmt text, v text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    t timestamp := jiayi_time(v);
    result text := '';
    i int := 1;
    c text;
BEGIN
    IF t IS NULL OR fmt IS NULL THEN RETURN NULL; END IF;
    IF fmt = '%Y-%m-%dT%H:%M:%SZ' THEN RETURN to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'); END IF;
    WHILE i <= length(fmt) LOOP
        c := substr(fmt, i, 1);
        IF c = '%' AND i < length(fmt) THEN
            c := substr(fmt, i + 1, 1);
            result := result || CASE c
                WHEN 'Y' THEN to_char(t, 'YYYY') WHEN 'm' THEN to_char(t, 'MM')
                WHEN 'd' THEN to_char(t, 'DD') WHEN 'H' THEN to_char(t, 'HH24')
                WHEN 'M' THEN to_char(t, 'MI') WHEN 'S' THEN to_char(t, 'SS')
                WHEN 'j' THEN to_char(t, 'DDD') WHEN 'w' THEN extract(dow FROM t)::int::text
                WHEN 's' THEN floor(extract(epoch FROM t))::bigint::text WHEN '%' THEN '%'
                ELSE '' END;
            i := i + 2;
        ELSE
            result := result || c;
            i := i + 1;
        END IF;
    END LOOP;
    RETURN result;
END $$;

-- CAST(x AS INTEGER) as SQLite does it (the backend writes jiayi_int(x)): a number is
-- truncated toward zero, a text gives its leading integer (0 when none), a condition 0 or 1.
CREATE OR REPLACE FUNCTION jiayi_int(v bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT v $$;
CREATE OR REPLACE FUNCTION jiayi_int(v double precision) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT trunc(v)::bigint
$$;
CREATE OR REPLACE FUNCTION jiayi_int(v numeric) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT trunc(v)::bigint
$$;
CREATE OR REPLACE FUNCTION jiayi_int(v boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT v::int::bigint
$$;
CREATE OR REPLACE FUNCTION jiayi_int(v text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN NULL
                ELSE coalesce(trunc(substring(v FROM '^\s*[+-]?[0-9]+(?:\.[0-9]*)?')::numeric)::bigint, 0) END
$$;

CREATE OR REPLACE FUNCTION ifnull(a anycompatible, b anycompatible) RETURNS anycompatible
    LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(a, b) $$;
-- SQLite's max(a, b) and min(a, b) of two values (NULL when either is).
CREATE OR REPLACE FUNCTION max(a anycompatible, b anycompatible) RETURNS anycompatible
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END $$;
CREATE OR REPLACE FUNCTION min(a anycompatible, b anycompatible) RETURNS anycompatible
    LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END $$;

CREATE OR REPLACE FUNCTION jiayi_concat(state text, value text, sep text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN state WHEN state IS NULL THEN value ELSE state || sep || value END
$$;
CREATE OR REPLACE FUNCTION jiayi_concat(state text, value text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT jiayi_concat(state, value, ',') $$;
CREATE OR REPLACE FUNCTION jiayi_concat(state text, value bigint) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT jiayi_concat(state, value::text, ',') $$;
CREATE OR REPLACE AGGREGATE group_concat(text) (SFUNC = jiayi_concat, STYPE = text);
CREATE OR REPLACE AGGREGATE group_concat(bigint) (SFUNC = jiayi_concat, STYPE = text);
CREATE OR REPLACE AGGREGATE group_concat(text, text) (SFUNC = jiayi_concat, STYPE = text);

-- SQLite's JSON functions on text, as far as store/ uses them: validity, a value at a
-- path of object keys ($.a.b), and the elements of an array or the members of an object.
CREATE OR REPLACE FUNCTION json_valid(v text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF v IS NULL THEN RETURN NULL; END IF;
    PERFORM v::jsonb;
    RETURN true;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN false;
END $$;
CREATE OR REPLACE FUNCTION json_extract(v text, path text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN path = '$' THEN v
                ELSE v::jsonb #>> string_to_array(substr(path, 3), '.') END
$$;
CREATE OR REPLACE FUNCTION json_each(v text) RETURNS TABLE (key text, value text, type text)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT (e.ordinality - 1)::text, e.value #>> '{}', jsonb_typeof(e.value)
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v::jsonb) = 'array' THEN v::jsonb ELSE '[]' END)
           WITH ORDINALITY AS e(value, ordinality)
    UNION ALL
    SELECT o.key, o.value #>> '{}', jsonb_typeof(o.value)
      FROM jsonb_each(CASE WHEN jsonb_typeof(v::jsonb) = 'object' THEN v::jsonb ELSE '{}' END) AS o
$$;

-- sum(condition): SQLite counts true conditions as 1.
CREATE OR REPLACE FUNCTION jiayi_sum_bool(state bigint, value boolean) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN state ELSE coalesce(state, 0) + value::int END
$$;
CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = jiayi_sum_bool, STYPE = bigint);
-- max(condition), min(condition): 1 or 0, as SQLite.
CREATE OR REPLACE FUNCTION jiayi_max_bool(state bigint, value boolean) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN state ELSE greatest(coalesce(state, 0), value::int) END
$$;
CREATE OR REPLACE FUNCTION jiayi_min_bool(state bigint, value boolean) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN state ELSE least(coalesce(state, 1), value::int) END
$$;
CREATE OR REPLACE AGGREGATE max(boolean) (SFUNC = jiayi_max_bool, STYPE = bigint);
CREATE OR REPLACE AGGREGATE min(boolean) (SFUNC = jiayi_min_bool, STYPE = bigint);
-- @end
