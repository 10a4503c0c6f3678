package dev.canopy.core.registry;

/** The outcome of a register-or-update: the stored record, and whether it is new. */
public record Upserted<T>(T record, boolean created) {
}
