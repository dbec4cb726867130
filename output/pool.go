package output

import (
	"runtime"
	"sync"

	"github.com/xuri/excelize/v2"
)

// Workbooks in the background. Building and zipping a workbook is CPU work
// that needs nothing but its table, and a run writes one or two per origin
// branch: a street-sized registry has hundreds of branches, a city's tens of
// thousands. WriteWorkbookAsync hands a workbook to a pool of one worker per
// core and returns at once; Wait (and so Commit) waits for all of them and
// returns the first error in the order the workbooks were handed over.

// pool runs workbook jobs on every core.
type pool struct {
	jobs chan poolJob
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs map[int]error
	n    int // jobs handed over
}

type poolJob struct {
	seq int
	fn  func() error
}

func newPool(workers int) *pool {
	p := &pool{jobs: make(chan poolJob, 2*workers), errs: map[int]error{}}
	for range workers {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for j := range p.jobs {
				if err := j.fn(); err != nil {
					p.mu.Lock()
					p.errs[j.seq] = err
					p.mu.Unlock()
				}
			}
		}()
	}
	return p
}

// wait closes the pool and returns the first job's error, in job order.
func (p *pool) wait() error {
	close(p.jobs)
	p.wg.Wait()
	first := -1
	for seq := range p.errs {
		if first < 0 || seq < first {
			first = seq
		}
	}
	if first < 0 {
		return nil
	}
	return p.errs[first]
}

// goWrite runs fn in the folder's pool, starting the pool on first use.
func (f *Folder) goWrite(fn func() error) {
	f.mu.Lock()
	if f.pool == nil {
		f.pool = newPool(runtime.GOMAXPROCS(0))
	}
	p := f.pool
	seq := p.n
	p.n++
	f.mu.Unlock()
	p.jobs <- poolJob{seq: seq, fn: fn}
}

// Wait waits for the workbooks handed to the pool and returns the first
// error among them. The folder may be written to again afterwards. The
// workbooks are handed over and waited for by one goroutine: a hand-over
// during Wait would send on the closed pool.
func (f *Folder) Wait() error {
	f.mu.Lock()
	p := f.pool
	f.pool = nil
	f.mu.Unlock()
	if p == nil {
		return nil
	}
	return p.wait()
}

// writeWorkbookKeyedAsync is writeWorkbookKeyed in the background: build
// runs on a pool worker, so it must not touch what the caller changes next.
func (f *Folder) writeWorkbookKeyedAsync(name, key string, build func() (*excelize.File, error)) {
	f.goWrite(func() error { return f.writeWorkbookKeyed(name, key, build) })
}

// WriteWorkbookAsync is WriteWorkbook in the background: build makes the
// workbook on a pool worker.
func (f *Folder) WriteWorkbookAsync(name string, build func() (*excelize.File, error)) {
	f.goWrite(func() error {
		wb, err := build()
		if err != nil {
			return err
		}
		return f.WriteWorkbook(name, wb)
	})
}
