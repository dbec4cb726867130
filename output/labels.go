package output

// KindTitle is the Chinese name of a kind of file (survey → 社区摸排表), for
// the command line's tables.
func KindTitle(kind string) string { return kindTitle(kind) }

// StatusTitle is the Chinese name of a run status (quarantined → 完成，但有文件被隔离).
func StatusTitle(status string) string {
	if status == "running" {
		return "运行中"
	}
	return statusTitle(status)
}
