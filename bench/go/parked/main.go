// parked: n goroutines each block receiving on one channel that nobody sends on; prints the
// time from the first go statement until every goroutine has started (each calls wg.Done just
// before it parks), in the one-line format of bench/gort/parked.java. Peak memory is the
// process's (bench/rows.sh reads it with /usr/bin/time -v).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"
)

func main() {
	n := flag.Int("n", 1000000, "goroutines to park")
	flag.Parse()
	ch := make(chan int)
	var wg sync.WaitGroup
	wg.Add(*n)
	start := time.Now()
	for i := 0; i < *n; i++ {
		go func() {
			wg.Done()
			<-ch
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	fmt.Printf("parked n=%d procs=%d s=%.3f goroutines=%d\n", *n, runtime.GOMAXPROCS(0), elapsed.Seconds(), runtime.NumGoroutine())
	os.Exit(0)
}
