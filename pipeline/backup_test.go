package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestBackupAndRestore: a run that changes the registry is preceded by a
// backup, a run that changes nothing is not; restoring the backup gives back
// the registry as it was, and the registry it replaced is kept aside so the
// restore can be undone.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Backup.Keep = 2
	ctx := context.Background()
	writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)

	runOnce(t, cfg)
	if bs, _ := ListBackups(cfg); len(bs) != 0 {
		t.Errorf("a run on a new registry made backups %v: nothing to lose", bs)
	}
	db := openTestDB(t, cfg)
	first := registryDigest(t, db)
	db.Close()

	runOnce(t, cfg) // same inbox, same configuration: no change
	if bs, _ := ListBackups(cfg); len(bs) != 0 {
		t.Errorf("a run that changes nothing made a backup: %v", bs)
	}

	writeCSV(t, cfg, "surveys/宝龙社区.csv", "序号,姓名,身份证号,联系电话,所在社区\n1,王芳,110101199003071234,13712345678,宝龙社区\n")
	sum := runOnce(t, cfg)
	bs, err := ListBackups(cfg)
	if err != nil || len(bs) != 1 || bs[0].RunID != sum.RunID || bs[0].Kind != "run" {
		t.Fatalf("backups after a changing run %d: %+v, %v", sum.RunID, bs, err)
	}
	db = openTestDB(t, cfg)
	third := registryDigest(t, db)
	var recorded string
	db.QueryRow(`SELECT coalesce(backup, '') FROM runs WHERE run_id = ?`, sum.RunID).Scan(&recorded)
	db.Close()
	if third == first {
		t.Fatal("the third run did not change the registry; the test proves nothing")
	}
	if recorded != bs[0].Dir {
		t.Errorf("runs.backup = %q, want %q", recorded, bs[0].Dir)
	}

	// A restore under someone else's lock is refused.
	l, err := LockRegistry(cfg.Database, "run", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, cfg, "3", time.Now(), zerolog.Nop()); err == nil {
		t.Error("restore while the registry is locked succeeded")
	} else if _, ok := IsLocked(err); !ok {
		t.Errorf("restore while locked: %v, want a LockedError", err)
	}
	l.Release()

	res, err := Restore(ctx, cfg, "3", fixedNow(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	db = openTestDB(t, cfg)
	if got := registryDigest(t, db); got != first {
		t.Errorf("restored registry differs from the one before run 3:\nwant %s\ngot  %s", first, got)
	}
	db.Close()
	if res.Aside == nil || res.Aside.Kind != "pre-restore" {
		t.Fatalf("the replaced registry was not kept aside: %+v", res)
	}

	// Undo the restore.
	if _, err := Restore(ctx, cfg, res.Aside.Name, fixedNow().Add(time.Minute), zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	db = openTestDB(t, cfg)
	if got := registryDigest(t, db); got != third {
		t.Errorf("undoing the restore: registry differs from after run 3")
	}
	db.Close()

	if _, err := Restore(ctx, cfg, "99", time.Now(), zerolog.Nop()); err == nil || !strings.Contains(err.Error(), "no backup") {
		t.Errorf("restore of a missing backup: %v", err)
	}

	// Only backup.keep run backups stay.
	for i := range 3 {
		writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV+strings.Repeat("\n", i+1))
		runOnce(t, cfg)
	}
	bs, _ = ListBackups(cfg)
	runs := 0
	for _, b := range bs {
		if b.Kind == "run" {
			runs++
		}
	}
	if runs != 2 {
		t.Errorf("%d run backups kept, want backup.keep = 2: %+v", runs, bs)
	}
	if tmp, _ := filepath.Glob(filepath.Join(cfg.BackupDir(), ".tmp-*")); len(tmp) > 0 {
		t.Errorf("temporary backup folders left: %v", tmp)
	}
	if _, err := os.Stat(cfg.Database + ".restoring"); !os.IsNotExist(err) {
		t.Errorf("restore left its staging file: %v", err)
	}
}

// TestBackupBeforeSkippedMigration: a registry that lacks a migration older
// than its newest (two branches' migrations applied in another order) is
// upgraded, so a backup is taken first.
func TestBackupBeforeSkippedMigration(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Backup.Keep = 2
	writeCSV(t, cfg, "surveys/同心社区.csv", surveyCSV)
	runOnce(t, cfg)
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) < 2 {
		t.Fatal("need two migrations")
	}
	// A middle migration that can be applied again (it only replaces a view).
	var middle migration
	for _, m := range ms[1 : len(ms)-1] {
		if strings.Contains(m.sql, "CREATE OR REPLACE VIEW") && !strings.Contains(m.sql, "CREATE TABLE") &&
			!strings.Contains(m.sql, "ALTER TABLE") {
			middle = m
		}
	}
	if middle.version == 0 {
		t.Fatal("no migration that only replaces views")
	}
	db := openTestDB(t, cfg)
	if _, err := db.Exec(`DELETE FROM schema_migrations WHERE version = ?`, middle.version); err != nil {
		t.Fatal(err)
	}
	db.Close()
	p, err := previewRun(context.Background(), cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.changes, "schema upgrade") || !strings.Contains(p.changes, middle.name) {
		t.Errorf("preview with %s missing: changes %q, want a schema upgrade naming it", middle.name, p.changes)
	}
}

// TestCopyFile: a copy has the source's bytes, and the size and SHA-256
// returned are the source's, for an empty file, a small one and one of
// several chunks.
func TestCopyFile(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 3<<20 + 7} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*7 + i>>11)
		}
		src := filepath.Join(dir, fmt.Sprintf("src-%d", size))
		dst := filepath.Join(dir, fmt.Sprintf("dst-%d", size))
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		n, sum, err := copyFile(src, dst)
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		got, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		want := sha256.Sum256(data)
		if n != int64(size) || sum != hex.EncodeToString(want[:]) || !bytes.Equal(got, data) {
			t.Errorf("%d bytes: copied %d, sum %s (want %x), same bytes %v", size, n, sum, want, bytes.Equal(got, data))
		}
	}
	if _, _, err := copyFile(filepath.Join(dir, "missing"), filepath.Join(dir, "x")); err == nil {
		t.Error("copying a missing file did not fail")
	}
}
