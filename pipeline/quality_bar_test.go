package pipeline

// The bars TestQuality holds the registry to: the targets.
const (
	qualityMinClusterF1     = 0.995
	qualityMinWhereaboutsF1 = 0.99
)
