-- Rows that are updated in place again and again: campaigns (budget and status by the cycle,
-- last_optimization_at by every CMO loop run), content assets (delays, stale flags) and variants
-- (counters from ingestion, kills and rewrites). None of those columns is indexed, so Postgres
-- can keep the new row version on the same page and skip every index (a HOT update), but only if
-- the page has room. Packed full, each such update wrote a new entry into every index of the table
-- (four on campaigns): bench:loop's 10,000 last_optimization_at updates cost a third more.
-- Applies to pages written from now on; a table rewrite (VACUUM FULL) applies it to existing ones.
ALTER TABLE campaigns SET (fillfactor = 85);
ALTER TABLE content_assets SET (fillfactor = 85);
ALTER TABLE content_variants SET (fillfactor = 85);
