package cmd

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/baolong/liudong/pipeline"
)

// Exit codes, documented in the README; scripts and monitoring rely on them.
const (
	ExitOK          = 0 // the run finished and every file in the inbox was read
	ExitFailed      = 1 // the run failed; nothing half-done is visible
	ExitUsage       = 2 // bad command line or configuration; nothing was run
	ExitQuarantined = 3 // the run finished, but some files in the inbox could not be read (see summary.md)
	ExitLocked      = 4 // another liudong process is using the registry; nothing was done
)

// exitError carries an exit code and a hint for the operator up to Do.
type exitError struct {
	code int
	err  error
	hint string
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(err error, hint string) error {
	return &exitError{code: ExitUsage, err: err, hint: hint}
}

// explain picks the exit code of an error and, where one helps, a sentence
// and a hint for the operator (in Chinese: the operator reads them).
func explain(err error) (code int, msg, hint string) {
	code, msg = ExitFailed, err.Error()
	var xe *exitError
	if errors.As(err, &xe) {
		code, hint = xe.code, xe.hint
	}
	if le, ok := pipeline.IsLocked(err); ok {
		who := "另一个进程"
		if le.PID > 0 {
			who = fmt.Sprintf("进程 %d（%s）", le.PID, le.Command)
		}
		since := ""
		if !le.Started.IsZero() {
			since = "，开始于 " + le.Started.Format("2006-01-02 15:04:05")
		}
		msg = fmt.Sprintf("台账数据库正在被%s使用%s；本次未做任何改动 (%v)", who, since, err)
		hint = "等它结束后再运行（liudong status 可查看）；进程结束或机器重启后锁会自动释放，无需删除锁文件"
		if le.PID > 0 {
			hint += fmt.Sprintf("。查看该进程：ps -p %d", le.PID)
		}
		return ExitLocked, msg, hint
	}
	if errors.Is(err, syscall.ENOSPC) {
		hint = "磁盘已满：用 df -h 查看，删除 out/ 下旧的输出或 backup.dir 下旧的备份（或调小 backup.keep）后重新运行；台账没有写入半截的数据"
	}
	return code, msg, hint
}
