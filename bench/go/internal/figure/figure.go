// Package figure times repeated runs of a Go reference program and prints them in the one
// line format bench/run-go.sh and the JMH report read:
//
//	go <bench> procs=<GOMAXPROCS> <unit> mean=<x> min=<x> max=<x> iters=<n>
//
// Like a JMH run, the first warmup runs are timed but not counted.
package figure

import (
	"flag"
	"fmt"
	"runtime"
	"sort"
)

var (
	warmup = flag.Int("wi", 3, "warmup runs (not counted)")
	iters  = flag.Int("i", 5, "measured runs")
)

// Measure runs body warmup+iters times; body returns the number of operations it did, and
// each run's figure is its time divided by that count, in unit ("ns/op" or "ms/op").
func Measure(name, unit string, body func() int) {
	MeasureWith(name, unit, nil, nil, body)
}

func parse() {
	if !flag.Parsed() {
		flag.Parse()
	}
}

// Print prints figures already measured (e.g. GC pauses) in the common format.
func Print(name, unit string, figures []float64) {
	sorted := append([]float64(nil), figures...)
	sort.Float64s(sorted)
	sum := 0.0
	for _, f := range sorted {
		sum += f
	}
	fmt.Printf("go %s procs=%d %s mean=%.3f min=%.3f max=%.3f iters=%d\n",
		name, runtime.GOMAXPROCS(0), unit, sum/float64(len(sorted)), sorted[0], sorted[len(sorted)-1], len(sorted))
}

// Runs returns the -wi and -i flags, for programs that run and aggregate on their own.
func Runs() (warmupRuns, measuredRuns int) {
	parse()
	return *warmup, *iters
}
