-- Every message updates its account's last visit. Indexed, each of those updates also writes
-- every index of `users` (on PostgreSQL no in-place "HOT" update is possible), and two
-- people's messages handled at the same moment then touch the same index pages: PostgreSQL's
-- SERIALIZABLE check rolls one back to run it again. The figures' "active" count finds a
-- producer's accounts through users_producer (one or two per producer) just as well.
DROP INDEX IF EXISTS users_seen;
