package org.gort.scheduler.gmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.List;
import java.util.ServiceLoader;
import org.gort.scheduler.gmp.SpiFixtures.TestContext;
import org.gort.spi.sched.SchedulerStrategy;
import org.junit.jupiter.api.Test;

class GmpStrategyTest {

    @Test
    void serviceLoaderFindsTheGmpStrategy() {
        List<SchedulerStrategy> found = ServiceLoader.load(SchedulerStrategy.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(s -> s.name().equals("gmp"))
                .toList();
        assertEquals(1, found.size());
        assertInstanceOf(GmpStrategy.class, found.get(0));
    }

    @Test
    void eachRuntimeGetsItsOwnScheduler() {
        GmpStrategy strategy = new GmpStrategy();
        TestContext ctx = new TestContext(2);
        assertNotSame(strategy.create(ctx), strategy.create(ctx));
        assertEquals(2, ctx.locks.stream().filter(l -> l.name().equals("sched.lock")).count(),
                "each scheduler meters its own sched.lock");
    }

    @Test
    void declaresItsSettings() {
        assertEquals(List.of("gmp.forcePreemptNS=10000000", "gmp.runnext=true"), new GmpStrategy().settings().stream()
                .map(s -> s.key() + "=" + s.defaultValue()).toList());
    }
}
