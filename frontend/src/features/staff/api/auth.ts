import { API } from "@/config/api";
import { ApiError, request, resetCsrfToken } from "@/lib/apiClient";

export interface StaffUser {
  username: string;
  is_staff: boolean;
}

let prefetched: Promise<StaffUser | null> | null = null;

async function readCurrentUser(signal?: AbortSignal): Promise<StaffUser | null> {
  try {
    const data = await request<{ user: StaffUser }>(API.me, { signal });
    return data.user;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

/** Starts GET /api/auth/me/ before the staff area has loaded; the first fetchCurrentUser() takes it. */
export function prefetchCurrentUser(): void {
  prefetched ??= readCurrentUser();
  // Its outcome is read later; an early failure must not count as unhandled meanwhile.
  prefetched.catch(() => undefined);
}

/** GET /api/auth/me/ — the logged-in staff user, or null when not logged in (401/403). */
export function fetchCurrentUser(signal?: AbortSignal): Promise<StaffUser | null> {
  const early = prefetched;
  prefetched = null;
  return early ?? readCurrentUser(signal);
}

/** POST /api/auth/login/ (CSRF). Django rotates the CSRF token on login, so the cached one is dropped. */
export async function login(username: string, password: string): Promise<StaffUser> {
  const data = await request<{ user: StaffUser }>(API.login, { method: "POST", body: { username, password } });
  resetCsrfToken();
  return data.user;
}

/** POST /api/auth/logout/ (CSRF) → 204. */
export async function logout(): Promise<void> {
  try {
    await request<void>(API.logout, { method: "POST" });
  } finally {
    resetCsrfToken();
  }
}
