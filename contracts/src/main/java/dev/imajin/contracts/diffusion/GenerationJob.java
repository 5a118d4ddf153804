package dev.imajin.contracts.diffusion;

import dev.imajin.contracts.BusMessage;
import dev.imajin.contracts.common.Job;

/** A generation job, its mode and, once it has succeeded, its result. */
public record GenerationJob(Job job, GenerationMode mode, GenerationResult result)
    implements BusMessage {}
