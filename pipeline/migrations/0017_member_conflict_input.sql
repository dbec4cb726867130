-- 0017: each current member's person records as its field conflicts were
-- last found (sql/member/04_discrepancy.sql): a digest of their record IDs.
-- A member whose digest is unchanged has the same records, so the same
-- conflicts, still open in discrepancy; only the others are compared again.
-- Empty (registries before): every member is compared once, then recorded.
CREATE TABLE member_conflict_input (
    member_id VARCHAR NOT NULL,
    digest    UBIGINT NOT NULL
);
