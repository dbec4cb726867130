-- 0002: the stable views for analysts and tools (README, "The registry database").

-- Every current (not retired) source record with its provenance and cleaned fields.
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
    (SELECT count(*) FROM finding f WHERE f.record_id = r.record_id AND f.severity = 'error') AS error_count,
    (SELECT count(*) FROM finding f WHERE f.record_id = r.record_id AND f.severity = 'warning') AS warning_count
FROM source_record r
WHERE r.retired_run_id IS NULL;

-- Findings of current records, with where to find the cell.
CREATE OR REPLACE VIEW v_finding AS
SELECT f.record_id, r.source_kind, f.location, r.file_path, r.sheet, r.row_number, f.column_letter,
       f.column_title, f.field, f.code, f.severity, f.message,
       f.location || '：' || f.message AS full_message   -- what to show a person: where, then what
FROM finding f JOIN source_record r USING (record_id)
WHERE r.retired_run_id IS NULL;

-- The files currently in the inbox, as last read.
CREATE OR REPLACE VIEW v_source_file AS
SELECT file_id, path, source_kind, status, format, encoding, sha256, size_bytes, quarantine_code,
       quarantine_reason, quarantine_hint, duplicate_of, sheets, unmapped_columns, rows_accepted, rows_rejected,
       rows_skipped, first_run_id, loaded_run_id
FROM source_file
WHERE retired_run_id IS NULL;
