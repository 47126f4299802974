module gort.bench.probe

go 1.19
