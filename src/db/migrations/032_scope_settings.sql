-- 032_scope_settings: on PostgreSQL a request's data scope is two settings of its session,
-- read through functions, not temporary tables (issue 17, docs/scale.md "Reads on a
-- standby"). A hot standby refuses to create or fill a table, temporary or not, and the list
-- queries must run there; a setting is allowed, costs no catalog write, and is undone with
-- the transaction that set it. store/scope.c writes them; the runtime dialect reads SQLite's
-- temp.scope_ranges and temp.scope_ids as these functions. SQLite keeps its temp tables.
-- @postgresql
-- jiayi.scope_ranges: "code:subtree" entries joined by commas (subtree 1: every code with
-- that prefix, up to code || ';'; 0: the code alone, up to code || chr(1)).
CREATE FUNCTION jiayi_scope_ranges() RETURNS TABLE (lo TEXT, hi TEXT) LANGUAGE sql STABLE ROWS 4 AS $$
    SELECT split_part(e, ':', 1),
           split_part(e, ':', 1) || CASE WHEN split_part(e, ':', 2) = '1' THEN ';' ELSE chr(1) END
      FROM unnest(string_to_array(nullif(current_setting('jiayi.scope_ranges', true), ''), ',')) AS e
$$;
-- jiayi.scope_ids: resident ids joined by commas (the resident role and proxy consent).
CREATE FUNCTION jiayi_scope_ids() RETURNS TABLE (id BIGINT) LANGUAGE sql STABLE ROWS 4 AS $$
    SELECT CAST(e AS BIGINT)
      FROM unnest(string_to_array(nullif(current_setting('jiayi.scope_ids', true), ''), ',')) AS e
$$;
-- @end
