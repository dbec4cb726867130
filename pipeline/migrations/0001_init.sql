-- 0001: the registry's first schema: runs, the file manifest, source records
-- and their findings. Owned by package pipeline (ARCHITECTURE.md).

-- One row per pipeline run.
CREATE TABLE runs (
    run_id          INTEGER PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    ended_at        TIMESTAMP,
    status          VARCHAR NOT NULL,      -- running | ok | quarantined | failed
    version         VARCHAR,
    inbox           VARCHAR,
    files_seen      INTEGER DEFAULT 0,
    files_loaded    INTEGER DEFAULT 0,     -- new or changed files read this run
    files_unchanged INTEGER DEFAULT 0,
    files_superseded INTEGER DEFAULT 0,
    files_removed   INTEGER DEFAULT 0,
    files_quarantined INTEGER DEFAULT 0,   -- quarantined files in the inbox after this run
    rows_accepted   INTEGER DEFAULT 0,
    rows_rejected   INTEGER DEFAULT 0,
    rows_skipped    INTEGER DEFAULT 0,
    counts          JSON,                  -- per kind: files and rows
    stage_timings   JSON,                  -- stage → seconds
    error           VARCHAR
);

-- The file manifest: one row per version of a file that reached the inbox.
CREATE TABLE source_file (
    file_id          BIGINT PRIMARY KEY,
    path             VARCHAR NOT NULL,     -- relative to the inbox, forward slashes
    source_kind      VARCHAR NOT NULL,
    sha256           VARCHAR NOT NULL,
    size_bytes       BIGINT NOT NULL,
    status           VARCHAR NOT NULL,     -- pending | loaded | quarantined | duplicate
    format           VARCHAR,              -- xlsx | csv
    encoding         VARCHAR,              -- CSV only: utf-8, utf-8-bom, gbk, gb18030, utf-16le, utf-16be
    delimiter        VARCHAR,
    date1904         BOOLEAN,
    quarantine_code  VARCHAR,
    quarantine_reason VARCHAR,
    quarantine_hint  VARCHAR,
    duplicate_of     BIGINT,               -- file_id of the identical file already read
    sheets           JSON,                 -- per sheet: name, header rows, columns, skipped reason, row counts
    unmapped_columns JSON,                 -- titles no alias matched
    rows_accepted    INTEGER DEFAULT 0,
    rows_rejected    INTEGER DEFAULT 0,
    rows_skipped     INTEGER DEFAULT 0,
    first_run_id     INTEGER NOT NULL,     -- the run that first saw this version
    loaded_run_id    INTEGER,              -- the run that read it
    retired_run_id   INTEGER,              -- the run that saw it replaced or removed; NULL while current
    retired_reason   VARCHAR               -- superseded | removed
);

-- One row per data row of every loaded file, cleaned. Retired rows stay.
CREATE TABLE source_record (
    record_id        BIGINT PRIMARY KEY,   -- file_id * 10,000,000 + ordinal
    file_id          BIGINT NOT NULL,
    run_id           INTEGER NOT NULL,
    source_kind      VARCHAR NOT NULL,
    file_path        VARCHAR NOT NULL,
    sheet            VARCHAR,              -- NULL for CSV
    row_number       INTEGER NOT NULL,
    status           VARCHAR NOT NULL,     -- accepted | rejected
    reject_reason    VARCHAR,
    retired_run_id   INTEGER,
    member_id        VARCHAR,              -- filled by reconciliation
    raw              JSON NOT NULL,        -- column title → raw cell text
    extra            JSON,                 -- unmapped columns: title → raw text
    name             VARCHAR,
    gender           VARCHAR,
    ethnicity        VARCHAR,
    id_number        VARCHAR,
    id_status        VARCHAR,
    id_prefix        VARCHAR,
    id_birth_date    DATE,
    id_gender        VARCHAR,
    birth_date       VARCHAR,              -- ISO: 1985-03-12, 1985-03 or 1985 as precise as given
    education        VARCHAR,
    member_type      VARCHAR,
    origin_branch    VARCHAR,
    origin_branch_key VARCHAR,
    join_date        VARCHAR,
    regular_date     VARCHAR,
    phone            VARCHAR,
    landline         VARCHAR,
    address          VARCHAR,
    home_address     VARCHAR,
    employer         VARCHAR,
    job              VARCHAR,
    community        VARCHAR,
    outflow_date     VARCHAR,
    outflow_reason   VARCHAR,
    inflow_date      VARCHAR,
    destination      VARCHAR,
    activity_card    VARCHAR,
    contact          VARCHAR,
    party_status     VARCHAR,
    presence         VARCHAR,
    remark           VARCHAR,
    activity_date    VARCHAR,
    activity_type    VARCHAR,
    content          VARCHAR,
    hours            DOUBLE,
    place            VARCHAR,
    signed_by        VARCHAR,
    counsellor       VARCHAR,
    counsellor_post  VARCHAR,
    counsellor_phone VARCHAR,
    paired_from      VARCHAR,
    visit_date       VARCHAR,
    notes            VARCHAR,
    ref_record_id    VARCHAR,
    ref_other_id     VARCHAR,
    ref_member_id    VARCHAR,
    decision         VARCHAR,
    analyst          VARCHAR
);

-- What cleaning noticed, per record and cell.
CREATE TABLE finding (
    record_id  BIGINT NOT NULL,
    file_id    BIGINT NOT NULL,
    field      VARCHAR,
    column_letter VARCHAR,
    column_title  VARCHAR,
    location   VARCHAR NOT NULL,           -- surveys/同心.xlsx:Sheet1!E12
    code       VARCHAR NOT NULL,
    severity   VARCHAR NOT NULL,           -- error | warning | info
    message    VARCHAR NOT NULL
);
