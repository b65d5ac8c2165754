-- Statistics after bulk writes (src/db/analyze-after-bulk.ts). PGlite has no autovacuum, so its
-- tables had no statistics at all unless someone ran ANALYZE; on a server, autovacuum analyzes a
-- table up to a minute after the commit that changed a tenth of it, by which time the first cycle
-- after a load has been planned. So the bulk paths (demo load, contacts import, stats batches)
-- call this at their end, in their own transaction (where ANALYZE also samples their own rows),
-- with how many rows they wrote to each table.
--
-- The rule: analyze a table when this write alone is at least as many rows as its statistics
-- describe (pg_class.reltuples: -1 if it never had any), i.e. the write at least doubled it, and
-- the table has 64 pages or more (512 kB; smaller ones are cheap to read whatever the plan). A
-- table described as twice smaller than it is can turn a plan; one write adding a few percent
-- cannot. Growth by many small writes is left to autovacuum: analyzing whenever a table had
-- doubled since its last ANALYZE, which bench:api's 300,000 rows on top of 90,000 reached a few
-- times, cost its ingestion 8-10% (ours/limit 0.67-0.70, against 0.74-0.77 without). On PGlite
-- such a table keeps the statistics of its last large write; the cycle's plans do not depend on
-- them (migration 0023). The check reads reltuples and each named table's size, no pages.
--
-- SECURITY DEFINER: requests run as nightshift_app, which does not own the tables and so may not
-- analyze them; it may only call this, for tables of the public schema. A table that another
-- transaction is analyzing or vacuuming (its lock is taken) is skipped rather than waited for:
-- concurrent batches do not queue behind each other's ANALYZE. Returns the tables analyzed.
CREATE FUNCTION nightshift_analyze_outgrown(p_tables text[], p_rows bigint[]) RETURNS text[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  page constant bigint := current_setting('block_size')::bigint;
  t text;
  analyzed text[] := '{}';
BEGIN
  FOR t IN
    SELECT c.relname FROM unnest(p_tables, p_rows) AS w (name, written)
      JOIN pg_class c ON c.relname = w.name AND c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
     WHERE w.written >= c.reltuples AND pg_relation_size(c.oid) >= 64 * page
     ORDER BY c.relname
  LOOP
    BEGIN
      EXECUTE format('LOCK TABLE public.%I IN SHARE UPDATE EXCLUSIVE MODE NOWAIT', t);
    EXCEPTION WHEN lock_not_available THEN
      CONTINUE;
    END;
    EXECUTE format('ANALYZE public.%I', t);
    analyzed := analyzed || t;
  END LOOP;
  RETURN analyzed;
END
$$;
REVOKE ALL ON FUNCTION nightshift_analyze_outgrown(text[], bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION nightshift_analyze_outgrown(text[], bigint[]) TO nightshift_app;
