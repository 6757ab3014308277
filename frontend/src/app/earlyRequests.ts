/**
 * On a staff page the staff chunk and the session check (GET /api/auth/me/) are needed before
 * anything useful can paint. src/boot.ts starts both while the main bundle still downloads
 * (it is a separate, tiny entry script), instead of main JS → staff chunk → session check.
 */
import { prefetchCurrentUser } from "@/features/staff/api/auth";

export const loadStaffArea = () => import("@/features/staff/components/StaffArea");

export const isStaffPath = (pathname: string) => pathname === "/staff" || pathname.startsWith("/staff/");

export function startEarlyRequests(pathname: string): void {
  if (!isStaffPath(pathname)) return;
  void loadStaffArea();
  prefetchCurrentUser();
}
