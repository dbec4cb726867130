-- 0016: what each certificate was last made from (certificate.go's
-- certificateInput: the member's fields it shows and a digest of the
-- year's activities), so a run reads the activities only of the members
-- whose certificates may have changed. NULL (certificates issued before):
-- read and compared once, then recorded.
ALTER TABLE certificate ADD COLUMN input_sha256 VARCHAR;
