-- 0018: what each member's golden record was last made from
-- (sql/member/03_golden.sql): a digest of its person records (their IDs),
-- the analysts' decisions about it and the golden record's SQL. A night
-- makes the golden record again only for the members whose digest changed.
-- NULL (members before, and retired ones): made once more, then recorded.
ALTER TABLE member ADD COLUMN golden_input UBIGINT;
