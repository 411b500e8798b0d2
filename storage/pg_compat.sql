-- SQLite's functions that the repositories and migrations use, for PostgreSQL. Applied on every
-- start before the migrations (each statement replaces what an earlier release created).
-- Times are UTC text ('2026-12-01T03:00:00Z'), as storage/timefmt.py writes them.

CREATE OR REPLACE FUNCTION sqlite_time(ts text, mods text[]) RETURNS timestamp
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t timestamp;
    m text;
BEGIN
    IF ts IS NULL THEN RETURN NULL; END IF;
    IF lower(ts) = 'now' THEN
        t := (now() AT TIME ZONE 'UTC');
    ELSIF ts ~ '^-?[0-9]+(\.[0-9]+)?$' THEN
        t := (to_timestamp(ts::double precision) AT TIME ZONE 'UTC');
    ELSE
        BEGIN
            t := (ts::timestamptz AT TIME ZONE 'UTC');
        EXCEPTION WHEN others THEN
            RETURN NULL;  -- SQLite answers NULL for a time it cannot read
        END;
    END IF;
    FOREACH m IN ARRAY coalesce(mods, '{}'::text[]) LOOP
        m := lower(trim(m));
        IF m = 'start of day' THEN t := date_trunc('day', t);
        ELSIF m = 'start of month' THEN t := date_trunc('month', t);
        ELSIF m = 'start of year' THEN t := date_trunc('year', t);
        ELSIF m IN ('utc', 'localtime') THEN NULL;
        ELSE t := t + m::interval;
        END IF;
    END LOOP;
    RETURN t;
END $$;

CREATE OR REPLACE FUNCTION strftime(fmt text, ts text DEFAULT 'now', VARIADIC mods text[] DEFAULT '{}')
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    t timestamp := sqlite_time(ts, mods);
    out text := '';
    i int := 1;
    c text;
BEGIN
    IF t IS NULL OR fmt IS NULL THEN RETURN NULL; END IF;
    WHILE i <= length(fmt) LOOP
        c := substr(fmt, i, 1);
        IF c = '%' AND i < length(fmt) THEN
            i := i + 1;
            c := substr(fmt, i, 1);
            out := out || CASE c
                WHEN 'Y' THEN to_char(t, 'YYYY') WHEN 'm' THEN to_char(t, 'MM')
                WHEN 'd' THEN to_char(t, 'DD') WHEN 'H' THEN to_char(t, 'HH24')
                WHEN 'M' THEN to_char(t, 'MI') WHEN 'S' THEN to_char(t, 'SS')
                WHEN 'f' THEN to_char(t, 'SS.MS') WHEN 'j' THEN to_char(t, 'DDD')
                WHEN 'w' THEN (extract(dow FROM t))::int::text
                WHEN 's' THEN floor(extract(epoch FROM t))::bigint::text
                WHEN '%' THEN '%' ELSE '%' || c END;
        ELSE
            out := out || c;
        END IF;
        i := i + 1;
    END LOOP;
    RETURN out;
END $$;

CREATE OR REPLACE FUNCTION datetime(ts text DEFAULT 'now', VARIADIC mods text[] DEFAULT '{}')
RETURNS text LANGUAGE sql STABLE AS $$ SELECT to_char(sqlite_time(ts, mods), 'YYYY-MM-DD HH24:MI:SS') $$;

CREATE OR REPLACE FUNCTION sqlite_date(ts text, VARIADIC mods text[] DEFAULT '{}')
RETURNS text LANGUAGE sql STABLE AS $$ SELECT to_char(sqlite_time(ts, mods), 'YYYY-MM-DD') $$;

CREATE OR REPLACE FUNCTION julianday(ts text, VARIADIC mods text[] DEFAULT '{}')
RETURNS double precision LANGUAGE sql STABLE AS
$$ SELECT extract(epoch FROM sqlite_time(ts, mods))::double precision / 86400 + 2440587.5 $$;

-- JSON kept as text, read with SQLite's '$.a.b[0]' paths.
CREATE OR REPLACE FUNCTION sqlite_json_path(path text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(part ORDER BY n), '{}')
      FROM regexp_split_to_table(
               regexp_replace(regexp_replace(path, '^\$\.?', ''), '\[([0-9]+)\]', '.\1', 'g'),
               '\.') WITH ORDINALITY AS p(part, n)
     WHERE part <> ''
$$;

CREATE OR REPLACE FUNCTION json_type(doc text, path text DEFAULT '$') RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(doc::jsonb #> sqlite_json_path(path))
        WHEN 'object' THEN 'object' WHEN 'array' THEN 'array' WHEN 'string' THEN 'text'
        WHEN 'boolean' THEN CASE WHEN (doc::jsonb #>> sqlite_json_path(path)) = 'true'
                                 THEN 'true' ELSE 'false' END
        WHEN 'null' THEN 'null'
        WHEN 'number' THEN CASE WHEN (doc::jsonb #>> sqlite_json_path(path)) ~ '^-?[0-9]+$'
                                THEN 'integer' ELSE 'real' END
    END
$$;

CREATE OR REPLACE FUNCTION json_extract(doc text, path text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT doc::jsonb #>> sqlite_json_path(path) $$;

CREATE OR REPLACE FUNCTION json_remove(doc text, VARIADIC paths text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    j jsonb := doc::jsonb;
    p text;
BEGIN
    IF doc IS NULL THEN RETURN NULL; END IF;
    FOREACH p IN ARRAY paths LOOP
        j := j #- sqlite_json_path(p);
    END LOOP;
    RETURN j::text;
END $$;

CREATE OR REPLACE FUNCTION json_array_length(doc text, path text DEFAULT '$') RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT jsonb_array_length(doc::jsonb #> sqlite_json_path(path)) $$;

CREATE OR REPLACE FUNCTION json_each(doc text) RETURNS TABLE (key text, value text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT (n - 1)::text, v FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(doc::jsonb) = 'array' THEN doc::jsonb ELSE '[]' END)
        WITH ORDINALITY AS e(v, n)
    UNION ALL
    SELECT k, v FROM jsonb_each_text(
        CASE WHEN jsonb_typeof(doc::jsonb) = 'object' THEN doc::jsonb ELSE '{}' END) AS o(k, v)
$$;

-- Scalar functions.
CREATE OR REPLACE FUNCTION max(a anycompatible, b anycompatible) RETURNS anycompatible
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END $$;
CREATE OR REPLACE FUNCTION min(a anycompatible, b anycompatible) RETURNS anycompatible
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END $$;
CREATE OR REPLACE FUNCTION ifnull(a anycompatible, b anycompatible) RETURNS anycompatible
LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(a, b) $$;
CREATE OR REPLACE FUNCTION iif(c boolean, a anycompatible, b anycompatible) RETURNS anycompatible
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN c THEN a ELSE b END $$;
CREATE OR REPLACE FUNCTION instr(haystack text, needle text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(haystack, needle)::bigint $$;
CREATE OR REPLACE FUNCTION hex(data bytea) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT upper(encode(data, 'hex')) $$;
CREATE OR REPLACE FUNCTION round(x double precision, digits integer) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$ SELECT round(x::numeric, digits)::double precision $$;
-- Random bytes from the server's strong generator (gen_random_uuid: 122 random bits each).
CREATE OR REPLACE FUNCTION randomblob(n integer) RETURNS bytea
LANGUAGE sql VOLATILE AS $$
    SELECT substring(string_agg(uuid_send(gen_random_uuid()), ''::bytea) FROM 1 FOR n)
      FROM generate_series(1, greatest(1, n * 2 / 15 + 1))
$$;

-- Aggregates: sum over a condition, total(), group_concat().
CREATE OR REPLACE FUNCTION sqlite_sum_bool(acc bigint, v boolean) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN v IS NULL THEN acc ELSE coalesce(acc, 0) + v::int END $$;
CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = sqlite_sum_bool, STYPE = bigint);

CREATE OR REPLACE FUNCTION sqlite_total(acc double precision, v double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $$ SELECT acc + coalesce(v, 0) $$;
CREATE OR REPLACE AGGREGATE total(double precision) (
    SFUNC = sqlite_total, STYPE = double precision, INITCOND = '0');

CREATE OR REPLACE FUNCTION sqlite_concat(acc text, v anyelement, sep text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text ELSE acc || sep || v::text END
$$;
CREATE OR REPLACE FUNCTION sqlite_concat(acc text, v anyelement) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT sqlite_concat(acc, v, ',') $$;
CREATE OR REPLACE AGGREGATE group_concat(anyelement, text) (SFUNC = sqlite_concat, STYPE = text);
CREATE OR REPLACE AGGREGATE group_concat(anyelement) (SFUNC = sqlite_concat, STYPE = text);

-- `COLLATE NOCASE`: equal when only the case differs.
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- What the repositories read of the schema.
CREATE OR REPLACE VIEW sqlite_master AS
    SELECT CASE c.relkind WHEN 'i' THEN 'index' WHEN 'v' THEN 'view' ELSE 'table' END AS type,
           c.relname::text AS name,
           coalesce(t.relname, c.relname)::text AS tbl_name,
           ''::text AS sql
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_index i ON i.indexrelid = c.oid
      LEFT JOIN pg_class t ON t.oid = i.indrelid
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 'v')
       AND c.relname NOT IN ('sqlite_master');

CREATE OR REPLACE FUNCTION pragma_foreign_key_list(tbl text)
RETURNS TABLE (id integer, seq integer, "table" text, "from" text, "to" text,
               on_update text, on_delete text, match text)
LANGUAGE sql STABLE AS $$
    SELECT (row_number() OVER (ORDER BY con.oid) - 1)::int, (k.n - 1)::int,
           ref.relname::text, a.attname::text, fa.attname::text,
           'NO ACTION', CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                                             WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END,
           'NONE'
      FROM pg_constraint con
      JOIN pg_class src ON src.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = src.relnamespace AND n.nspname = current_schema()
      JOIN pg_class ref ON ref.oid = con.confrelid
      CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(src_col, ref_col, n)
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.src_col
      JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.ref_col
     WHERE con.contype = 'f' AND src.relname = tbl
$$;

CREATE OR REPLACE FUNCTION pragma_table_info(tbl text)
RETURNS TABLE (cid integer, name text, type text, notnull integer, dflt_value text, pk integer)
LANGUAGE sql STABLE AS $$
    SELECT (c.ordinal_position - 1)::int, c.column_name::text, upper(c.data_type)::text,
           (c.is_nullable = 'NO')::int, c.column_default::text,
           coalesce((SELECT k.ordinal_position::int FROM information_schema.key_column_usage k
                      JOIN information_schema.table_constraints tc
                        ON tc.constraint_name = k.constraint_name
                       AND tc.table_schema = k.table_schema
                     WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_name = tbl
                       AND k.table_schema = current_schema() AND k.column_name = c.column_name), 0)
      FROM information_schema.columns c
     WHERE c.table_name = tbl AND c.table_schema = current_schema()
     ORDER BY c.ordinal_position
$$;

CREATE OR REPLACE FUNCTION unixepoch(ts text DEFAULT 'now', VARIADIC mods text[] DEFAULT '{}')
RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT floor(extract(epoch FROM sqlite_time(ts, mods)))::bigint $$;

-- The hash the bot keeps of every code (storage/hashing.py), for migrations that hash in place.
CREATE OR REPLACE FUNCTION sha256_hex(value text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256(convert_to(value, 'UTF8')), 'hex') $$;

-- A column or alias used bare as a condition (`WHERE urgent`, `NOT revoked`): SQLite takes a
-- number, PostgreSQL a boolean; storage/sql_conditions.py wraps it in this, for either.
CREATE OR REPLACE FUNCTION sqlite_truth(v bigint)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v <> 0 $$;
CREATE OR REPLACE FUNCTION sqlite_truth(v double precision)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v <> 0 $$;
CREATE OR REPLACE FUNCTION sqlite_truth(v boolean)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v $$;
