/** Runs code inside an SDK session connected to the engine double (which must be started). */
import { connection } from "@dagger.io/dagger";

export async function session<T>(fn: () => Promise<T>): Promise<T> {
  let out: T | undefined;
  let failure: unknown;
  await connection(async () => {
    try {
      out = await fn();
    } catch (error) {
      failure = error;
    }
  });
  if (failure !== undefined) throw failure;
  return out as T;
}
