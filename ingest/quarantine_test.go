package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestQuarantineError(t *testing.T) {
	tests := []struct {
		name string
		err  *QuarantineError
		want string
	}{
		{"with cause", errDamaged("工作表不完整", fs.ErrClosed), "quarantine damaged: 文件已损坏或不完整（可能下载或拷贝时中断）：工作表不完整: file already closed"},
		{"without cause", errEmpty(), "quarantine empty: 文件是空的（0 字节或只有空白字符）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			wrapped := fmt.Errorf("ingest %s: %w", "a.xlsx", tt.err)
			var q *QuarantineError
			if !errors.As(wrapped, &q) || q != tt.err {
				t.Errorf("errors.As through a wrap failed")
			}
			if tt.err.Err != nil && !errors.Is(wrapped, tt.err.Err) {
				t.Errorf("Unwrap does not reach the cause")
			}
		})
	}
}

// TestQuarantineConstructors: every code has a reason and a hint.
func TestQuarantineConstructors(t *testing.T) {
	all := []*QuarantineError{
		errEmpty(), errLegacyXLS("旧格式"), errEncrypted(), errDamaged("坏了", nil),
		errNotSpreadsheet("PDF", ""), errUnknownEncoding("第1行"), errNoHeader("汇总"),
	}
	codes := map[string]bool{}
	for _, q := range all {
		codes[q.Code] = true
		if q.Reason == "" || q.Hint == "" {
			t.Errorf("%s: Reason %q, Hint %q", q.Code, q.Reason, q.Hint)
		}
	}
	for _, c := range []string{CodeEmpty, CodeLegacyXLS, CodeEncrypted, CodeDamaged, CodeNotSpreadsheet, CodeUnknownEncoding, CodeNoHeader} {
		if !codes[c] {
			t.Errorf("no constructor for %s", c)
		}
	}
}
