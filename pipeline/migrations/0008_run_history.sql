-- 0008: what `liudong history` shows that runs did not keep yet. Owned by
-- pipeline/history.go (ARCHITECTURE.md).

-- Current members when the run ended (NULL for a run that did not get that far).
ALTER TABLE runs ADD COLUMN members INTEGER;
-- The backup taken before the run changed the registry (folder path; NULL: none needed).
ALTER TABLE runs ADD COLUMN backup VARCHAR;
-- What decides the registry besides the inbox (rules, ingest settings, version), hashed: a run whose inbox and
-- configuration are unchanged since the last finished run changes nothing and needs no backup.
ALTER TABLE runs ADD COLUMN config_sha256 VARCHAR;
