// parkedheap: the gort parked-heap workload in Go: g goroutines each keep `keep` linked objects
// on their stacks and park on a channel while main allocates short-lived garbage; the GC
// pauses (stop-the-world time per cycle, runtime.MemStats.PauseNs) of the cycles during the
// churn are the figures: pausemax is each run's largest pause (the line's mean/min/max are
// over runs), pausemaxmedian the median of those, pausep99 the 99th percentile of all measured
// runs' pauses together. The churn
// repeats until at least minCycles cycles ran. The Go side of GcHarness's parked-heap.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"

	"gort.bench/internal/figure"
)

type kept struct {
	prev  *kept
	value int64
}

type garbage struct {
	a, b *garbage
	x, y int64
}

const window = 64

var sinkBytes [][]byte

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// churn mirrors ParkedHeap.churn: linked lists in a sliding window of 64 slots, a 256-byte
// array every 8th allocation; everything dies within 64 allocations.
func churn(allocs int) {
	var g [window]*garbage
	var b [window][]byte
	for i := 0; i < allocs; i++ {
		slot := i % window
		if i%8 == 7 {
			b[slot] = make([]byte, 256)
			g[slot] = nil
		} else {
			prev := g[(i+window-1)%window]
			n := &garbage{x: int64(i)}
			if i%4 != 0 && prev != nil {
				n.a = prev
			}
			g[slot] = n
			b[slot] = nil
		}
	}
	sinkBytes = b[:1]
}

// keep is the objects each parked goroutine holds (the workload's default).
const keep = 4

// minCycles is the fewest GC cycles a run's churn goes on for.
const minCycles = 10

// run parks g goroutines holding keep objects each, churns, releases them; returns the GC
// pauses (ns) of the cycles that ran during the churn.
func run(goroutines, allocs int) []uint64 {
	release := make(chan struct{})
	var parked, finished sync.WaitGroup
	parked.Add(goroutines)
	finished.Add(goroutines)
	sums := make([]uint64, goroutines)
	for g := 0; g < goroutines; g++ {
		go func(id int) {
			var objs [keep]*kept // on the goroutine's stack: a root the collector scans
			for j := 0; j < keep; j++ {
				o := &kept{value: int64(mix64(uint64(id)<<20 + uint64(j)))}
				if j > 0 {
					o.prev = objs[j-1]
				}
				objs[j] = o
			}
			parked.Done()
			<-release
			var sum uint64
			for _, o := range objs {
				sum = mix64(sum ^ uint64(o.value))
			}
			sums[id] = sum
			finished.Done()
		}(g)
	}
	parked.Wait()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	// Go 1.18+ counts goroutine stacks in the heap goal, so 100 000 parked goroutines make
	// cycles rare: churn on until enough cycles ran to have pauses to speak of.
	for i := 0; i < 100; i++ {
		churn(allocs)
		runtime.ReadMemStats(&after)
		if after.NumGC-before.NumGC >= minCycles {
			break
		}
	}
	close(release)
	finished.Wait()
	var pauses []uint64
	for n := before.NumGC + 1; n <= after.NumGC && n+256 > after.NumGC; n++ {
		pauses = append(pauses, after.PauseNs[(n+255)%256])
	}
	return pauses
}

func main() {
	goroutines := flag.Int("goroutines", 0, "parked goroutines (0: run 10000 and 100000)")
	allocs := flag.Int("allocs", 2000000, "objects the churner allocates (GcHarness uses the same)")
	warmup, iters := figure.Runs()
	counts := []int{10000, 100000}
	if *goroutines > 0 {
		counts = []int{*goroutines}
	}
	for _, g := range counts {
		var maxes []float64
		var all []uint64
		cycles := 0
		for i := 0; i < warmup+iters; i++ {
			pauses := run(g, *allocs)
			runtime.GC()
			if i < warmup {
				continue
			}
			if len(pauses) == 0 {
				fmt.Fprintf(os.Stderr, "parkedheap: no GC cycle ran during the churn; raise -allocs\n")
				os.Exit(1)
			}
			sort.Slice(pauses, func(a, b int) bool { return pauses[a] < pauses[b] })
			cycles += len(pauses)
			maxes = append(maxes, float64(pauses[len(pauses)-1])/1e3)
			all = append(all, pauses...)
		}
		// p99 of every measured run's pauses together, as GcHarness reports it.
		sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
		p99 := float64(all[(len(all)*99+99)/100-1]) / 1e3
		labels := fmt.Sprintf("goroutines=%d cycles=%d", g, cycles)
		figure.Print("parkedheap.pausemax "+labels, "us", maxes)
		figure.Print("parkedheap.pausep99 "+labels, "us", []float64{p99})
		// The median of the runs' largest pauses: the figure GcHarness's
		// churn.cycle.pause.max.median is compared with (a median, as a tail's mean moves with
		// one run's outlier).
		sorted := append([]float64(nil), maxes...)
		sort.Float64s(sorted)
		figure.Print("parkedheap.pausemaxmedian "+labels, "us", []float64{sorted[len(sorted)/2]})
	}
}
