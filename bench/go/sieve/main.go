// sieve: Go's concurrent prime sieve up to the n-th prime; ms per run. Each run leaves its
// filter goroutines parked, as the program always has. The Go side of SchedulerBench.sieve.
// Built with -tags probe against a runtime with runtime-probe.patch, it also counts switches,
// migrations and steals (package probe).
package main

import (
	"flag"
	"fmt"
	"os"

	"gort.bench/internal/figure"
	"gort.bench/internal/probe"
)

func generate(ch chan<- int) {
	for i := 2; ; i++ {
		ch <- i
	}
}

func filter(in <-chan int, out chan<- int, prime int) {
	for {
		if i := <-in; i%prime != 0 {
			out <- i
		}
	}
}

func sieve(n int) int {
	ch := make(chan int)
	go generate(ch)
	prime := 0
	for i := 0; i < n; i++ {
		prime = <-ch
		ch1 := make(chan int)
		go filter(ch, ch1, prime)
		ch = ch1
	}
	return prime
}

func main() {
	n := flag.Int("n", 2000, "primes")
	flag.Parse()
	c := probe.Start()
	figure.Measure("sieve", "ms/op", func() int {
		if last := sieve(*n); *n == 2000 && last != 17389 {
			fmt.Fprintf(os.Stderr, "sieve: prime #2000 is 17389, got %d\n", last)
			os.Exit(1)
		}
		return 1
	})
	probe.Report(c)
}
