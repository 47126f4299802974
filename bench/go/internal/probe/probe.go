//go:build probe

// Package probe reads the counts of a Go runtime patched with bench/go/runtime-probe.patch: a
// program built with -tags probe against a copy of that runtime (bench/rows.sh makes it) prints,
// after its runs, one line
//
//	probe switches=<n> migrations=<n> steals=<n>
//
// counted per P by the patched runtime: goroutine switches (execute), migrations (execute
// running a G on another M than the one that last ran it, or for a new G the one that created
// it, as gort's sched.migrations counts them) and successful steals (runqsteal). With -spin N,
// execute spins N ns on each migration, and with -switch-spin N on each switch: the program as
// Go would run it if resuming a goroutine on another core, or switching to one, cost what it
// costs a JVM continuation.
package probe

import (
	"flag"
	"fmt"
	"runtime"
)

var (
	spin       = flag.Int64("spin", 0, "ns that execute spins on each migration")
	switchSpin = flag.Int64("switch-spin", 0, "ns that execute spins on each switch")
)

// Counts are the runtime's counts at Start.
type Counts struct{ switches, migrations, steals int64 }

// Start sets the spins from the flags (parsed by now) and reads the counts.
func Start() Counts {
	runtime.SetProbeSpin(*spin, *switchSpin)
	e, m, s := runtime.Probe()
	return Counts{e, m, s}
}

// Report prints the counts since Start.
func Report(c Counts) {
	e, m, s := runtime.Probe()
	fmt.Printf("probe switches=%d migrations=%d steals=%d\n", e-c.switches, m-c.migrations, s-c.steals)
}
