package output

import "testing"

// TestContentKeyStable: a content key is the SHA-256 of the version, a NUL
// and the content's JSON, the same from one release to the next (the value
// below was computed with the key's first implementation); a changed key
// would make every reusable file, PDFs included, again on the night of an
// upgrade.
func TestContentKeyStable(t *testing.T) {
	content := []any{"年度通报", 2026, map[string]any{"成员": []string{"张伟", "李娜"}, "时长": 7.5}}
	const want = "4b5a581b311ab4cf5bd32081b1a19cf3d470c89191bf31a3e40175b005332ca7"
	if got := contentKey("layout-3", content); got != want {
		t.Errorf("contentKey = %s, want %s", got, want)
	}
	if got := contentKey("layout-4", content); got == want {
		t.Error("the version is not part of the key")
	}
	if got := contentKey("layout-3", func() {}); got != "" {
		t.Errorf("content that cannot be encoded: key %q, want none", got)
	}
}
