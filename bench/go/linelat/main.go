// linelat: how long a cache line takes to move from one CPU to another, one way. Two threads,
// pinned to CPUs -a and -b, pass a counter back and forth through one word: each waits for
// the other's increment, then increments it. Prints ns per one-way move (the median of -r
// runs), the cost every hand-off between two Ms pays per line it touches.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// pin binds the calling thread to one CPU (sched_setaffinity on thread 0: the caller).
func pin(cpu int) error {
	var mask [16]uint64
	mask[cpu/64] |= 1 << (cpu % 64)
	_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, 0, unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask)))
	if e != 0 {
		return e
	}
	return nil
}

// word sits alone on its cache line.
var line struct {
	_    [64]byte
	word int64
	_    [64]byte
}

func pass(cpu int, first int64, n int64, done chan<- error) {
	runtime.LockOSThread()
	if err := pin(cpu); err != nil {
		done <- fmt.Errorf("pinning to CPU %d: %v", cpu, err)
		return
	}
	for v := first; v < 2*n; v += 2 {
		for atomic.LoadInt64(&line.word) != v {
		}
		atomic.StoreInt64(&line.word, v+1)
	}
	done <- nil
}

func main() {
	a := flag.Int("a", 0, "first CPU")
	b := flag.Int("b", 1, "second CPU")
	n := flag.Int64("n", 200000, "round trips per run")
	runs := flag.Int("r", 5, "runs (the median is printed)")
	flag.Parse()
	runtime.GOMAXPROCS(3)
	var figures []float64
	for r := 0; r < *runs; r++ {
		atomic.StoreInt64(&line.word, -1)
		done := make(chan error, 2)
		go pass(*a, 0, *n, done)
		go pass(*b, 1, *n, done)
		time.Sleep(10 * time.Millisecond) // both pinned and spinning
		start := time.Now()
		atomic.StoreInt64(&line.word, 0)
		for i := 0; i < 2; i++ {
			if err := <-done; err != nil {
				fmt.Fprintln(os.Stderr, "linelat:", err)
				os.Exit(1)
			}
		}
		figures = append(figures, float64(time.Since(start).Nanoseconds())/float64(2**n))
	}
	sort.Float64s(figures)
	fmt.Printf("linelat cpus=%d,%d ns/move median=%.1f min=%.1f max=%.1f runs=%d\n",
		*a, *b, figures[len(figures)/2], figures[0], figures[len(figures)-1], len(figures))
}
