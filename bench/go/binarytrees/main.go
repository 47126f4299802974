// binarytrees: the Benchmarks Game's binary-trees as the gort workload runs it (one goroutine
// per depth, a long-lived tree beside many short-lived ones); seconds per run, timed inside
// the program (process start excluded, as the gort harness times inside its runtime). The Go
// side of GcHarness's binary-trees.
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"

	"gort.bench/internal/figure"
)

const minDepth = 4

type node struct{ left, right *node }

func bottomUpTree(depth int) *node {
	if depth <= 0 {
		return &node{}
	}
	return &node{bottomUpTree(depth - 1), bottomUpTree(depth - 1)}
}

func (n *node) itemCheck() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.itemCheck() + n.right.itemCheck()
}

func run(n int) []string {
	maxDepth := n
	if minDepth+2 > n {
		maxDepth = minDepth + 2
	}
	var out []string
	stretch := maxDepth + 1
	out = append(out, fmt.Sprintf("stretch tree of depth %d\t check: %d", stretch, bottomUpTree(stretch).itemCheck()))
	longLived := bottomUpTree(maxDepth)
	depths := (maxDepth-minDepth)/2 + 1
	trees := make([]int, depths)
	checks := make([]int, depths)
	var wg sync.WaitGroup
	for k := 0; k < depths; k++ {
		wg.Add(1)
		go func(k int) {
			depth := minDepth + 2*k
			iterations := 1 << (maxDepth - depth + minDepth)
			check := 0
			for i := 1; i <= iterations; i++ {
				check += bottomUpTree(depth).itemCheck()
			}
			trees[k], checks[k] = iterations, check
			wg.Done()
		}(k)
	}
	wg.Wait()
	for k := 0; k < depths; k++ {
		out = append(out, fmt.Sprintf("%d\t trees of depth %d\t check: %d", trees[k], minDepth+2*k, checks[k]))
	}
	out = append(out, fmt.Sprintf("long lived tree of depth %d\t check: %d", maxDepth, longLived.itemCheck()))
	return out
}

func main() {
	n := flag.Int("n", 16, "maximum tree depth")
	flag.Parse()
	var last []string
	figure.MeasureWith("binarytrees", "s/op", []string{fmt.Sprintf("n=%d", *n)}, nil, func() int {
		last = run(*n)
		return 1
	})
	if len(last) == 0 || last[0] != fmt.Sprintf("stretch tree of depth %d\t check: %d", max(*n, minDepth+2)+1, (1<<(max(*n, minDepth+2)+2))-1) {
		fmt.Fprintf(os.Stderr, "binarytrees: wrong output %q\n", last)
		os.Exit(1)
	}
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}
