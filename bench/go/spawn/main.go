// spawn: `go wg.Done()` n times, then wg.Wait(); ns per goroutine created, run and exited.
// The Go side of SchedulerBench.spawn.
package main

import (
	"flag"
	"sync"

	"gort.bench/internal/figure"
)

func main() {
	n := flag.Int("n", 100000, "goroutines per run (SchedulerBench.OPS)")
	flag.Parse()
	figure.Measure("spawn", "ns/op", func() int {
		var wg sync.WaitGroup
		wg.Add(*n)
		for i := 0; i < *n; i++ {
			go wg.Done()
		}
		wg.Wait()
		return *n
	})
}
