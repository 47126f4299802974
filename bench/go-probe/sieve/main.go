// sieve: Go's concurrent prime sieve to the n-th prime, one run per process, built against a
// copy of Go's runtime with bench/go-probe/runtime.patch (bench/rows.sh sieve-floor builds it).
// The patch counts, per P, goroutine switches (execute), migrations (execute running a G on
// another M than the last time, as gort's sched.migrations counts them) and successful steals
// (runqsteal), and can spin for -spin ns in execute on each migration: the sieve as Go would run
// it if resuming a goroutine on another core cost what resuming a JVM continuation there costs.
// Prints one line:
//
//	sieve ms=<time> switches=<n> migrations=<n> steals=<n>
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"
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

func main() {
	n := flag.Int("n", 2000, "primes")
	spin := flag.Int64("spin", 0, "ns spun in execute on each migration")
	flag.Parse()
	runtime.SetProbeSpin(*spin)
	e0, m0, s0 := runtime.Probe()
	t0 := time.Now()
	ch := make(chan int)
	go generate(ch)
	prime := 0
	for i := 0; i < *n; i++ {
		prime = <-ch
		ch1 := make(chan int)
		go filter(ch, ch1, prime)
		ch = ch1
	}
	el := time.Since(t0)
	e1, m1, s1 := runtime.Probe()
	if *n == 2000 && prime != 17389 {
		fmt.Fprintf(os.Stderr, "sieve: prime #2000 is 17389, got %d\n", prime)
		os.Exit(1)
	}
	fmt.Printf("sieve ms=%.1f switches=%d migrations=%d steals=%d\n", float64(el.Microseconds())/1000, e1-e0, m1-m0, s1-s0)
}
