// pingpong: two goroutines pass a token over two unbuffered channels; ns per round trip.
// The Go side of SchedulerBench.pingpong: main is the driver, the partner echoes. Built with
// -tags probe against a runtime with runtime-probe.patch, it also counts switches, migrations
// and steals (package probe).
package main

import (
	"flag"

	"gort.bench/internal/figure"
	"gort.bench/internal/probe"
)

func main() {
	n := flag.Int("n", 100000, "round trips per run (SchedulerBench.OPS)")
	flag.Parse()
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	c := probe.Start()
	figure.Measure("pingpong", "ns/op", func() int {
		for i := 0; i < *n; i++ {
			ping <- i
			if <-pong != i {
				panic("pingpong lost its token")
			}
		}
		return *n
	})
	probe.Report(c)
}
