-- 0007: year-end activity certificates (活动认证书): a stable serial number per
-- member and year, and the content each was issued with, so a rerun issues
-- the same certificate and a late activity a revised one. Owned by
-- pipeline/certificate.go.
CREATE TABLE certificate (
    year            INTEGER NOT NULL,
    member_id       VARCHAR NOT NULL,
    serial          INTEGER NOT NULL,          -- 宝龙认字〔2026〕第0123号: 123
    content_sha256  VARCHAR NOT NULL,          -- of what the certificate says
    issued_run_id   INTEGER NOT NULL,
    issued_on       DATE NOT NULL,
    revision        INTEGER NOT NULL DEFAULT 0, -- 0: as first issued; n: revised n times
    revised_on      DATE,                       -- the date of the latest revision
    PRIMARY KEY (year, member_id)
);
