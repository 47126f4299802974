package org.gort.pacer.go118;

/**
 * Go's {@code piController} (mgcpacer.go): a proportional-integral controller with
 * anti-windup (back-calculation with tracking time {@code tt}) and a clamped output.
 * Not thread-safe: the pacer calls it at mark termination only.
 */
final class PiController {
    private final double kp;
    private final double ti;
    private final double tt;
    private final double min;
    private final double max;
    private double errIntegral;

    PiController(double kp, double ti, double tt, double min, double max) {
        this.kp = kp;
        this.ti = ti;
        this.tt = tt;
        this.min = min;
        this.max = max;
    }

    /**
     * {@code piController.next}: the output for {@code input} aiming at {@code setpoint} over
     * {@code period}; NaN if the error overflowed (the controller is then reset).
     */
    double next(double input, double setpoint, double period) {
        double prop = kp * (setpoint - input);
        double raw = prop + errIntegral;
        if (Double.isNaN(raw) || Double.isInfinite(raw)) {
            errIntegral = 0;
            return Double.NaN;
        }
        double output = Math.clamp(raw, min, max);
        if (ti != 0 && tt != 0) {
            errIntegral += (kp * period / ti) * (setpoint - input) + (period / tt) * (output - raw);
            if (Double.isNaN(errIntegral) || Double.isInfinite(errIntegral)) {
                errIntegral = 0;
                return Double.NaN;
            }
        }
        return output;
    }
}
