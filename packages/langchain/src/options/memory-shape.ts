import type { Memory } from "@engram/core";
import { z } from "zod";

/** A `Memory` from `createMemory` (checked by shape, so any copy of core passes). */
export const memoryShape = z.custom<Memory>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Memory).recall === "function" &&
    typeof (value as Memory).remember === "function",
  "memory must come from createMemory",
);
