import { API } from "../../../config/api";
import { ApiError, request, resetCsrfToken } from "../../../lib/apiClient";

export interface StaffUser {
  username: string;
  is_staff: boolean;
}

/** GET /api/auth/me/ — the logged-in staff user, or null when not logged in (401/403). */
export async function fetchCurrentUser(signal?: AbortSignal): Promise<StaffUser | null> {
  try {
    const data = await request<{ user: StaffUser }>(API.me, { signal });
    return data.user;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
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
