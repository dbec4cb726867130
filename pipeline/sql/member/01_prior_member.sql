-- 01: each current person record (an accepted survey or roster row) and the
-- member it belonged to before this run: its own, else that of a retired
-- record of the same file and person (the file was resent), else that of a
-- retired record with the same valid ID number.
WITH cur AS (
    SELECT record_id, member_id, file_path, name, id_number, id_status
    FROM source_record
    WHERE retired_run_id IS NULL AND status = 'accepted' AND source_kind IN ('survey', 'roster')
),
old AS (
    SELECT record_id, member_id, file_path, name, id_number, id_status
    FROM source_record
    WHERE retired_run_id IS NOT NULL AND member_id IS NOT NULL AND source_kind IN ('survey', 'roster')
),
same_file AS (
    SELECT c.record_id, arg_max(o.member_id, o.record_id) AS member_id
    FROM cur c JOIN old o
      ON o.file_path = c.file_path AND o.name IS NOT DISTINCT FROM c.name
     AND o.id_number IS NOT DISTINCT FROM c.id_number
    WHERE c.member_id IS NULL
    GROUP BY c.record_id
),
same_id AS (
    SELECT c.record_id, arg_max(o.member_id, o.record_id) AS member_id
    FROM cur c JOIN old o ON o.id_number = c.id_number
    WHERE c.member_id IS NULL AND c.id_status IN ('valid', 'converted_15') AND o.id_status IN ('valid', 'converted_15')
    GROUP BY c.record_id
)
SELECT c.record_id, coalesce(c.member_id, f.member_id, i.member_id) AS prior
FROM cur c
LEFT JOIN same_file f USING (record_id)
LEFT JOIN same_id i USING (record_id)
ORDER BY c.record_id;
