package org.gort.scheduler.gmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomOrderTest {

    @Test
    void everyStartVisitsEveryPositionExactlyOnce() {
        SplittableRandom rnd = new SplittableRandom(61);
        for (int count = 1; count <= 64; count++) {
            RandomOrder order = new RandomOrder(count);
            for (int trial = 0; trial < 200; trial++) {
                Set<Integer> seen = new HashSet<>();
                int steps = 0;
                for (RandomOrder.Enumeration e = order.start(rnd.nextInt()); !e.done(); e.next()) {
                    assertTrue(seen.add(e.position()), "position " + e.position() + " visited twice for count " + count);
                    steps++;
                }
                assertEquals(count, steps);
            }
        }
    }

    @Test
    void differentRandomValuesGiveDifferentOrders() {
        RandomOrder order = new RandomOrder(8);
        Set<String> orders = new HashSet<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 100; trial++) {
            StringBuilder sb = new StringBuilder();
            for (RandomOrder.Enumeration e = order.start(rnd.nextInt()); !e.done(); e.next()) {
                sb.append(e.position());
            }
            orders.add(sb.toString());
        }
        // 8 starts x 4 strides coprime to 8 = 32 possible orders
        assertTrue(orders.size() > 16, "only " + orders.size() + " distinct orders");
    }
}
