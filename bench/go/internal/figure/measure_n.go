package figure

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// MeasureWith is Measure with extra key=value labels on the output line (e.g. goroutines=2)
// and a hook run before each timed run, outside the timing (e.g. runtime.GC()).
func MeasureWith(name, unit string, labels []string, before func(), body func() int) {
	parse()
	scale := unitScale(unit)
	var figures []float64
	for i := 0; i < *warmup+*iters; i++ {
		if before != nil {
			before()
		}
		start := time.Now()
		ops := body()
		elapsed := time.Since(start)
		if i >= *warmup {
			figures = append(figures, float64(elapsed.Nanoseconds())/float64(ops)/scale)
		}
	}
	label := name
	if len(labels) > 0 {
		label = name + " " + strings.Join(labels, " ")
	}
	Print(label, unit, figures)
}

func unitScale(unit string) float64 {
	scale := map[string]float64{"ns/op": 1, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}[unit]
	if scale == 0 {
		fmt.Fprintf(os.Stderr, "figure: unknown unit %q; use ns/op, us/op, ms/op or s/op\n", unit)
		os.Exit(2)
	}
	return scale
}
