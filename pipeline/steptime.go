package pipeline

import (
	"time"

	"github.com/rs/zerolog"
)

// stepTime logs, at debug level, how long a step of a stage took (a SQL
// file, a query): `log.level: debug` shows where a slow night's time went.
func stepTime(log zerolog.Logger, step string, began time.Time) {
	log.Debug().Str("step", step).Float64("seconds", time.Since(began).Round(time.Millisecond).Seconds()).Msg("step done")
}
