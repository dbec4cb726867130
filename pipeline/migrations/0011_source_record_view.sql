-- 0011: v_source_record counts each record's findings with one grouped join
-- instead of two correlated subqueries: the same rows and columns, about
-- twice as fast to read in full (the Parquet export, the registry workbook).
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
    coalesce(f.errors, 0) AS error_count,
    coalesce(f.warnings, 0) AS warning_count
FROM source_record r
LEFT JOIN (
    SELECT record_id, count(*) FILTER (WHERE severity = 'error') AS errors,
           count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM finding GROUP BY record_id
) f USING (record_id)
WHERE r.retired_run_id IS NULL;
