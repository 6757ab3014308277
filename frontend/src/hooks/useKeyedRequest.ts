import { useEffect, useRef, useState } from "react";
import { toApiError, type ApiError } from "@/lib/apiClient";

type Outcome<T> = { key: string; data: T | null; error: ApiError | null };

export interface KeyedRequest<T> {
  /** The answer for the current key once it has arrived, else the last answer (shown dimmed meanwhile). */
  data: T | null;
  /** The failure for the current key. */
  error: ApiError | null;
  loading: boolean;
}

/**
 * Runs `load` whenever `key` changes (a new key: new filters, an id, a reload counter), aborting
 * the previous request. An answer is kept with its key, so a late answer for an old key never
 * passes for the current one.
 */
export function useKeyedRequest<T>(key: string, load: (signal: AbortSignal) => Promise<T>): KeyedRequest<T> {
  const [outcome, setOutcome] = useState<Outcome<T> | null>(null);
  const [last, setLast] = useState<T | null>(null);
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });

  useEffect(() => {
    const controller = new AbortController();
    loader.current(controller.signal).then(
      (data) => {
        setOutcome({ key, data, error: null });
        setLast(data);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setOutcome({ key, data: null, error: toApiError(error) });
      },
    );
    return () => controller.abort();
  }, [key]);

  const settled = outcome?.key === key;
  return {
    data: settled ? (outcome.data ?? last) : last,
    error: settled ? outcome.error : null,
    loading: !settled,
  };
}
