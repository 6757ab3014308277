import { Suspense, lazy } from "react";
import { LoanRequestPage } from "@/features/loan-request/components/LoanRequestPage";
import { usePathname } from "@/lib/router";
import { isStaffPath, loadStaffArea } from "./earlyRequests";
import { Layout } from "./Layout";
import { NotFound } from "./NotFound";

// The staff area is loaded on demand: the public page's initial JS stays small.
const StaffArea = lazy(() => loadStaffArea().then((module) => ({ default: module.StaffArea })));

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
