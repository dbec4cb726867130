-- 0014: a record's findings are written once, with the record, and never
-- change after: source_record keeps their counts (error_count,
-- warning_count, filled by ingest) and v_source_record reads them instead of
-- grouping every finding of the registry each time it is read. At 1M persons
-- (9.7M findings) that grouping cost about 4 s per read of the view, and a
-- night reads it about twenty times (match and contact inputs, the report,
-- each community's Parquet partition). The same rows and columns.
ALTER TABLE source_record ADD COLUMN error_count BIGINT DEFAULT 0;
ALTER TABLE source_record ADD COLUMN warning_count BIGINT DEFAULT 0;

UPDATE source_record SET error_count = f.errors, warning_count = f.warnings
FROM (
    SELECT record_id, count(*) FILTER (WHERE severity = 'error') AS errors,
           count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM finding GROUP BY record_id
) f
WHERE source_record.record_id = f.record_id;

CREATE OR REPLACE VIEW v_source_record AS
SELECT
    r.record_id, r.source_kind, r.file_path, r.sheet, r.row_number, r.status, r.reject_reason, r.member_id,
    r.file_id, r.run_id,
    r.name, r.gender, r.ethnicity, r.id_number, r.id_status, r.id_prefix, r.id_birth_date, r.id_gender,
    r.birth_date, r.education, r.member_type, r.origin_branch, r.origin_branch_key, r.join_date, r.regular_date,
    r.phone, r.landline, r.address, r.home_address, r.employer, r.job, r.community, r.outflow_date,
    r.outflow_reason, r.inflow_date, r.destination, r.activity_card, r.contact, r.party_status, r.presence,
    r.remark, r.activity_date, r.activity_type, r.content, r.hours, r.place, r.signed_by, r.counsellor,
    r.counsellor_post, r.counsellor_phone, r.paired_from, r.visit_date, r.notes, r.ref_record_id,
    r.ref_other_id, r.ref_member_id, r.decision, r.analyst,
    r.raw, r.extra,
    r.error_count, r.warning_count
FROM source_record r
WHERE r.retired_run_id IS NULL;
