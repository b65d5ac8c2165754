-- Statistics after bulk writes (src/db/analyze-after-bulk.ts). PGlite has no autovacuum, so its
-- tables had no statistics at all unless someone ran ANALYZE; on a server, autovacuum analyzes a
-- table up to a minute after the commit that changed a tenth of it, by which time the first cycle
-- after a load has been planned. So the bulk paths (demo load, contacts import, stats batches)
-- call this at their end, in their own transaction, where ANALYZE also samples their rows.
--
-- The rule: analyze a table once it is more than twice the size its statistics describe
-- (pg_class.relpages, as the last ANALYZE or VACUUM counted it; 0 if none ever ran), and at least
-- 64 pages (512 kB: smaller tables are cheap to read whatever the plan). Each doubling is a change
-- that can turn a plan, and doublings are few: a table analyzed at 90,000 rows is analyzed again
-- at 180,000 and 360,000, so a stream of 10,000-row stats batches pays for ANALYZE (up to a second
-- on millions of rows) ever more rarely, while the first batches of a new installation, and a
-- tenant that doubles a table at once, are analyzed before the next cycle. Checking costs the
-- size of each table (no reads).
--
-- SECURITY DEFINER: requests run as nightshift_app, which does not own the tables and so may not
-- analyze them; it may only call this, for tables of the public schema. A table that another
-- transaction is analyzing or vacuuming (its lock is taken) is skipped rather than waited for:
-- concurrent batches do not queue behind each other's ANALYZE. Returns the tables analyzed.
CREATE FUNCTION nightshift_analyze_outgrown(p_tables text[]) RETURNS text[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  page constant bigint := current_setting('block_size')::bigint;
  t text;
  analyzed text[] := '{}';
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname = ANY (p_tables)
       AND pg_relation_size(c.oid) >= 64 * page
       AND pg_relation_size(c.oid) > 2 * c.relpages::bigint * page
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
REVOKE ALL ON FUNCTION nightshift_analyze_outgrown(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION nightshift_analyze_outgrown(text[]) TO nightshift_app;
