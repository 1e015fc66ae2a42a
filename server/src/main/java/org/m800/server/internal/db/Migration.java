package org.m800.server.internal.db;

/**
 * One versioned schema change of a feature: a class-path SQL script whose statements end with
 * {@code ;} at the end of a line.
 *
 * @param version 1, 2, 3... per feature, applied in order, each once
 * @param description what it does, stored in {@code schema_version}
 * @param resource absolute class-path resource of the script
 */
public record Migration(int version, String description, String resource) {
}
