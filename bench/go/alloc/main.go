// alloc: the Go side of AllocBench. n allocations per goroutine per run, by 1 or 2 goroutines
// at once; ns per allocation per goroutine (as JMH's per-thread average).
//
//	alloc16   a 16-byte object with 2 pointers: &node{}
//	allocMix  AllocBench.MIX cycled: 10% 8-byte noscan (tiny), the rest scan objects of
//	          16..1024 bytes ([]*byte of size/8 elements), interleaved
//
// gc=on: GOGC as set (default 100), the collector's share included, as Go programs run.
// gc=off: the collector is off while timing and runtime.GC() runs between runs (not timed),
// which is what AllocBench does with its sweep between iterations.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"

	"gort.bench/internal/figure"
)

type node struct{ l, r *node }

// One sink per goroutine, padded apart, so every allocation escapes to the heap.
type sink struct {
	n   *node
	p   []*byte
	b   []byte
	pad [64]byte
}

var sinks [2]sink

// The mix of AllocBench.MIX: {size, noscan} with shares 10,30,20,10,10,10,5,3,2, interleaved.
func mix() [][2]int {
	shares := [][3]int{{8, 1, 10}, {16, 0, 30}, {32, 0, 20}, {48, 0, 10}, {64, 0, 10},
		{128, 0, 10}, {256, 0, 5}, {512, 0, 3}, {1024, 0, 2}}
	left := make([]int, len(shares))
	total := 0
	for i, s := range shares {
		left[i] = s[2]
		total += s[2]
	}
	out := make([][2]int, 0, total)
	for len(out) < total {
		for i, s := range shares {
			if left[i] > 0 {
				left[i]--
				out = append(out, [2]int{s[0], s[1]})
			}
		}
	}
	return out
}

func alloc16(s *sink, n int) {
	for i := 0; i < n; i++ {
		s.n = &node{}
	}
}

func allocMix(s *sink, n int, m [][2]int) {
	for i := 0; i < n; i++ {
		e := m[i%len(m)]
		if e[1] != 0 {
			s.b = make([]byte, e[0])
		} else {
			s.p = make([]*byte, e[0]/8)
		}
	}
}

func main() {
	n := flag.Int("n", 1<<21, "allocations per goroutine per run (AllocBench.BATCH)")
	flag.Parse()
	m := mix()
	gcPercent := debug.SetGCPercent(100)
	debug.SetGCPercent(gcPercent)
	for _, gc := range []string{"on", "off"} {
		before := func() {}
		if gc == "off" {
			debug.SetGCPercent(-1)
			before = runtime.GC
		} else {
			debug.SetGCPercent(gcPercent)
		}
		for _, goroutines := range []int{1, 2} {
			labels := []string{fmt.Sprintf("goroutines=%d", goroutines), "gc=" + gc}
			run := func(work func(s *sink)) func() int {
				return func() int {
					var wg sync.WaitGroup
					wg.Add(goroutines)
					for g := 0; g < goroutines; g++ {
						s := &sinks[g]
						go func() {
							work(s)
							wg.Done()
						}()
					}
					wg.Wait()
					return *n
				}
			}
			figure.MeasureWith("alloc16", "ns/op", labels, before, run(func(s *sink) { alloc16(s, *n) }))
			figure.MeasureWith("allocMix", "ns/op", labels, before, run(func(s *sink) { allocMix(s, *n, m) }))
		}
	}
	debug.SetGCPercent(gcPercent)
}
