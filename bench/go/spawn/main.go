// spawn: `go wg.Done()` n times, then wg.Wait(); ns per goroutine created, run and exited.
// The Go side of SchedulerBench.spawn. Built with -tags probe against a runtime with
// runtime-probe.patch, it also counts switches, migrations and steals (package probe).
package main

import (
	"flag"
	"sync"

	"gort.bench/internal/figure"
	"gort.bench/internal/probe"
)

func main() {
	n := flag.Int("n", 100000, "goroutines per run (SchedulerBench.OPS)")
	flag.Parse()
	c := probe.Start()
	figure.Measure("spawn", "ns/op", func() int {
		var wg sync.WaitGroup
		wg.Add(*n)
		for i := 0; i < *n; i++ {
			go wg.Done()
		}
		wg.Wait()
		return *n
	})
	probe.Report(c)
}
