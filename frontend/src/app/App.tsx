import { Suspense, lazy } from "react";
import { LoanRequestPage } from "@/features/loan-request/components/LoanRequestPage";
import { prefetchCurrentUser } from "@/features/staff/api/auth";
import { usePathname } from "@/lib/router";
import { Layout } from "./Layout";
import { NotFound } from "./NotFound";

// The staff area is loaded on demand: the public page's initial JS stays small.
const loadStaffArea = () => import("@/features/staff/components/StaffArea");
const StaffArea = lazy(() => loadStaffArea().then((module) => ({ default: module.StaffArea })));

const isStaffPath = (pathname: string) => pathname === "/staff" || pathname.startsWith("/staff/");

/**
 * Called once before the first render: on a staff page, the staff chunk and the session check
 * (GET /api/auth/me/) start right away and in parallel, instead of one after the other once
 * React has rendered the lazy boundary and the chunk has mounted.
 */
export function startEarlyRequests(pathname: string): void {
  if (!isStaffPath(pathname)) return;
  void loadStaffArea();
  prefetchCurrentUser();
}

export function App() {
  const pathname = usePathname();

  let page;
  if (pathname === "/" || pathname === "/index.html") page = <LoanRequestPage />;
  else if (isStaffPath(pathname))
    page = (
      <Suspense
        fallback={
          <p className="page" role="status">
            Cargando…
          </p>
        }
      >
        <StaffArea pathname={pathname} />
      </Suspense>
    );
  else page = <NotFound />;

  return <Layout pathname={pathname}>{page}</Layout>;
}
