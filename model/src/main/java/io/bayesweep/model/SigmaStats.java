package io.bayesweep.model;

/** Posterior standard deviations sigma = softplus(rho) of one Bayesian layer group at one step. */
public record SigmaStats(double mean, double min, double max) {
}
