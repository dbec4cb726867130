package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
)

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

// An annual report's key must not change from one release to the next
// either (every branch's report would be made again): want was computed
// by the code before its lines were built with less allocation.
func TestAnnualKeyStable(t *testing.T) {
	class := &MemberClass{Community: "同心社区", Status: "dual", StatusLabel: "双向共管"}
	members := []*MemberRow{
		{MemberID: "M0000001", Name: "张伟", Counsellor: "王书记", VisitsYear: 2, MemberClass: class},
		{MemberID: "M0000002", Name: "李<娜>&", VisitsYear: 0, MemberClass: &MemberClass{Status: "unknown_whereabouts"}},
		{MemberID: "M0000003", Name: "赵\xff敏", Counsellor: "刘芳", VisitsYear: 3, MemberClass: class},
	}
	certs := []Certificate{
		{MemberID: "M0000001", Serial: "BL2026-0001", Number: 1, Digest: "d1", IssuedOn: "2026-12-07"},
		{MemberID: "M0000003", Serial: "BL2026-0002", Number: 2, Revision: 1, RevisedOn: "2026-12-07", Digest: "d3"},
	}
	o := CertOptions{Street: "宝龙街道", Types: []string{"理论学习", "志愿服务"}, Volunteer: "志愿服务", Mask: true}
	got := annualKey(2026, "2026-12-07", Branch{Key: "k", Name: "石门村党支部", Members: members}, certs, o)
	const want = "ab19874f7609e5caf6e8db06e47c9c5ac5399b3c71c0ec4b1d6fd540fae3de8a"
	if got != want {
		t.Errorf("annualKey = %s, want %s: every branch's annual report would be made again after an upgrade", got, want)
	}
}

// contentKey hashes what json.Marshal writes, whatever the content: the
// encoder's closing newline is left out, HTML and invalid UTF-8 escaped
// alike, maps in the same order.
func TestContentKeyIsMarshal(t *testing.T) {
	name := "张<伟>&"
	for _, content := range []any{
		nil, 1, 2.5, "", "a\nb", "赵\xff敏", []any{"x", 3, &name, map[string]any{"b": 1, "a": []int{1, 2}}},
		tableData{Sheet: "表", Cols: []string{"甲"}, Rows: [][]any{{"x", 1, 0.1 + 0.2}, {&name}}},
	} {
		b, err := json.Marshal(content)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		h.Write([]byte("v\x00"))
		h.Write(b)
		if got, want := contentKey("v", content), hex.EncodeToString(h.Sum(nil)); got != want {
			t.Errorf("contentKey(%v) = %s, the hash of its JSON is %s", content, got, want)
		}
	}
	if got := contentKey("v", func() {}); got != "" {
		t.Errorf("a content JSON cannot encode has the key %q, want none", got)
	}
}
