-- 0020: a contact identity's best weight and margin kept once, in
-- contact_identity beside its candidates, not on each of its records. Like
-- the candidates (0019) they are the identity's: every record of it has the
-- same (sql/contact/03_outcome.sql), and at a million persons 7.2 million
-- records carried them for 1.7 million identities. v_contact shows them as
-- before. An identity with no candidates has no weight either (it was
-- compared with no one), so the rows already there are enough; the weights
-- of older registries' records are taken from them.
ALTER TABLE contact_identity ADD COLUMN weight DOUBLE;   -- best member's score (log2 Bayes factor)
ALTER TABLE contact_identity ADD COLUMN margin DOUBLE;   -- best minus second best (NULL with one candidate)

UPDATE contact_identity SET weight = c.weight, margin = c.margin
FROM (SELECT key_id, any_value(weight) AS weight, any_value(margin) AS margin FROM contact GROUP BY key_id) c
WHERE contact_identity.key_id = c.key_id;

-- A record whose identity has no row (no candidates) but a weight: none is
-- written so (a weight comes with a best member, and so a candidate); kept
-- all the same, never lost.
INSERT INTO contact_identity (key_id, weight, margin)
SELECT key_id, any_value(weight), any_value(margin)
FROM contact
WHERE weight IS NOT NULL AND key_id NOT IN (SELECT key_id FROM contact_identity)
GROUP BY key_id;

-- v_contact as 0006 made it, every column in the same order.
CREATE OR REPLACE VIEW v_contact AS
SELECT c.record_id, c.source_kind, c.outcome, c.member_id, ci.weight, ci.margin, ci.candidates, c.duplicate_of,
       r.file_path, r.sheet, r.row_number, r.name, r.id_number, r.phone, r.community
FROM contact c JOIN source_record r USING (record_id)
LEFT JOIN contact_identity ci ON ci.key_id = c.key_id
WHERE r.retired_run_id IS NULL;

ALTER TABLE contact DROP COLUMN weight;
ALTER TABLE contact DROP COLUMN margin;
