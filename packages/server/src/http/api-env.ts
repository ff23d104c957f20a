import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ConfinedMemory } from "../tenancy/confine-memory.js";
import type { Principal } from "../tenancy/principal.js";

/** What every authenticated handler finds on its context. */
export interface ApiEnv {
  Variables: {
    principal: Principal;
    memory: ConfinedMemory;
  };
}

/** The app routes register themselves on. */
export type ApiApp = OpenAPIHono<ApiEnv>;
