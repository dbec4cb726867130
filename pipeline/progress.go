package pipeline

import "time"

// Progress is how far a long step has come, for a progress bar on a
// terminal or a periodic log line.
type Progress struct {
	Stage   string    // ingest, match, reconcile, output
	Started time.Time // when the stage began
	Done    int       // files done (ingest); reconcile: 1 once its members are committed; 0 for stages without units
	Total   int       // files to do (ingest); 0 when unknown
	Rows    int64     // rows read so far (ingest)
	Final   bool      // the stage ended
}

// ProgressFunc hears progress; it is called from the run's goroutine and
// must return quickly.
type ProgressFunc func(Progress)

func (f ProgressFunc) report(p Progress) {
	if f != nil {
		f(p)
	}
}
