package org.gort.scheduler.legacygm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.gort.api.Chan;
import org.gort.api.Go;
import org.gort.api.RunResult;
import org.gort.api.Runtime;
import org.gort.api.RuntimeConfig;
import org.junit.jupiter.api.Test;

class LegacyGmSmokeTest {
    @Test
    void sieve() {
        List<Integer> primes = new ArrayList<>();
        RunResult r = Runtime.run(RuntimeConfig.builder().scheduler("legacy-gm").gomaxprocs(2).build(), () -> {
            Chan<Integer> ch = Chan.make();
            Go.go(() -> {
                for (int i = 2; ; i++) {
                    ch.send(i);
                }
            });
            Chan<Integer> in = ch;
            for (int i = 0; i < 100; i++) {
                int prime = in.recv();
                primes.add(prime);
                Chan<Integer> out = Chan.make();
                Chan<Integer> src = in;
                Go.go(() -> {
                    while (true) {
                        int v = src.recv();
                        if (v % prime != 0) {
                            out.send(v);
                        }
                    }
                });
                in = out;
            }
        });
        assertEquals("", r.failure());
        assertEquals(541, primes.get(99));
    }
}
