package cmd

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/baolong/liudong/pipeline"
)

// progress shows how a run advances: a bar redrawn in place on a terminal,
// or a log line every logEvery otherwise (cron, systemd).
type progress struct {
	mu    sync.Mutex
	out   io.Writer // the terminal (bar mode) or nil (log mode)
	log   zerolog.Logger
	cur   pipeline.Progress
	shown bool // a bar is on the screen
	stop  chan struct{}
	done  chan struct{}
	every time.Duration
}

const (
	barEvery = 200 * time.Millisecond
	logEvery = 10 * time.Second
)

// newProgress starts the progress display. On a terminal, the logger must
// write through the returned progress (it is an io.Writer) so each log line
// first wipes the bar and then redraws it.
func newProgress(terminal io.Writer, every time.Duration) *progress {
	p := &progress{out: terminal, stop: make(chan struct{}), done: make(chan struct{}), every: every}
	go p.tick()
	return p
}

// setLog gives a log-mode progress its logger.
func (p *progress) setLog(log zerolog.Logger) { p.log = log }

// update is the pipeline's ProgressFunc.
func (p *progress) update(pr pipeline.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cur = pr
	if p.out != nil && pr.Final {
		p.clear()
	}
}

// Close stops the display and wipes the bar.
func (p *progress) Close() {
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.out != nil {
		p.clear()
	}
}

func (p *progress) tick() {
	defer close(p.done)
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if p.out != nil {
				p.draw()
			} else {
				p.logLine()
			}
			p.mu.Unlock()
		}
	}
}

// Write passes a log line to the terminal, wiping the bar first and
// drawing it again after.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	wasShown := p.shown
	p.clear()
	n, err := p.out.Write(b)
	if wasShown {
		p.draw()
	}
	return n, err
}

func (p *progress) clear() {
	if p.shown {
		io.WriteString(p.out, "\r\033[K")
		p.shown = false
	}
}

func (p *progress) draw() {
	c := p.cur
	if c.Stage == "" || c.Final {
		return
	}
	io.WriteString(p.out, "\r\033[K"+barText(c, time.Now()))
	p.shown = true
}

func (p *progress) logLine() {
	c := p.cur
	if c.Stage == "" || c.Final {
		return
	}
	el := time.Since(c.Started).Seconds()
	ev := p.log.Info().Str("stage", c.Stage).Float64("seconds", roundMS(el))
	if c.Total > 0 {
		ev = ev.Int("files_done", c.Done).Int("files_total", c.Total).Int64("rows", c.Rows).Float64("rows_per_second", rate(c.Rows, el))
	}
	ev.Msg("progress")
}

// barText is one line: stage, bar, files, rows and rows per second.
func barText(c pipeline.Progress, now time.Time) string {
	el := now.Sub(c.Started).Seconds()
	if c.Total <= 0 {
		return fmt.Sprintf("%-9s … %.0fs", c.Stage, el)
	}
	const width = 24
	filled := width * c.Done / c.Total
	return fmt.Sprintf("%-9s [%s%s] %d/%d 个文件  %d 行  %.0f 行/秒  %.0fs", c.Stage,
		strings.Repeat("█", filled), strings.Repeat("░", width-filled), c.Done, c.Total, c.Rows, rate(c.Rows, el), el)
}

func rate(rows int64, seconds float64) float64 {
	if seconds <= 0 {
		return 0
	}
	return float64(int64(float64(rows)/seconds + 0.5))
}
