//go:build probe

// The probe build (go build -tags probe, against a copy of Go's runtime with
// bench/go/runtime-probe.patch; bench/rows.sh sieve-floor makes it): after the runs, one line
//
//	probe switches=<n> migrations=<n> steals=<n>
//
// counted per P by the patched runtime: goroutine switches (execute), migrations (execute
// running a G on another M than the last time, as gort's sched.migrations counts them) and
// successful steals (runqsteal). With -spin N, execute spins N ns on each migration: the sieve
// as Go would run it if resuming a goroutine on another core cost what resuming a JVM
// continuation there costs.
package main

import (
	"flag"
	"fmt"
	"runtime"
)

var spin = flag.Int64("spin", 0, "ns that execute spins on each migration")

type counts struct{ switches, migrations, steals int64 }

func probeStart() counts {
	runtime.SetProbeSpin(*spin)
	e, m, s := runtime.Probe()
	return counts{e, m, s}
}

func probeReport(c counts) {
	e, m, s := runtime.Probe()
	fmt.Printf("probe switches=%d migrations=%d steals=%d\n", e-c.switches, m-c.migrations, s-c.steals)
}
